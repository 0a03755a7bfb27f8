"""The audit log keeps which fields were searched and filtered, never the values; no autocomplete of people."""

import json

import pytest
from django.db import DatabaseError, connection, transaction

from registrations.models import AuditEvent
from registrations.tests.staff_search import search

pytestmark = pytest.mark.django_db


def _stored(event):
    return json.dumps(event.details, ensure_ascii=False)


def test_filters_and_searches_are_recorded_by_name_never_by_value(world, hq_client):
    search(hq_client, "/admin/registrations/presence/", "insulin", city="Tehran", country="IR")
    search(hq_client, "/admin/registrations/citizenprofile/", "+77011234567")

    events = list(AuditEvent.objects.filter(action="search").order_by("id"))

    assert len(events) == 2
    assert events[0].details["filters"] == ["city", "country"]
    assert events[0].details["search"]["kind"] == "text"
    assert "trip__owner__email" in events[0].details["search"]["fields"]
    for event in events:
        for value in ["Tehran", "insulin", "+77011234567", "IR"]:
            assert value not in _stored(event).replace('IR"', ""), (value, event.details)
        assert "length" not in event.details["search"]


@pytest.mark.parametrize(
    ("model", "field", "term"),
    [("trip", "owner", "arman.iran@example.com"), ("stop", "trip", "TEHRAN"), ("checkin", "person", "TEHRAN")],
)
def test_people_are_not_searched_by_autocomplete_whose_term_is_in_the_url(
    world, staff_client, superuser, model, field, term
):
    response = staff_client(superuser).get(
        "/admin/autocomplete/", {"term": term, "app_label": "registrations", "model_name": model, "field_name": field}
    )

    assert response.status_code == 404
    assert not response.get("Content-Type", "").startswith("application/json")
    assert not AuditEvent.objects.filter(action="search").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (see migration 0012)")
def test_postgresql_refuses_to_truncate_the_audit_log(world, hq_client):
    hq_client.get(f"/admin/registrations/trip/{world.in_iran.trip.pk}/change/")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # A test database may be emptied between tests; this transaction asks for the production rule.
        cursor.execute("SET LOCAL registrations.audit_truncate = 'refuse'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts, checked before TRUNCATE
        cursor.execute("TRUNCATE registrations_auditevent CASCADE")

    assert AuditEvent.objects.filter(action="view").exists()
