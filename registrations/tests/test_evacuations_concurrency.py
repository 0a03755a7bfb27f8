"""Never overbooked: threads racing for the seats of one bus, on PostgreSQL's row locks."""

import threading

import pytest
from django.db import connection
from django.test import Client

from registrations.models import ManifestEntry
from registrations.models.evacuations import HOLDS_A_SEAT, ManifestStatus
from registrations.services import manifests, seat_offers
from registrations.services.crises import sync_people
from registrations.tests.conftest import board_row, connections_for, in_tehran, make_operation, open_june_crisis

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has no row locks; concurrency is PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sms_outbox"),
]

THREADS = 20


@pytest.fixture(autouse=True)
def room_for_every_thread():
    """Each thread holds a database connection while it waits for the locks."""
    with connections_for(THREADS):
        yield


@pytest.fixture
def ten_seat_bus_and_twenty_waiting(world, hq_officer):
    """A 10-seat bus to Astara, and 20 people alone in Tehran waiting for a seat."""
    crisis = open_june_crisis(hq_officer)
    citizens = [in_tehran(f"waiting{n:02d}@example.com", f"WAITINGOV{n:02d}", "ASKAR") for n in range(THREADS)]
    sync_people(crisis)
    evacuation, _astara, _agarak, bus, _bus_b = make_operation(crisis, hq_officer, seats_a=10)
    for citizen in citizens:
        manifests.request_seat(evacuation=evacuation, person=board_row(crisis, citizen), source="staff")
    return bus, list(evacuation.entries.order_by("pk"))


def run_together(work):
    """Run work(0…THREADS-1) in THREADS threads released at the same instant; returns their results."""
    start = threading.Barrier(THREADS)
    results = [None] * THREADS

    def run(index):
        from django.db import connection as thread_connection

        try:
            start.wait()
            results[index] = work(index)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def assert_never_overbooked(bus):
    held = ManifestEntry.objects.filter(transport=bus, status__in=HOLDS_A_SEAT)
    seats = list(held.values_list("seat__number", flat=True))
    assert len(seats) == len(set(seats)) <= bus.seats.count() == 10
    assert all(1 <= seat <= 10 for seat in seats)


def test_twenty_threads_seating_twenty_people_on_a_ten_seat_bus_seat_exactly_ten(
    ten_seat_bus_and_twenty_waiting, hq_officer
):
    bus, entries = ten_seat_bus_and_twenty_waiting

    def seat(index):
        try:
            seat_offers.confirm_seats(transport=bus, entries=[entries[index]], officer=hq_officer)
        except manifests.NotEnoughSeats:
            return "full"
        return "seated"

    results = run_together(seat)

    assert sorted(results) == ["full"] * 10 + ["seated"] * 10
    assert ManifestEntry.objects.filter(transport=bus, status=ManifestStatus.CONFIRMED).count() == 10
    assert ManifestEntry.objects.filter(status=ManifestStatus.REQUESTED).count() == 10
    assert_never_overbooked(bus)


def test_twenty_threads_confirming_the_offers_for_a_ten_seat_bus_end_with_exactly_ten_confirmed(
    ten_seat_bus_and_twenty_waiting, hq_officer
):
    bus, _entries = ten_seat_bus_and_twenty_waiting
    offers = seat_offers.offer_free_seats(transport=bus, officer=hq_officer)
    assert len(offers) == 10
    # Each offer answered "yes" twice at the same moment: a double tap, or the same link on two phones.
    links = [
        seat_offers.offer_url(offer, language="en").split("127.0.0.1:8000", 1)[-1] for offer in offers for _ in (1, 2)
    ]

    responses = run_together(lambda index: Client().post(links[index], {"answer": "accept"}).status_code)

    assert responses == [200] * THREADS
    assert ManifestEntry.objects.filter(transport=bus, status=ManifestStatus.CONFIRMED).count() == 10
    assert ManifestEntry.objects.filter(status=ManifestStatus.REQUESTED).count() == 10
    assert_never_overbooked(bus)


def test_declines_and_yes_to_the_seats_they_free_race_without_overbooking(ten_seat_bus_and_twenty_waiting, hq_officer):
    bus, entries = ten_seat_bus_and_twenty_waiting
    offers = seat_offers.offer_free_seats(transport=bus, officer=hq_officer)
    waiting = [
        entry for entry in entries if not ManifestEntry.objects.filter(pk=entry.pk, offer__isnull=False).exists()
    ]

    def answer_or_seat(index):
        # Ten offers declined (each freeing a seat offered on at once) while ten officers seat people by phone.
        if index < 10:
            seat_offers.answer_offer(offer=offers[index], accept=False)
            return "declined"
        try:
            seat_offers.confirm_seats(transport=bus, entries=[waiting[index - 10]], officer=hq_officer)
        except manifests.EvacuationRefused:
            return "refused"
        return "seated"

    run_together(answer_or_seat)

    assert_never_overbooked(bus)
    held = ManifestEntry.objects.filter(transport=bus, status__in=HOLDS_A_SEAT)
    assert held.count() == 10  # every seat freed went to someone waiting
    assert ManifestEntry.objects.filter(status=ManifestStatus.DECLINED).count() == 10
