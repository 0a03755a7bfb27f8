"""Evacuation manifests and staff pages: the passenger list field by field, the printed page, scoping and audit."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations.models import AuditEvent, CitizenProfile, HouseholdMember, ManifestEntry
from registrations.services import evacuations, seat_offers
from registrations.tests.conftest import build_iran, make_operation, wants_to_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]


@pytest.fixture
def iran(iran, hq_officer):
    """Arman and his daughter Dariga on bus A (to Astara), Nurlan on bus B (to Agarak); Erlan still waiting."""
    CitizenProfile.objects.filter(user=iran.arman.citizen).update(sex="M")
    HouseholdMember.objects.filter(pk=iran.dariga.member_id).update(sex="F", citizenship="TR")
    wants_to_leave(iran.arman, iran.nurlan, iran.erlan)
    family = list(ManifestEntry.objects.filter(person__in=[iran.arman, iran.dariga]))
    seat_offers.confirm_seats(transport=iran.bus_a, entries=family, officer=hq_officer)
    seat_offers.confirm_seats(
        transport=iran.bus_b, entries=list(ManifestEntry.objects.filter(person=iran.nurlan)), officer=hq_officer
    )
    return iran


def build_operation_copy(iran, officer):
    """A second operation with its legs and buses, so that every list has more rows."""
    return make_operation(iran.crisis, officer)[0]


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_transport_csv_is_an_advance_passenger_list_checked_field_by_field(iran, hq_client):
    response = hq_client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/manifest/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, arman, dariga = csv_rows(response)
    assert header == [
        "surname",
        "given names",
        "sex",
        "date of birth",
        "nationality",
        "document type",
        "document number",
        "document issuing country",
        "document expiry date",
        "transport",
        "seat",
        "embarkation",
        "disembarkation",
    ]
    assert arman == [
        "TEHRANIOV",
        "ARMAN",
        "M",
        "1980-01-01",
        "KAZ",
        "P",
        "N12345678",
        "KAZ",
        "2035-01-01",
        "Bus 10 AZ 101",
        "1",
        "Azadi Square, Tehran",
        "Astara (Azerbaijan)",
    ]
    assert dariga == [
        "Tehraniova",
        "Dariga",
        "F",
        date(2015, 3, 1).isoformat(),
        "TUR",
        "",
        "",
        "",
        "",
        "Bus 10 AZ 101",
        "2",
        "Azadi Square, Tehran",
        "Astara (Azerbaijan)",
    ]
    event = AuditEvent.objects.get(action="export")
    assert event.details == {"filters": {"transport": iran.bus_a.pk}, "rows": 2}


def test_the_printed_crossing_manifest_lists_exactly_the_people_on_the_transports_through_it(iran, hq_client):
    astara = hq_client.get(f"/admin/registrations/routeleg/{iran.astara.pk}/manifest/")
    agarak = hq_client.get(f"/admin/registrations/routeleg/{iran.agarak.pk}/manifest/")

    assert astara.status_code == 200
    names = [(row[0], row[1]) for _entry, _name, row in astara.context["rows"]]
    assert names == [("TEHRANIOV", "ARMAN"), ("Tehraniova", "Dariga")]
    assert "AKHMETOV" not in astara.text and "BEKOV" not in astara.text
    assert "AKHMETOV" in agarak.text and "TEHRANIOV" not in agarak.text
    # A document to print and sign: its own print style sheet, and the facts of the crossing.
    assert "css/manifest.css" in astara.text
    assert "Astara (Iran → Azerbaijan)" in astara.text
    assert "Border officer: name, signature, stamp" in astara.text
    assert "2 passengers" in astara.text
    assert AuditEvent.objects.filter(action="list", details__filters={"crossing": iran.astara.pk}).exists()


def test_a_tel_aviv_officer_sees_none_of_irans_operations_or_their_people(iran, tel_aviv_officer, staff_client):
    client = staff_client(tel_aviv_officer)

    assert client.get("/admin/registrations/evacuation/").context["cl"].result_count == 0
    assert client.get("/admin/registrations/manifestentry/").context["cl"].result_count == 0
    assert client.get(f"/admin/registrations/evacuation/{iran.evacuation.pk}/queue/").status_code == 404
    assert client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/manifest/").status_code == 404
    assert client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/manifest/?format=csv").status_code == 404
    assert client.get(f"/admin/registrations/routeleg/{iran.astara.pk}/manifest/").status_code == 404
    assert client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/door/").status_code == 404
    entry = ManifestEntry.objects.get(person=iran.arman)
    assert client.get(f"/admin/registrations/manifestentry/{entry.pk}/change/").status_code in (302, 404)
    refused = client.post(f"/admin/registrations/transport/{iran.bus_a.pk}/door/{entry.pk}/", {"status": "boarded"})
    assert refused.status_code == 404
    assert ManifestEntry.objects.get(pk=entry.pk).status == "confirmed"
    assert evacuations.progress(iran.crisis, tel_aviv_officer)[0] == []


def test_the_tehran_officer_sees_and_prints_irans_manifests(iran, tehran_officer, staff_client):
    client = staff_client(tehran_officer)

    assert client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/manifest/").status_code == 200
    assert client.get(f"/admin/registrations/evacuation/{iran.evacuation.pk}/queue/").status_code == 200
    assert client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/door/").status_code == 200
    seen = client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/change/")
    assert seen.status_code == 200 and "Asia/Tehran" in seen.text and 'name="operator"' not in seen.text
    # Mission officers work operations; headquarters plans them.
    assert client.get("/admin/registrations/evacuation/add/").status_code == 403


def test_staff_without_a_crisis_role_cannot_print_a_manifest(iran, advisory_editor, staff_client):
    client = staff_client(advisory_editor)

    assert client.get(f"/admin/registrations/transport/{iran.bus_a.pk}/manifest/").status_code in (403, 404)


def test_the_queue_page_lists_the_waiting_with_their_reasons_and_is_audited(iran, hq_client):
    page = hq_client.get(f"/admin/registrations/evacuation/{iran.evacuation.pk}/queue/")

    assert page.status_code == 200
    assert "ERLAN BEKOV" in page.text and "Everyone else, by request time" in page.text
    assert "TEHRANIOV" not in page.text  # seated already
    assert AuditEvent.objects.filter(action="list", details__filters__evacuation=iran.evacuation.pk).exists()


def test_staff_find_someone_of_the_crisis_and_add_them_with_their_household(world, crisis, hq_officer, hq_client):
    iran = build_iran(world, crisis, hq_officer)  # nobody seated yet
    queue = f"/admin/registrations/evacuation/{iran.evacuation.pk}/queue/"

    found = hq_client.post(queue, {"q": "tehraniov"}, follow=True)
    added = hq_client.post(f"{queue}add/", {"person": iran.arman.pk})

    assert "ARMAN TEHRANIOV" in found.text
    assert added.status_code == 302
    assert set(iran.evacuation.entries.values_list("person_id", "source")) == {
        (iran.arman.pk, "staff"),
        (iran.dariga.pk, "staff"),
    }
    assert AuditEvent.objects.filter(action="search", details__search__kind="text").exists()


def test_the_operation_page_lists_its_transports_with_their_counts_and_links(iran, hq_client):
    page = hq_client.get(f"/admin/registrations/evacuation/{iran.evacuation.pk}/change/")

    assert page.status_code == 200
    assert "Offer the free seats of Bus 10 AZ 101" in page.text
    assert f"/admin/registrations/transport/{iran.bus_a.pk}/door/" in page.text
    assert f"/admin/registrations/routeleg/{iran.astara.pk}/manifest/" in page.text


def test_the_admin_lists_cost_the_same_number_of_queries_whatever_the_rows(iran, hq_client, hq_officer):
    urls = [
        "/admin/registrations/manifestentry/",
        "/admin/registrations/transport/",
        "/admin/registrations/evacuation/",
        "/admin/registrations/routeleg/",
        f"/admin/registrations/evacuation/{iran.evacuation.pk}/change/",
        f"/admin/registrations/evacuation/{iran.evacuation.pk}/queue/",
        f"/admin/registrations/transport/{iran.bus_a.pk}/door/",
        f"/admin/registrations/routeleg/{iran.astara.pk}/manifest/",
    ]

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert hq_client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    queries()  # warm the caches (content types, permissions)
    before = queries()
    wants_to_leave(iran.aliya)
    seat_offers.confirm_seats(
        transport=iran.bus_a, entries=list(ManifestEntry.objects.filter(person=iran.aliya)), officer=hq_officer
    )
    second = build_operation_copy(iran, hq_officer)

    assert second.transports.count() == 2
    assert queries() == before
