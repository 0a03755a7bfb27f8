"""Sign-ups never confirmed are deleted, leaving nothing that names them, once their link has expired."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from registrations.tests.factories import PASSWORD, make_user

# Real transactions: emails leave only after the sign-up commits.
pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"
EMAIL = "never.confirmed@example.com"


@pytest.fixture
def link_age(settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE)


def sign_up(client, email=EMAIL):
    client.post(SIGNUP, {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def confirmation_path(mail):
    return re.search(r"https?://[^/\s]+(/\S+/confirm/\S+/)", mail.body).group(1)


def purge():
    out = StringIO()
    call_command("purge_unconfirmed_accounts", stdout=out)
    return out.getvalue()


def test_a_sign_up_whose_link_expired_is_deleted_with_everything_naming_it(client, link_age, time_machine):
    sign_up(client)
    user = User.objects.get(email=EMAIL)
    client.post(LOGIN, {"username": EMAIL, "password": "a-wrong-guess-123"}, REMOTE_ADDR="203.0.113.9")
    LogEntry.objects.log_actions(
        user_id=make_user("admin@example.gov.kz", is_staff=True).pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message="[]",
    )
    assert AccessAttempt.objects.filter(username=EMAIL).exists()

    time_machine.shift(link_age + timedelta(days=1, minutes=1))
    output = purge()

    assert output == "Never-confirmed accounts deleted: 1.\n"
    assert not User.objects.filter(email=EMAIL).exists()
    assert not AccessAttempt.objects.filter(username=EMAIL).exists()
    assert not LogEntry.objects.filter(object_repr__icontains=EMAIL).exists()
    assert User.objects.filter(email="admin@example.gov.kz").exists()


def test_a_sign_up_whose_link_is_still_valid_is_kept_and_can_still_be_confirmed(
    client, link_age, time_machine, mailoutbox
):
    sign_up(client)

    time_machine.shift(link_age - timedelta(minutes=1))
    assert purge() == "Never-confirmed accounts deleted: 0.\n"

    client.get(confirmation_path(mailoutbox[0]))
    assert User.objects.get(email=EMAIL).is_active


def test_a_link_expired_within_the_margin_is_not_yet_purged(client, link_age, time_machine):
    sign_up(client)

    time_machine.shift(link_age + timedelta(hours=23))

    assert purge() == "Never-confirmed accounts deleted: 0.\n"
    assert User.objects.filter(email=EMAIL).exists()


def test_a_new_link_asked_for_late_keeps_the_sign_up_until_that_link_expires(client, link_age, time_machine):
    sign_up(client)
    time_machine.shift(link_age - timedelta(hours=1))
    client.post("/en/accounts/confirm/resend/", {"email": EMAIL})

    time_machine.shift(timedelta(days=2))
    assert purge() == "Never-confirmed accounts deleted: 0.\n"

    time_machine.shift(link_age)
    assert purge() == "Never-confirmed accounts deleted: 1.\n"


def test_confirmed_accounts_and_staff_are_never_purged(client, link_age, time_machine, mailoutbox):
    sign_up(client)
    client.get(confirmation_path(mailoutbox[0]))
    make_user("staff.added.in.admin@example.gov.kz", confirmed=False, is_staff=True)

    time_machine.shift(link_age * 30)

    assert purge() == "Never-confirmed accounts deleted: 0.\n"
    assert User.objects.filter(email=EMAIL, is_active=True).exists()
    assert User.objects.filter(email="staff.added.in.admin@example.gov.kz").exists()


def test_an_account_that_ever_signed_in_is_never_touched_even_if_deactivated(client, link_age, time_machine):
    user = make_user(EMAIL)
    assert client.post(LOGIN, {"username": EMAIL, "password": PASSWORD}).status_code == 302
    # Deactivated later with its confirmation cleared (e.g. by staff): it is still someone's account.
    User.objects.filter(pk=user.pk).update(is_active=False, email_confirmed_at=None)

    time_machine.shift(link_age * 30)

    assert purge() == "Never-confirmed accounts deleted: 0.\n"
    assert User.objects.filter(email=EMAIL).exists()
