"""Every staff view, list, search, export and change of personal data leaves an audit event."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction

from registrations.models import AuditEvent
from registrations.services.rights import delete_account
from registrations.tests.factories import STAFF_IP as IP
from registrations.tests.staff_search import search

pytestmark = pytest.mark.django_db


def _personal_values(citizen):
    profile = citizen.profile
    return [
        profile.national_id,
        profile.passport_number,
        profile.surname_latin,
        profile.given_names_latin,
        profile.phone,
        citizen.user.email,
        *(member.full_name for member in citizen.members),
    ]


def _assert_nothing_personal(event, citizen):
    stored = json.dumps(event.details, ensure_ascii=False) + event.object_repr
    for value in _personal_values(citizen):
        assert value not in stored


def test_viewing_a_profile_leaves_a_view_event_with_the_address(world, hq_officer, hq_client):
    profile = world.in_iran.profile

    assert hq_client.get(f"/admin/registrations/citizenprofile/{profile.pk}/change/").status_code == 200

    event = AuditEvent.objects.get(action="view")
    assert event.actor == hq_officer
    assert event.subject == world.in_iran.user
    assert event.object_id == str(profile.pk)
    assert event.object_repr == f"Citizen profile #{profile.pk}"
    assert event.content_type.model == "citizenprofile"
    assert event.ip_address == IP
    _assert_nothing_personal(event, world.in_iran)


def test_lists_and_history_leave_events(world, hq_client):
    hq_client.get("/admin/registrations/trip/", {"country": "IR", "status": "current"})
    hq_client.get(f"/admin/registrations/trip/{world.in_iran.trip.pk}/history/")

    listing = AuditEvent.objects.get(action="list")
    assert listing.details["filters"] == ["country", "status"]
    assert listing.details["rows"] == 1
    assert listing.subject is None
    history = AuditEvent.objects.get(action="view_history")
    assert history.subject == world.in_iran.user
    assert history.object_repr == f"Trip #{world.in_iran.trip.pk}"


def test_a_search_is_recorded_without_the_term(world, hq_client):
    national_id = world.in_israel.profile.national_id

    search(hq_client, "/admin/registrations/citizenprofile/", national_id)
    search(hq_client, "/admin/registrations/presence/", "YAFFOVA", country="IL")

    by_id, by_name = AuditEvent.objects.filter(action="search").order_by("id")
    assert by_id.details["search"]["kind"] == "national_id"
    assert by_name.details["search"]["kind"] == "text"
    assert by_name.details["filters"] == ["country"]
    assert by_name.content_type.model == "presence"
    for event in (by_id, by_name):
        _assert_nothing_personal(event, world.in_israel)
        assert event.ip_address == IP


def test_changing_a_trip_records_the_field_names_only(world, hq_client):
    trip = world.in_iran.trip
    stop = trip.stops.get()
    data = {
        "kind": trip.kind,
        "status": trip.status,
        "phone_abroad": "+989121234567",
        "travellers": [member.pk for member in world.in_iran.members],
        "stops-TOTAL_FORMS": "1",
        "stops-INITIAL_FORMS": "1",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "1000",
        "stops-0-id": stop.pk,
        "stops-0-trip": trip.pk,
        "stops-0-position": stop.position,
        "stops-0-country": stop.country.code,
        "stops-0-region": stop.region,
        "stops-0-city": "Tehran",
        "stops-0-address": "Hotel Espinas, Keshavarz Blvd",
        "stops-0-arrival_date": stop.arrival_date.isoformat(),
        "stops-0-departure_date": stop.departure_date.isoformat(),
    }

    response = hq_client.post(f"/admin/registrations/trip/{trip.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    trip.refresh_from_db()
    assert trip.phone_abroad == "+989121234567"
    event = AuditEvent.objects.get(action="change")
    assert event.subject == world.in_iran.user
    assert event.details == {
        "fields": ["phone_abroad"],
        "inlines": [{"model": "stop", "added": 0, "changed": ["address"], "deleted": 0}],
    }
    stored = json.dumps(event.details)
    assert "+989121234567" not in stored and "Espinas" not in stored


def test_deleting_leaves_an_event_before_the_record_goes(world, hq_officer, staff_client):
    hq_officer.user_permissions.add(Permission.objects.get(codename="delete_householdmember"))
    client = staff_client(hq_officer)
    member = world.in_iran.members[0]

    response = client.post(f"/admin/registrations/householdmember/{member.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="delete")
    assert event.subject == world.in_iran.user
    assert event.object_repr == f"Household member #{member.pk}"


def test_refused_pages_leave_no_view_event(world, tehran_officer, staff_client):
    client = staff_client(tehran_officer)
    client.get(f"/admin/registrations/citizenprofile/{world.in_israel.profile.pk}/change/")
    client.get(f"/admin/registrations/trip/{world.in_israel.trip.pk}/history/")
    assert not AuditEvent.objects.filter(action__in=["view", "view_history"]).exists()


def test_the_address_behind_our_proxy_is_recorded(world, hq_client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = [IP]  # the staff client connects from there: our proxy, here
    hq_client.get(
        f"/admin/registrations/trip/{world.in_iran.trip.pk}/change/",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9",
    )
    assert AuditEvent.objects.get(action="view").ip_address == "203.0.113.9"


def test_erasing_a_citizen_keeps_the_events_about_them(world, hq_client):
    hq_client.get(f"/admin/registrations/citizenprofile/{world.in_france.profile.pk}/change/")

    delete_account(user=world.in_france.user)

    event = AuditEvent.objects.get(action="view")
    assert event.subject is None
    assert event.object_repr == f"Citizen profile #{world.in_france.profile.pk}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (see migration 0004)")
def test_postgresql_refuses_to_update_or_delete_an_audit_event(world, hq_client):
    hq_client.get(f"/admin/registrations/trip/{world.in_iran.trip.pk}/change/")
    event = AuditEvent.objects.get(action="view")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="list")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(subject=None, object_repr="Trip #0")
    assert AuditEvent.objects.filter(pk=event.pk, action="view").exists()
