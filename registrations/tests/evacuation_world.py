"""The evacuation tests' world: the June crisis, more people in Iran, and the Iran operation with two buses.

On top of conftest's `world` (Arman in Tehran with his daughter Dariga, 11; Zarina in Tel Aviv with Marat):
- Nurlan, 71, alone; Aliya and Erlan, adults alone; all in Tehran;
- the operation "Iran by road": Tehran → Astara (into Azerbaijan) and Tehran → Agarak (into Armenia),
  bus A to Astara with 3 seats and bus B to Agarak with 2, leaving tomorrow at 08:00 Tehran time.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal import sms
from registrations.models import CitizenProfile, CrisisPerson, Evacuation, RouteLeg, Transport
from registrations.models.checkins import CheckInChannel, Reporter
from registrations.models.crises import PersonStatus
from registrations.models.evacuations import CrossingState
from registrations.services import evacuations
from registrations.services.checkins import record_checkin
from registrations.services.crises import open_crisis
from registrations.tests.factories import days, make_citizen

TEHRAN = ZoneInfo("Asia/Tehran")


def local_sms(settings):
    """SMS go to portal.sms.outbox, emptied: call from a test file's fixture."""
    settings.SMS_BACKEND = "portal.sms.backends.locmem.SmsBackend"
    sms.outbox.clear()
    return sms.outbox


def open_june_crisis(officer):
    return open_crisis(name="Iran and Israel, June", areas=[("IR", ""), ("IL", "")], opened_by=officer)


def in_tehran(email, surname, given, members=(), *, born=None, **profile):
    citizen = make_citizen(email, surname, given, list(members), ("IR", "IR-23", days(-5), days(20)), city="Tehran")
    if born:
        CitizenProfile.objects.filter(user=citizen.user).update(date_of_birth=born, **profile)
    elif profile:
        CitizenProfile.objects.filter(user=citizen.user).update(**profile)
    return citizen


@dataclass
class Iran:
    crisis: object
    evacuation: object
    astara: object  # the crossing legs
    agarak: object
    bus_a: object  # to Astara, 3 seats
    bus_b: object  # to Agarak, 2 seats
    arman: object  # CrisisPerson rows
    dariga: object
    nurlan: object
    aliya: object
    erlan: object
    zarina: object


def board_row(crisis, citizen, member=None):
    return CrisisPerson.objects.get(crisis=crisis, citizen=citizen.user, member=member)


def wants_to_leave(*people):
    """Each answers "I want to leave" (and so asks for a seat), one after the other."""
    for crisis_person in people:
        record_checkin(
            person=crisis_person,
            status=PersonStatus.WANTS_TO_LEAVE,
            reporter=Reporter.PERSON,
            channel=CheckInChannel.LINK,
        )


def departure(day=date(2026, 6, 18), hour=8):
    return datetime(day.year, day.month, day.day, hour, tzinfo=TEHRAN)


def make_operation(crisis, officer, *, seats_a=3, seats_b=2):
    evacuation = evacuations.save_evacuation(
        evacuation=Evacuation(crisis=crisis, name="Iran by road", from_country="IR"), officer=officer
    )
    astara, agarak = (
        RouteLeg(
            evacuation=evacuation,
            position=position,
            origin="Tehran",
            destination=destination,
            crossing_point=point,
            exit_country="IR",
            entry_country=country,
            crossing_state=state,
        )
        for position, destination, point, country, state in [
            (1, "Astara (Azerbaijan)", "Astara", "AZ", CrossingState.OPEN),
            (2, "Agarak (Armenia)", "Agarak", "AM", CrossingState.OPEN_AT_NIGHT),
        ]
    )
    evacuations.save_leg(leg=astara)
    evacuations.save_leg(leg=agarak)
    buses = []
    for number, leg, seats in [("10 AZ 101", astara, seats_a), ("20 AM 202", agarak, seats_b)]:
        bus = Transport(
            evacuation=evacuation,
            operator="Tehran Coach Lines",
            vehicle_number=number,
            departure_place="Azadi Square, Tehran",
            departure_time_zone="Asia/Tehran",
            departs_at=departure(),
            contact_on_board="Officer Saparov, +98 912 000 0000",
        )
        evacuations.save_transport(transport=bus, legs=[leg], seats=seats)
        buses.append(bus)
    return evacuation, astara, agarak, *buses


def build_iran(world, crisis, hq_officer):
    """The operation, and everyone in Tehran on the crisis board (nobody has asked for a seat yet)."""
    nurlan = in_tehran("nurlan.elder@example.com", "AKHMETOV", "NURLAN", born=date(1955, 5, 1))
    aliya = in_tehran("aliya@example.com", "OMAROVA", "ALIYA", preferred_language="ru")
    erlan = in_tehran("erlan@example.com", "BEKOV", "ERLAN")
    from registrations.services.crises import sync_people

    sync_people(crisis)
    evacuation, astara, agarak, bus_a, bus_b = make_operation(crisis, hq_officer)
    return Iran(
        crisis=crisis,
        evacuation=evacuation,
        astara=astara,
        agarak=agarak,
        bus_a=bus_a,
        bus_b=bus_b,
        arman=board_row(crisis, world.in_iran),
        dariga=board_row(crisis, world.in_iran, world.in_iran.members[0]),
        nurlan=board_row(crisis, nurlan),
        aliya=board_row(crisis, aliya),
        erlan=board_row(crisis, erlan),
        zarina=board_row(crisis, world.in_israel),
    )
