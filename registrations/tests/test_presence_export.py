"""The list of people present and its streaming CSV export."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registrations.models import AuditEvent, HouseholdMember
from registrations.tests.factories import STAFF_IP, days, make_citizen
from registrations.tests.staff_search import search, token_of

pytestmark = pytest.mark.django_db

EXPORT = "/admin/registrations/presence/export/"


def _rows(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(content.removeprefix("\ufeff")))
    return list(reader)


def test_the_names_the_dashboard_links_to_exist():
    assert reverse("admin:registrations_presence_changelist") == "/admin/registrations/presence/"
    assert reverse("admin:registrations_presence_export") == EXPORT
    assert reverse("admin:registrations_auditevent_changelist") == "/admin/registrations/auditevent/"


def test_the_export_has_one_row_per_person_with_contacts_and_consented_needs(world, hq_client):
    world.in_iran.profile.medical_needs = "Insulin, twice a day"
    world.in_iran.profile.needs_consent_at = timezone.now()
    world.in_iran.profile.emergency_contact_email = "brother@example.com"
    world.in_iran.profile.save()
    HouseholdMember.objects.filter(pk=world.in_iran.members[0].pk).update(
        needs="Wheelchair", needs_consent_at=timezone.now()
    )
    world.in_iran.trip.phone_abroad = "+989121112233"
    world.in_iran.trip.save()

    response = hq_client.get(EXPORT, {"country": "IR", "region": "IR-23", "city": "Tehran"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="people-present-IR-IR23-Tehran-' in response["Content-Disposition"]
    rows = _rows(response)
    assert [(row["person"], row["full name"]) for row in rows] == [
        ("citizen", "ARMAN TEHRANIOV"),
        ("household member", "Dariga Tehraniova"),
    ]
    citizen, member = rows
    assert citizen["email address"] == member["email address"] == "arman.iran@example.com"
    assert citizen["mobile phone"] == world.in_iran.profile.phone
    assert citizen["phone abroad"] == member["phone abroad"] == "+989121112233"
    assert citizen["emergency contact's email"] == "brother@example.com"
    assert citizen["medical needs"] == "Insulin, twice a day"
    assert member["medical needs"] == "Wheelchair"
    assert member["relationship to the citizen"] == "Child"
    assert citizen["city or town"] == "Tehran" and citizen["country"] == "IR"
    assert citizen["trip"] == str(world.in_iran.trip.pk)
    # Identifiers are not exported.
    assert world.in_iran.profile.national_id not in str(rows)


def test_needs_given_without_consent_are_left_out(world, hq_client):
    # The database refuses needs without consent; a consent withdrawn later must hide them too.
    profile = world.in_israel.profile
    profile.needs_consent_at = timezone.now()
    profile.mobility_needs = "Crutches"
    profile.save()
    rows = _rows(hq_client.get(EXPORT, {"country": "IL"}))
    assert rows[0]["mobility needs"] == "Crutches"

    from registrations.admin.presence import PresenceAdmin

    profile.needs_consent_at = None  # as if withdrawn, before the row is cleaned up
    stop = world.in_israel.stop
    stop.trip.owner.citizen_profile = profile
    citizen_row = next(PresenceAdmin.export_rows(stop, citizen_label="c", member_label="m"))
    assert "Crutches" not in citizen_row


def test_the_export_follows_the_day_and_the_filters(world, hq_client):
    assert {row["email address"] for row in _rows(hq_client.get(EXPORT))} == {
        "arman.iran@example.com",
        "zarina.israel@example.com",
        "pierre.france@example.com",
    }
    in_three_weeks = days(21).isoformat()
    assert {row["email address"] for row in _rows(hq_client.get(EXPORT, {"on": in_three_weeks}))} == {
        "bolat.upcoming@example.com",
        "zarina.israel@example.com",
    }
    assert _rows(hq_client.get(EXPORT, {"country": "IR", "kind": "business"})) == []
    token = token_of(search(hq_client, "/admin/registrations/presence/", "YAFFOVA"))
    assert len(_rows(hq_client.get(EXPORT, {"qt": token}))) == 2  # Zarina and Marat


def test_the_dashboards_links_filter_the_list(world, hq_client):
    listing = hq_client.get("/admin/registrations/presence/", {"country": "IR", "region": "IR-23", "city": "Tehran"})
    assert listing.status_code == 200
    assert "arman.iran@example.com" in listing.text
    assert "Dariga Tehraniova" in listing.text
    assert "zarina.israel@example.com" not in listing.text
    upcoming = hq_client.get("/admin/registrations/presence/", {"country": "IR", "on": days(21).isoformat()})
    assert "bolat.upcoming@example.com" in upcoming.text
    assert "arman.iran@example.com" not in upcoming.text
    for stale in [{"freshness": "older"}, {"kind": "study"}]:
        assert "arman.iran@example.com" not in hq_client.get("/admin/registrations/presence/", stale).text


def test_a_malformed_day_is_refused_without_an_export(hq_client):
    response = hq_client.get(EXPORT, {"on": "tomorrow"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
    assert not AuditEvent.objects.filter(action="export").exists()


def test_exporting_needs_its_own_permission(world, hq_officer, staff_client):
    hq_officer.groups.clear()
    hq_officer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_presence", "view_all_citizens", "view_citizenprofile"])
    )
    client = staff_client(hq_officer)
    listing = client.get("/admin/registrations/presence/")
    assert listing.status_code == 200
    assert "Export CSV" not in listing.text
    assert client.get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_export_button_keeps_the_lists_filters(world, hq_client):
    listing = hq_client.get("/admin/registrations/presence/", {"country": "IR", "region": "IR-23", "p": "1"})
    assert listing.status_code == 200
    assert 'href="/admin/registrations/presence/export/?country=IR&amp;region=IR-23"' in listing.text


def test_the_export_leaves_one_event_with_filters_and_rows_even_if_abandoned(world, hq_client):
    response = hq_client.get(EXPORT, {"country": "IR"})
    next(iter(response.streaming_content))  # the header, then the client goes away

    event = AuditEvent.objects.get(action="export")
    # The filter's name, never its value (issue 11: values would be personal data kept for ever).
    assert event.details == {"filters": ["country"], "rows": 2}
    assert event.content_type.model == "presence"
    assert event.subject is None
    assert event.ip_address == STAFF_IP


def test_the_event_counts_the_rows_the_export_holds(world, hq_client):
    rows = _rows(hq_client.get(EXPORT))
    assert AuditEvent.objects.get(action="export").details["rows"] == len(rows) == 6


def test_the_export_costs_the_same_queries_for_2_and_40_people(world, hq_client):
    def queries():
        with CaptureQueriesContext(connection) as context:
            _rows(hq_client.get(EXPORT, {"country": "IR"}))
        return len(context)

    queries()  # the session's first request of the test records the sign-in's activity: not the export's cost
    few = queries()
    for number in range(20):
        make_citizen(
            f"tehran{number}@example.com", f"SURNAME{number}", "GIVEN", [f"Child {number}"], ("IR", days(-1), None)
        )
    assert queries() == few


def test_cells_that_spreadsheets_would_run_are_neutralised(world, hq_client):
    world.in_iran.profile.emergency_contact_name = '=HYPERLINK("http://evil.example")'
    world.in_iran.profile.save()
    rows = _rows(hq_client.get(EXPORT, {"country": "IR", "city": "Tehran"}))
    assert rows[0]["emergency contact's name"].startswith("'=")
    assert rows[0]["mobile phone"].startswith("+7")  # a phone number is left alone


def test_a_list_longer_than_the_count_cap_says_more_than_and_pages_up_to_the_cap(world, hq_client, monkeypatch):
    # Counting everybody present in a big country grew with the country; the list counts up to a cap.
    from registrations.admin.presence import CappedCountPaginator, PresenceAdmin

    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 2)
    monkeypatch.setattr(PresenceAdmin, "list_per_page", 1)
    for number in range(2):
        make_citizen(f"tehran{number}@example.com", f"SURNAME{number}", "GIVEN", [], ("IR", days(-1), None))

    listing = hq_client.get("/admin/registrations/presence/", {"country": "IR"})  # 3 people present
    assert "More than 2 people present" in listing.text
    assert listing.context["cl"].paginator.num_pages == 2
    assert hq_client.get("/admin/registrations/presence/", {"country": "IR", "p": "3"})["Location"].endswith("?e=1")
    # The search box does not claim a number of results either.
    searched = search(hq_client, "/admin/registrations/presence/", "example.com", country="IR")
    assert "More than 2 people present" in searched.text
    assert "2 results" not in searched.text

    # At or under the cap, the exact number, as before.
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 3)
    exact = hq_client.get("/admin/registrations/presence/", {"country": "IR", "region": "IR-23"})
    assert "1 person present" in exact.text
    assert "More than 1 person present" not in exact.text


def test_the_event_counts_every_member_of_a_household_found_by_one_members_name(world, hq_client):
    make_citizen(
        "aliya@example.com", "NURLANOVA", "ALIYA", ["Timur Nurlanov", "Saule Nurlanova"], ("IR", days(-1), None)
    )

    token = token_of(search(hq_client, "/admin/registrations/presence/", "Timur"))
    rows = _rows(hq_client.get(EXPORT, {"qt": token}))

    assert [row["full name"] for row in rows] == ["ALIYA NURLANOVA", "Timur Nurlanov", "Saule Nurlanova"]
    assert AuditEvent.objects.get(action="export").details["rows"] == 3


def test_the_header_goes_alone_then_the_rows_go_in_chunks(world, hq_client, monkeypatch):
    # One chunk a row cost more than writing the row (make bench, 100,000 rows).
    from registrations.admin import exports

    monkeypatch.setattr(exports, "ROWS_PER_CHUNK", 4)
    chunks = list(hq_client.get(EXPORT).streaming_content)

    assert chunks[0].decode().startswith("\ufeffperson,") and chunks[0].count(b"\n") == 1
    assert [chunk.count(b"\r\n") for chunk in chunks[1:]] == [4, 2]  # 6 rows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_exports_cursor_is_planned_for_all_its_rows_on_postgresql(world, hq_client):
    # Planned for its first tenth, the cursor gave 100,000 rows in 11 s at a million stops, in 5 s planned for all.
    with CaptureQueriesContext(connection) as queries:
        rows = _rows(hq_client.get(EXPORT))
    sql = [query["sql"] for query in queries.captured_queries]
    setting = sql.index("SET LOCAL cursor_tuple_fraction = 1.0")
    assert "CURSOR" in sql[setting + 1]
    assert len(rows) == 6
