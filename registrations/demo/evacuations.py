"""The demo crisis's evacuations, as the June 2025 seed tells them.

Out of Iran by bus to three borders: Azerbaijan (Astara), Armenia (Agarak),
Turkmenistan (Sarakhs). Out of Israel by bus to Egypt (Taba), then a flight
from Cairo to Shymkent: two operations, since a person holds one seat per
operation. Everyone who answered "I want to leave" is in the queues (and in
Iran fifteen more households answer so now); staff have seated the first
households by phone and some have boarded the bus to Astara. No offer is
sent: pressing "Offer the free seats" is left to whoever tries the demo (the
offers' emails then show in the console).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import Evacuation, RouteLeg, Transport
from ..models.checkins import CheckInChannel, Reporter
from ..models.crises import PersonStatus
from ..models.evacuations import CrossingState, EvacuationStatus, ManifestStatus, TransportKind
from ..services import evacuations, manifests, seat_offers
from ..services.checkins import record_checkin

# (position, origin, destination, crossing point, leaving, entering, state, public note)
IRAN_LEGS = [
    (1, "Tehran", "Astara (Azerbaijan)", "Astara", "IR", "AZ", CrossingState.OPEN, "Waits of about 3 hours."),
    (
        2,
        "Tehran",
        "Agarak (Armenia)",
        "Agarak",
        "IR",
        "AM",
        CrossingState.OPEN_AT_NIGHT,
        "Open from 20:00 to 06:00; waits of up to 17 hours reported.",
    ),
    (
        3,
        "Tehran",
        "Sarakhs (Turkmenistan)",
        "Sarakhs",
        "IR",
        "TM",
        CrossingState.RESTRICTED,
        "Transit visas on arrival.",
    ),
]
# (kind, operator, number, seats, legs served (positions), departure place, time zone, days ahead, hour)
IRAN_TRANSPORTS = [
    (TransportKind.BUS, "Tehran Coach Lines", "10 AZ 101", 50, [1], "Azadi Square, Tehran", "Asia/Tehran", 1, 7),
    (TransportKind.BUS, "Tehran Coach Lines", "20 AM 202", 45, [2], "Azadi Square, Tehran", "Asia/Tehran", 1, 16),
    (TransportKind.MINIBUS, "Mashhad Travel", "30 TM 303", 20, [3], "Azadi Square, Tehran", "Asia/Tehran", 2, 6),
]
ISRAEL_LEGS = [(1, "Tel Aviv", "Taba (Egypt)", "Taba", "IL", "EG", CrossingState.OPEN, "")]
ISRAEL_TRANSPORTS = [
    (
        TransportKind.BUS,
        "Egged Tours",
        "77-123-45",
        50,
        [1],
        "Savidor Central Station, Tel Aviv",
        "Asia/Jerusalem",
        1,
        6,
    ),
]
FLIGHT_LEGS = [(1, "Taba", "Cairo", "", "", "", "", ""), (2, "Cairo", "Shymkent", "", "", "", "", "")]
FLIGHT_TRANSPORTS = [
    (TransportKind.FLIGHT, "Air Astana", "KC 7208", 180, [2], "Cairo International Airport", "Africa/Cairo", 2, 14),
]


def load_evacuations(crisis, *, stdout):
    """The crisis's operations, routes, transports and queues; returns the operations (none if already there)."""
    if Evacuation.objects.filter(crisis=crisis).exists():
        return []
    hq = get_user_model().objects.get(email="hq@example.com")
    operations = [
        _operation(crisis, hq, "Iran by road: Azerbaijan, Armenia, Turkmenistan", "IR", IRAN_LEGS, IRAN_TRANSPORTS),
        _operation(crisis, hq, "Israel by road to Egypt (Taba)", "IL", ISRAEL_LEGS, ISRAEL_TRANSPORTS),
        _operation(crisis, hq, "Flight Cairo → Shymkent", "IL", FLIGHT_LEGS, FLIGHT_TRANSPORTS),
    ]
    iran, israel, _flight = operations
    _more_want_to_leave(crisis, "IR", households=15)
    _seat_the_first(iran, iran.transports.get(vehicle_number="10 AZ 101"), hq, parties=6, boarded=4)
    _seat_the_first(israel, israel.transports.get(), hq, parties=2, boarded=0)
    stdout.write(
        f"Evacuations: {len(operations)} operations, "
        f"{sum(operation.entries.count() for operation in operations)} people in their queues and on board."
    )
    return operations


def _operation(crisis, hq, name, country, legs, transports):
    evacuation = evacuations.save_evacuation(
        evacuation=Evacuation(
            crisis=crisis, name=name, from_country=country, status=EvacuationStatus.ACTIVE, offer_hours=4
        ),
        officer=hq,
    )
    by_position = {}
    for position, origin, destination, point, leaving, entering, state, note in legs:
        leg = RouteLeg(
            evacuation=evacuation,
            position=position,
            origin=origin,
            destination=destination,
            crossing_point=point,
            exit_country=leaving,
            entry_country=entering,
            crossing_state=state,
            public_note=note,
        )
        evacuations.save_leg(leg=leg)
        by_position[position] = leg
    today = timezone.localdate()
    for kind, operator, number, seats, served, place, zone, days_ahead, hour in transports:
        day = today + timedelta(days=days_ahead)
        transport = Transport(
            evacuation=evacuation,
            kind=kind,
            operator=operator,
            vehicle_number=number,
            departure_place=place,
            departure_time_zone=zone,
            departs_at=datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone)),
            contact_on_board="Consular officer on duty, +7 717 272 0000",
        )
        evacuations.save_transport(
            transport=transport, legs=[by_position[position] for position in served], seats=seats
        )
    return evacuation


def _more_want_to_leave(crisis, country, *, households):
    """Answers keep coming in: households not heard from yet say they want to leave (and so ask for seats)."""
    silent = crisis.people.citizens().filter(country=country, status=PersonStatus.NOT_ANSWERED).order_by("pk")
    for citizen in silent[:households]:
        for person in crisis.people.filter(citizen_id=citizen.citizen_id).order_by("pk"):
            record_checkin(
                person=person, status=PersonStatus.WANTS_TO_LEAVE, reporter=Reporter.PERSON, channel=CheckInChannel.LINK
            )


def _seat_the_first(evacuation, transport, hq, *, parties, boarded):
    """The first households in the queue said yes on the phone; the first `boarded` people are on the bus."""
    seated = []
    for party in manifests.queue(evacuation)[:parties]:
        seated += seat_offers.confirm_seats(transport=transport, entries=party.entries, officer=hq)
    for entry in seated[:boarded]:
        manifests.mark(entry=entry, status=ManifestStatus.BOARDED, officer=hq)
