"""Emails go out in the background: a mail server that is down loses no sign-up and no email."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registrations.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
# Nothing listens on port 9 of this machine: connecting is refused at once, like a mail server that is down.
SMTP_DOWN = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": 9}


@pytest.fixture
def task_worker(settings):
    """The production task backend (the database) and a way to run what the worker would run now."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

    def run_ready_tasks():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run_ready_tasks


def test_sign_up_while_the_mail_server_is_down_keeps_the_account_and_sends_the_link_when_it_is_back(
    client, settings, task_worker
):
    settings.SITE_URL = "https://consular.example.gov.kz"
    for name, value in SMTP_DOWN.items():
        setattr(settings, name, value)

    response = client.post(
        "/en/accounts/signup/", {"email": "aigerim@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "it should arrive within a few minutes" in page.text
    assert User.objects.filter(email="aigerim@example.com", is_active=False).exists()

    task_worker()  # the first attempt meets the server down, and is put off
    assert mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    with time_machine.travel(retry.run_after + timedelta(seconds=1)):
        task_worker()

    (email,) = mail.outbox
    assert email.to == ["aigerim@example.com"]
    assert re.search(r"https://consular\.example\.gov\.kz/en/accounts/confirm/\S+/", email.body)


def test_a_refused_address_is_not_tried_again(settings, task_worker, monkeypatch):
    import smtplib

    from portal import tasks

    def refuse(message):
        raise smtplib.SMTPRecipientsRefused({message["to"]: (550, b"no such mailbox")})

    monkeypatch.setattr(tasks, "send_message", refuse)
    from portal.outbound import queue_email

    queue_email("account_exists", to="nobody@example.com", language="en", context={})
    task_worker()

    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.get().status == "FAILED"


def test_every_emailed_link_is_built_on_site_url_whatever_the_host_of_the_request(client, settings, mailoutbox):
    settings.SITE_URL = "https://consular.example.gov.kz"
    settings.ALLOWED_HOSTS = ["testserver", "portal.internal"]
    make_user(email="dana@example.com")

    client.post("/en/accounts/password/reset/", {"email": "dana@example.com"}, HTTP_HOST="portal.internal:8443")
    client.post(
        "/en/accounts/signup/",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="portal.internal:8443",
    )

    assert len(mailoutbox) == 2
    for email in mailoutbox:
        links = re.findall(r"https?://\S+", email.body)
        assert links
        assert all(link.startswith("https://consular.example.gov.kz/") for link in links), email.body
