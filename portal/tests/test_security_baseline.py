"""The security baseline (issue 5, item 9): CSRF, escaping of what people type, no redirects to other sites.

The session key's rotation at sign-in is tested in registrations/tests/test_accounts.py,
and `check --deploy --fail-level WARNING` runs in CI (.ci/run).
"""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from advisories.tests.factories import make_mission, make_published_advisory
from registrations.tests.factories import (
    PASSWORD,
    days,
    make_member,
    make_officer,
    make_profile,
    make_trip,
    make_user,
    sign_in_staff,
    totp_code,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"]
EVIL = ["https://evil.example/", "//evil.example"]
CSRF_REFUSED = "Please send the form again"


def chief():
    """A superuser, with a TOTP device."""
    return make_officer("chief@example.gov.kz", is_superuser=True)[0]


def assert_escaped(html):
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert any(escaped in html for escaped in ESCAPED), "the text typed is not on the page at all"


def stays_here(location):
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and not location.startswith(("//", "/\\"))


# CSRF: a form posted from another site, without our token, is refused.


def post_from_another_site(client, path, data):
    """POST without a CSRF token (after a GET, so the browser holds our cookie), then with it."""
    client.get(path)
    refused = client.post(path, data)
    accepted = client.post(path, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    return refused, accepted


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/en/accounts/login/", {"username": "citizen@example.com", "password": PASSWORD}),
        ("/en/accounts/signup/", {"email": "new@example.com", "password1": "x", "password2": "y"}),
    ],
)
def test_public_forms_refuse_a_post_without_the_csrf_token(path, data):
    make_user("citizen@example.com")
    client = Client(enforce_csrf_checks=True)

    refused, accepted = post_from_another_site(client, path, data)

    assert refused.status_code == 403
    assert CSRF_REFUSED in refused.text
    assert accepted.status_code != 403


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/en/accounts/profile/", {"surname_latin": "SAPAROVA"}),
        ("/en/accounts/trips/add/", {"kind": "tourism", "stops-TOTAL_FORMS": "0", "stops-INITIAL_FORMS": "0"}),
        ("/en/accounts/trips/{trip}/edit/", {"kind": "business"}),
        ("/en/accounts/trips/{trip}/cancel/", {}),
    ],
)
def test_citizens_forms_refuse_a_post_without_the_csrf_token(path, data):
    citizen = make_user()
    make_profile(citizen)
    trip = make_trip(citizen, ("IR", "IR-23", days(1), days(5)))
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    refused, accepted = post_from_another_site(client, path.format(trip=trip.pk), data)

    assert refused.status_code == 403
    assert CSRF_REFUSED in refused.text
    assert accepted.status_code != 403
    trip.refresh_from_db()
    assert trip.kind == "tourism" or accepted.status_code == 302


def test_an_admin_change_form_refuses_a_post_without_the_csrf_token():
    mission = make_mission()
    client = sign_in_staff(Client(enforce_csrf_checks=True), chief())
    path = reverse("admin:advisories_mission_change", args=[mission.pk])

    refused, accepted = post_from_another_site(client, path, {"name": "Hijacked", "city": "Tehran"})

    assert refused.status_code == 403
    assert CSRF_REFUSED in refused.text
    assert accepted.status_code != 403
    mission.refresh_from_db()
    assert mission.name != "Hijacked" or accepted.status_code == 302


def test_the_second_factor_form_refuses_a_post_without_the_csrf_token():
    staff, device = make_officer()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)

    client.get("/admin/verify/")
    refused = client.post("/admin/verify/", {"otp_token": totp_code(device)})

    assert refused.status_code == 403
    assert client.get("/admin/").status_code == 302


# XSS: whatever a citizen or an editor types is shown as text.


@pytest.fixture
def hostile_citizen():
    citizen = make_user("hostile@example.com")
    make_profile(citizen, surname_latin=SCRIPT, given_names_latin=IMAGE, full_name_native=SCRIPT)
    member = make_member(citizen, IMAGE)
    trip = make_trip(citizen, ("IR", "IR-23", days(-1), days(5)), travellers=[member])
    trip.stops.update(city=SCRIPT, address=IMAGE)
    return trip


@pytest.mark.parametrize(
    "path",
    [
        "/en/accounts/",
        "/en/accounts/profile/",
        "/en/accounts/household/",
        "/en/accounts/trips/{trip}/edit/",
    ],
)
def test_what_a_citizen_typed_is_escaped_on_their_pages(client, hostile_citizen, path):
    client.force_login(hostile_citizen.owner)

    response = client.get(path.format(trip=hostile_citizen.pk))

    assert response.status_code == 200
    assert_escaped(response.text)


@pytest.mark.parametrize(
    ("url_name", "args", "query"),
    [
        ("admin:registrations_presence_changelist", [], "?country=IR"),
        ("admin:registrations_trip_change", ["trip"], ""),
        ("admin:registrations_citizenprofile_change", ["profile"], ""),
        ("admin:registrations_householdmember_change", ["member"], ""),
        ("staff:counts_region", ["IR", "IR-23"], ""),
    ],
)
def test_what_a_citizen_typed_is_escaped_in_the_staff_workplace(client, hostile_citizen, url_name, args, query):
    sign_in_staff(client, chief())
    objects = {
        "trip": hostile_citizen.pk,
        "profile": hostile_citizen.owner.citizen_profile.pk,
        "member": hostile_citizen.travellers.get().pk,
    }

    response = client.get(reverse(url_name, args=[objects.get(arg, arg) for arg in args]) + query)

    assert response.status_code == 200
    assert_escaped(response.text)


@pytest.fixture
def hostile_advisory():
    make_published_advisory("IR", 3, summary=IMAGE, change_note=SCRIPT)
    return make_published_advisory("IR", 4, summary=SCRIPT, change_note=IMAGE)


def test_what_an_editor_typed_is_escaped_on_the_public_country_page(client, hostile_advisory):
    response = client.get("/en/advisories/ir/")

    assert response.status_code == 200
    assert_escaped(response.text)
    for escaped in ESCAPED:
        assert escaped in response.text


@pytest.mark.parametrize("path", ["/advisories/feed/", "/advisories/ir/feed/"])
def test_what_an_editor_typed_is_escaped_in_the_feeds(client, hostile_advisory, path):
    response = client.get(path)

    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    html_parts = [element.text or "" for element in feed.iter() if element.get("type") == "html"]
    # A feed reader decodes the XML, then renders these parts as HTML: they must still be escaped.
    assert html_parts
    for html in html_parts:
        assert "<script" not in html
        assert "<img" not in html
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in html for html in html_parts)


# Open redirects: `next` and the referrer never send anyone to another site.


@pytest.mark.parametrize("target", EVIL)
def test_sign_in_does_not_redirect_to_another_site(client, target):
    make_user("citizen@example.com")

    by_query = client.post(
        f"/en/accounts/login/?next={target}", {"username": "citizen@example.com", "password": PASSWORD}
    )
    client.logout()
    by_field = client.post(
        "/en/accounts/login/", {"username": "citizen@example.com", "password": PASSWORD, "next": target}
    )

    for response in (by_query, by_field):
        assert response.status_code == 302
        assert response["Location"] == reverse("registrations:account")


@pytest.mark.parametrize("target", EVIL)
def test_sign_out_does_not_redirect_to_another_site(client, target):
    for request in (
        {"path": f"/en/accounts/logout/?next={target}"},
        {"path": "/en/accounts/logout/", "data": {"next": target}},
    ):
        client.force_login(make_user(f"leaving{len(request)}@example.com"))
        response = client.post(**request)

        assert response.status_code == 302
        assert response["Location"] == reverse("home")
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", EVIL)
def test_choosing_a_language_does_not_redirect_to_another_site(client, target):
    by_next = client.post("/i18n/setlang/", {"language": "ru", "next": target})
    by_referrer = client.post("/i18n/setlang/", {"language": "kk"}, HTTP_REFERER=target)

    for response in (by_next, by_referrer):
        assert response.status_code == 302
        assert stays_here(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_the_staff_second_step_does_not_redirect_to_another_site(client, target):
    staff, device = make_officer()
    client.force_login(staff)

    shown = client.get(f"/admin/verify/?next={target}")
    response = client.post(f"/admin/verify/?next={target}", {"otp_token": totp_code(device), "next": target})

    assert 'name="next" value="/admin/"' in shown.text
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("target", EVIL)
def test_the_admin_sign_in_does_not_pass_on_a_redirect_to_another_site(client, target):
    response = client.get(f"/admin/login/?next={target}")

    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/admin/"]
