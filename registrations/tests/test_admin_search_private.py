"""Staff search people by email, phone or national ID without the value ever appearing in a URL (issue 11).

The search box posts the term; the list's address holds a token kept in the
session; every link of the list keeps the token, never the term.
"""

import re
from datetime import timedelta
from urllib.parse import unquote_plus

import pytest
from django.contrib import admin
from django.test import Client

from registrations.admin.mixins import SEARCH_TOKEN_SECONDS, PrivateSearchMixin
from registrations.models import AuditEvent, CitizenProfile, InboundMessage, ManifestEntry
from registrations.services import evacuations
from registrations.tests.conftest import build_iran, open_june_crisis, wants_to_leave
from registrations.tests.factories import STAFF_IP
from registrations.tests.staff_search import search, token_of

pytestmark = pytest.mark.django_db

URL_ATTRIBUTES = re.compile(r'(?:href|action|src|formaction)="([^"]*)"')


def urls_of(response):
    """Every address the client asked for on the way (the POST, each redirect), and every link and form of the page."""
    asked = [response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")]
    asked += [url for url, _status in getattr(response, "redirect_chain", [])]
    return asked + URL_ATTRIBUTES.findall(response.content.decode())


def assert_kept_out_of_urls(response, term):
    for url in urls_of(response):
        for form in {url, unquote_plus(url), unquote_plus(url).replace("&amp;", "&")}:
            assert term not in form, url
            assert term.replace(" ", "") not in form.replace(" ", ""), url


def searches(world):
    """(list, term, a name the list shows for the one found, a name it must not show)."""
    zarina, arman = world.in_israel, world.in_iran
    return [
        ("citizenprofile", zarina.user.email, "YAFFOVA", "TEHRANIOV"),
        ("citizenprofile", zarina.profile.national_id, "YAFFOVA", "TEHRANIOV"),
        ("trip", zarina.profile.national_id, "zarina.israel@example.com", "arman.iran@example.com"),
        ("trip", arman.user.email, "arman.iran@example.com", "zarina.israel@example.com"),
        ("presence", zarina.profile.national_id, "zarina.israel@example.com", "arman.iran@example.com"),
        ("presence", arman.user.email, "arman.iran@example.com", "zarina.israel@example.com"),
        ("householdmember", zarina.user.email, "Marat Yaffov", "Dariga Tehraniova"),
        ("stop", arman.user.email, "arman.iran@example.com", "zarina.israel@example.com"),
    ]


def test_searching_by_email_or_national_id_finds_the_person_and_keeps_the_value_out_of_every_url(world, hq_client):
    for model, term, found, not_found in searches(world):
        response = search(hq_client, f"/admin/registrations/{model}/", term)

        assert response.status_code == 200, (model, term)
        assert found in response.text, (model, term)
        assert not_found not in response.text, (model, term)
        assert_kept_out_of_urls(response, term)
        # The box shows the term again: in the page, where the officer typed it.
        assert f'value="{term}"' in response.text
        assert response.redirect_chain[-1][0].startswith(f"/admin/registrations/{model}/?qt=")


def test_searching_the_sms_inbox_by_phone_keeps_the_number_out_of_every_url(world, hq_client):
    InboundMessage.objects.create(
        provider_message_id="m1", from_number="+77019998877", body="help", status="needs_staff"
    )
    InboundMessage.objects.create(provider_message_id="m2", from_number="+77010000000", body="hi", status="needs_staff")

    response = search(hq_client, "/admin/registrations/inboundmessage/", "+77019998877")

    assert response.status_code == 200
    assert "help" in response.text
    assert "+77010000000" not in response.text
    assert_kept_out_of_urls(response, "+77019998877")


def test_pages_sorting_filters_and_records_keep_the_token_and_the_search(world, hq_client, monkeypatch):
    monkeypatch.setattr(admin.site.get_model_admin(CitizenProfile), "list_per_page", 2)
    term = "example.com"  # everyone's address: more than a page

    response = search(hq_client, "/admin/registrations/citizenprofile/", term, preferred_language="en")
    token = token_of(response)

    links = URL_ATTRIBUTES.findall(response.content.decode())
    paging = [link for link in links if "p=2" in link]
    sorting = [link for link in links if "o=" in link]
    records = [link for link in links if "/change/" in link]
    assert paging and sorting and records
    for link in paging + sorting + records:
        assert token in unquote_plus(link.replace("&amp;", "&")), link
    # The list's other parameters went along with the search, as with Django's GET box.
    assert "preferred_language=en" in response.redirect_chain[-1][0]

    second = hq_client.get("/admin/registrations/citizenprofile/", {"qt": token, "p": "2"})
    assert second.status_code == 200
    assert f'value="{term}"' in second.text
    assert_kept_out_of_urls(second, term)


def test_a_token_from_another_session_finds_nothing(world, hq_client, hq_officer, staff_client):
    token = token_of(search(hq_client, "/admin/registrations/citizenprofile/", world.in_israel.profile.national_id))
    searches = AuditEvent.objects.filter(action="search").count()  # the log is append-only

    response = staff_client(hq_officer).get("/admin/registrations/citizenprofile/", {"qt": token})
    assert response.status_code == 302
    assert response["Location"] == "/admin/registrations/citizenprofile/"

    response = staff_client(hq_officer).get("/admin/registrations/citizenprofile/", {"qt": token}, follow=True)
    assert "This search has expired, or was made in another session" in response.text
    assert world.in_israel.profile.national_id not in response.text
    assert AuditEvent.objects.filter(action="search").count() == searches


def test_a_token_is_good_for_its_own_list_only_and_not_for_ever(world, hq_client, time_machine):
    token = token_of(search(hq_client, "/admin/registrations/citizenprofile/", world.in_israel.user.email))

    assert hq_client.get("/admin/registrations/presence/", {"qt": token}).status_code == 302
    assert hq_client.get("/admin/registrations/citizenprofile/", {"qt": token}).status_code == 200

    time_machine.shift(timedelta(seconds=SEARCH_TOKEN_SECONDS + 1))
    assert hq_client.get("/admin/registrations/citizenprofile/", {"qt": token}).status_code == 302


def test_a_term_in_the_url_is_refused_and_not_searched(world, hq_client):
    national_id = world.in_israel.profile.national_id

    response = hq_client.get("/admin/registrations/citizenprofile/", {"q": national_id, "preferred_language": "en"})

    assert response.status_code == 302
    assert national_id not in response["Location"]
    assert response["Location"] == "/admin/registrations/citizenprofile/?preferred_language=en"
    page = hq_client.get(response["Location"])
    assert "Search with the search box" in page.text
    assert national_id not in page.text
    assert not AuditEvent.objects.filter(action="search").exists()


def test_an_export_does_not_search_by_a_term_in_its_url(world, hq_client):
    response = hq_client.get("/admin/registrations/presence/export/", {"q": "YAFFOVA"})

    assert response.status_code == 302
    assert "YAFFOVA" not in response["Location"]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_search_without_the_csrf_token_is_refused(world, hq_officer):
    from registrations.tests.factories import sign_in_staff

    client = sign_in_staff(Client(REMOTE_ADDR=STAFF_IP, enforce_csrf_checks=True), hq_officer)

    response = client.post("/admin/registrations/citizenprofile/search/", {"q": world.in_israel.user.email})

    assert response.status_code == 403


def test_a_mission_officer_finds_nobody_outside_the_jurisdiction(world, tehran_officer, staff_client):
    client = staff_client(tehran_officer)
    for model in ["citizenprofile", "trip", "presence"]:
        for term in [world.in_israel.user.email, world.in_israel.profile.national_id]:
            response = search(client, f"/admin/registrations/{model}/", term)
            assert response.status_code == 200
            assert "YAFFOVA" not in response.text
            assert "zarina.israel@example.com" not in response.text.replace(f'value="{term}"', "")
        inside = search(client, f"/admin/registrations/{model}/", world.in_iran.profile.national_id)
        assert "arman.iran@example.com" in inside.text or "TEHRANIOV" in inside.text


def test_staff_without_a_role_cannot_search(world, staff_without_role, staff_client):
    response = staff_client(staff_without_role).post(
        "/admin/registrations/citizenprofile/search/", {"q": world.in_israel.user.email}
    )
    assert response.status_code == 403


def test_the_audit_log_names_the_fields_searched_never_the_term_nor_the_token(world, hq_client):
    national_id = world.in_israel.profile.national_id
    token = token_of(search(hq_client, "/admin/registrations/presence/", national_id, country="IL"))

    event = AuditEvent.objects.get(action="search")
    assert event.details["search"]["kind"] == "national_id"
    assert "trip__owner__email" in event.details["search"]["fields"]
    assert event.details["filters"] == ["country"]
    stored = str(event.details)
    assert national_id not in stored
    assert token not in stored


def test_an_export_of_a_search_logs_the_search_but_not_the_token_as_a_filter(world, hq_client):
    """The token stands for the search: the log keeps the filters' names ("qt" is none) and the search's fields."""
    token = token_of(search(hq_client, "/admin/registrations/presence/", world.in_israel.user.email, country="IL"))

    response = hq_client.get("/admin/registrations/presence/export/", {"qt": token, "country": "IL"})

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="export")
    assert event.details["filters"] == ["country"]
    assert event.details["search"]["fields"]  # that it searched, and where: never the term
    assert token not in str(event.details)
    assert world.in_israel.user.email not in str(event.details)


def test_no_admin_offers_an_autocomplete_of_a_list_searched_privately():
    """An autocomplete widget sends its term in the URL: people are picked by number instead."""
    for model_admin in admin.site._registry.values():
        for name in model_admin.autocomplete_fields:
            target = admin.site.get_model_admin(model_admin.model._meta.get_field(name).related_model)
            assert not isinstance(target, PrivateSearchMixin), (model_admin, name)


def test_every_list_searching_emails_phones_or_national_ids_searches_privately():
    identifiers = re.compile(r"email|phone|from_number|national_id|passport|document_number")
    for model_admin in admin.site._registry.values():
        fields = [*model_admin.search_fields, getattr(model_admin, "national_id_digest_path", None) or ""]
        if any(identifiers.search(f) for f in fields):
            assert isinstance(model_admin, PrivateSearchMixin), model_admin


@pytest.mark.parametrize("page", ["queue", "door"])
def test_the_evacuation_pages_find_people_by_name_without_the_name_in_the_url(world, hq_officer, hq_client, page):
    iran = build_iran(world, open_june_crisis(hq_officer), hq_officer)
    if page == "queue":
        url = f"/admin/registrations/evacuation/{iran.evacuation.pk}/queue/"
        term = "tehraniov"
    else:
        wants_to_leave(iran.arman)
        evacuations.confirm_seats(
            transport=iran.bus_a,
            entries=list(ManifestEntry.objects.filter(person__in=[iran.arman, iran.dariga])),
            officer=None,
        )
        url = f"/admin/registrations/transport/{iran.bus_a.pk}/door/"
        term = "TEHRANIOV"

    found = hq_client.post(url, {"q": term}, follow=True)

    assert found.status_code == 200
    assert "ARMAN TEHRANIOV" in found.text
    assert f'value="{term}"' in found.text
    assert found.redirect_chain[-1][0].startswith(f"{url}?qt=")
    assert_kept_out_of_urls(found, term)
    assert "length" not in str(AuditEvent.objects.filter(action="search").values_list("details", flat=True))

    refused = hq_client.get(url, {"q": term})
    assert refused.status_code == 302
    assert refused["Location"] == url

    token = token_of(found)
    other = Client(REMOTE_ADDR=STAFF_IP)
    from registrations.tests.factories import sign_in_staff

    sign_in_staff(other, hq_officer)
    assert other.get(url, {"qt": token})["Location"] == url
