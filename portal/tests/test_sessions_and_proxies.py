"""Session lifetimes (idle, absolute, staff's shorter), fresh sign-in for enrolment, proxies, Permissions-Policy."""

import time
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory

from portal.client_ip import client_ip
from portal.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from registrations.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/accounts/"
LOGIN = "/en/accounts/login/"


def signed_in(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client):
    return client.get(DASHBOARD).status_code == 200


@pytest.fixture
def clock(time_machine):
    time_machine.move_to("2026-06-17 08:00:00+00:00", tick=False)
    return time_machine


def test_a_citizen_session_lasts_while_it_is_used(client, clock, settings):
    signed_in(client, make_user())
    for _ in range(3):
        clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 600))
        assert is_signed_in(client)


def test_a_citizen_session_ends_after_its_idle_age(client, clock, settings):
    signed_in(client, make_user())
    clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 61))

    assert not is_signed_in(client)


def test_a_citizen_session_ends_after_its_absolute_age_however_busy(client, clock, settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.SESSION_MAX_AGE = 4 * 3600
    signed_in(client, make_user())
    for _ in range(7):
        clock.shift(timedelta(minutes=30))
        assert is_signed_in(client)

    clock.shift(timedelta(minutes=31))
    assert not is_signed_in(client)


def test_a_staff_session_ends_sooner(client, clock, settings):
    signed_in(client, make_user("officer@example.gov.kz", is_staff=True))
    clock.shift(timedelta(seconds=settings.STAFF_SESSION_IDLE_AGE + 61))

    assert not is_signed_in(client)


def test_a_staff_member_without_a_device_enrols_only_soon_after_signing_in(client, clock, settings):
    signed_in(client, make_user("new.officer@example.gov.kz", is_staff=True))
    assert client.get("/admin/enrol/").status_code == 200

    clock.shift(timedelta(seconds=settings.STAFF_ENROL_WITHIN_SECONDS + 1))
    # Still active, so the session lives on: but not long enough ago signed in to bind a new app.
    response = client.get("/admin/enrol/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_session_signed_in_long_ago_cannot_enrol_even_if_still_valid(client, clock):
    user = make_user("old.session@example.gov.kz", is_staff=True)
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 3600
    session[LAST_SEEN_AT] = int(time.time())
    session.save()

    response = client.get("/admin/enrol/")

    assert response.status_code == 302


def test_every_page_switches_off_browser_features_it_does_not_use(client):
    response = client.get("/en/")

    policy = response["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy


@pytest.mark.parametrize(
    ("remote_addr", "forwarded", "expected"),
    [
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # through our proxy
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own header is not believed
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # straight to the application: the header is ignored
    ],
)
def test_x_forwarded_for_is_believed_only_from_our_proxies(settings, remote_addr, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_a_direct_client_cannot_escape_the_lockout_by_forging_x_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("victim@example.com")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(
            LOGIN,
            {"username": "victim@example.com", "password": "wrong-guess-1234"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )

    response = client.post(
        LOGIN, {"username": "victim@example.com", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.0.0.99"
    )

    assert response.status_code == 429
