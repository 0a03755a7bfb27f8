"""Accounts under attack: lockout evasion, pre-hijacking, enumeration, lock extension, races, inbox flooding."""

import re
import threading
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.db import IntegrityError, connection, connections
from django.test import Client

from registrations.services import accounts as account_services
from registrations.tests.factories import PASSWORD, make_user

# Real transactions: emails leave only after the sign-up commits.
pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"
OTHER_PASSWORD = "another-long-passphrase"


def sign_up(client, email, password=PASSWORD):
    return client.post(SIGNUP, {"email": email, "password1": password, "password2": password})


def sign_in(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def confirmation_path(mail):
    match = re.search(r"https?://[^/\s]+(/\S+/confirm/\S+/)", mail.body)
    assert match, mail.body
    return match.group(1)


class HashCounter:
    """Counts the password hashes computed (made or checked) while it is active."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        hasher = type(get_hasher())
        original = hasher.encode

        def counting(hasher_self, password, salt, *args, **kwargs):
            self.count += 1
            return original(hasher_self, password, salt, *args, **kwargs)

        self._patch = mock.patch.object(hasher, "encode", counting)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


# Lockout.


def test_changing_the_letter_case_of_the_address_gives_no_fresh_attempts(client):
    make_user("victim@example.com")
    for variant in ["victim@example.com", "Victim@example.com", "VICTIM@example.com", "victim@EXAMPLE.com"]:
        for _ in range(2):
            sign_in(client, variant, "wrong-guess-1234")

    response = sign_in(client, "ViCtIm@Example.com", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"victim@example.com"}


def test_a_username_longer_than_any_address_is_the_forms_error(client):
    response = sign_in(client, "a" * 300 + "@example.com", "wrong-guess-1234")

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.filter(username__regex=r"^.{255,}$").exists()


def test_the_lock_runs_from_the_failure_that_locked_it_not_from_the_latest_attempt(client, time_machine):
    make_user("victim@example.com")
    time_machine.move_to("2026-06-17 12:00:00+00:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "victim@example.com", "wrong-guess-1234")

    # A neighbour on the same address keeps trying during the lock; the owner too, with the right password.
    for minutes in (5, 10, 14):
        time_machine.move_to(f"2026-06-17 12:{minutes:02d}:00+00:00", tick=False)
        assert sign_in(client, "victim@example.com", "wrong-guess-1234").status_code == 429
        assert sign_in(client, "victim@example.com", PASSWORD).status_code == 429

    time_machine.move_to("2026-06-17 12:15:01+00:00", tick=False)
    response = sign_in(client, "victim@example.com", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


# Pre-hijacking.


def test_signing_up_a_pending_address_again_takes_the_new_password_and_voids_the_old_link(mailoutbox):
    attacker, victim = Client(), Client()
    sign_up(attacker, "victim@example.com", password=OTHER_PASSWORD)
    sign_up(victim, "victim@example.com", password=PASSWORD)
    first_link, second_link = confirmation_path(mailoutbox[0]), confirmation_path(mailoutbox[1])

    assert victim.get(first_link).status_code == 404
    assert victim.get(second_link).status_code == 302

    assert sign_in(Client(), "victim@example.com", OTHER_PASSWORD).status_code == 200
    assert sign_in(Client(), "victim@example.com", PASSWORD).status_code == 302
    assert User.objects.get(email="victim@example.com").check_password(PASSWORD)


# Enumeration.


def _sign_up_answer(email):
    client = Client()
    with HashCounter() as hashes:
        response = client.post(SIGNUP, {"email": email, "password1": PASSWORD, "password2": PASSWORD}, follow=True)
    # Each client has its own CSRF token on the page; everything else must be the same.
    page = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    return response.redirect_chain, page, hashes.count


def test_sign_up_answers_the_same_for_new_pending_and_taken_addresses(mailoutbox):
    make_user("taken@example.com")
    make_user("pending@example.com", confirmed=False)

    answers = [_sign_up_answer(email) for email in ["new@example.com", "pending@example.com", "taken@example.com"]]

    assert answers[0] == answers[1] == answers[2]
    assert answers[0][2] >= 1  # a password hashed in every case: the time does not tell either
    assert len(mailoutbox) == 3


def _failed_sign_in_hashes(email, password):
    with HashCounter() as hashes:
        response = sign_in(Client(), email, password)
    assert response.status_code == 200
    return hashes.count


def test_a_failed_sign_in_costs_the_same_for_pending_confirmed_and_unknown_addresses():
    make_user("confirmed@example.com")
    make_user("pending@example.com", confirmed=False)

    counts = {
        email: _failed_sign_in_hashes(email, "wrong-guess-1234")
        for email in ["confirmed@example.com", "pending@example.com", "nobody@example.com"]
    }

    assert len(set(counts.values())) == 1, counts


# Races.


def test_a_sign_up_racing_another_for_the_same_address_is_no_error(client, mailoutbox, monkeypatch):
    original = account_services._register
    calls = []

    def racing(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            # The other request inserts the account between our look and our insert.
            make_user(kwargs["email"], password=OTHER_PASSWORD, confirmed=False)
            raise IntegrityError("duplicate key value violates unique constraint")
        return original(**kwargs)

    monkeypatch.setattr(account_services, "_register", racing)

    response = sign_up(client, "racer@example.com")

    assert response.status_code == 302
    assert User.objects.filter(email="racer@example.com").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need a server database")
def test_forty_parallel_sign_ups_of_one_address_make_one_account_and_no_error():
    statuses = []

    def post(number):
        try:
            # From 40 addresses: one address's sign-ups are rate-limited (SIGNUP_RATE), which is not the point here.
            client = Client(raise_request_exception=False, REMOTE_ADDR=f"203.0.113.{number}")
            statuses.append(sign_up(client, "crowd@example.com").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # 503: the connection pool was busy (the outage page); never a 500 from the unique index.
    assert len(statuses) == 40
    assert set(statuses) <= {302, 503}
    assert statuses.count(302) > 1
    assert User.objects.filter(email="crowd@example.com").count() == 1


# Inbox flooding.


def test_one_address_is_mailed_at_most_a_few_times_an_hour_whoever_asks(mailoutbox, caplog, time_machine):
    time_machine.move_to("2026-06-17 12:00:00+00:00", tick=False)
    make_user("victim@example.com", confirmed=False)
    for number in range(4):
        client = Client(REMOTE_ADDR=f"203.0.113.{number}")
        sign_up(client, "victim@example.com")
        client.post("/en/accounts/password/reset/", {"email": "victim@example.com"})
        client.post("/en/accounts/confirm/resend/", {"email": "victim@example.com"})
        client.post("/en/advisories/subscribe/", {"email": "victim@example.com", "country": "", "language": "en"})

    assert len(mailoutbox) == settings.EMAIL_RECIPIENT_LIMIT
    assert "not queued" in caplog.text
    assert "victim@example.com" not in caplog.text

    time_machine.move_to("2026-06-17 13:00:01+00:00", tick=False)
    sign_up(Client(), "victim@example.com")
    assert len(mailoutbox) == settings.EMAIL_RECIPIENT_LIMIT + 1


def test_emails_nobody_can_ask_for_are_not_limited(mailoutbox):
    from portal.outbound import ON_REQUEST, recipient_allows

    assert "major_update" not in ON_REQUEST
    assert all(recipient_allows("major_update", "subscriber@example.com") for _ in range(50))


def test_the_reset_link_is_built_on_site_url_whatever_the_host_header(client, mailoutbox, settings):
    settings.SITE_URL = "https://consular.example.gov.kz"
    settings.ALLOWED_HOSTS = ["consular.example.gov.kz", "testserver"]
    make_user("citizen@example.com")

    client.post(
        "/en/accounts/password/reset/", {"email": "citizen@example.com"}, HTTP_HOST="consular.example.gov.kz:6666"
    )

    assert len(mailoutbox) == 1
    links = re.findall(r"https?://\S+", mailoutbox[0].body)
    assert links
    assert all(link.startswith("https://consular.example.gov.kz/") for link in links)
    assert ":6666" not in mailoutbox[0].body


def test_the_lockout_username_is_normalised_and_bounded():
    request = mock.Mock(POST={"username": "  Someone@Example.COM "})

    assert account_services.lockout_username(request, None) == "someone@example.com"
    assert len(account_services.lockout_username(request, {"username": "x" * 400})) <= 254


def test_signing_up_after_the_first_link_expired_keeps_the_account_pending(client, mailoutbox, time_machine):
    time_machine.move_to("2026-06-17 12:00:00+00:00", tick=False)
    sign_up(client, "slow@example.com")
    time_machine.shift(timedelta(days=5))

    sign_up(client, "slow@example.com")

    assert client.get(confirmation_path(mailoutbox[-1])).status_code == 302
    assert User.objects.get(email="slow@example.com").is_active
