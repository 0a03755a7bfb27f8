"""The registrations tests' shared world: citizens, a household, trips, missions, staff of every role, and a crisis.

The crisis part: the June crisis over Iran and Israel, more people in Tehran, and the Iran evacuation with two buses
(`crisis`, `iran`), with the helpers a test calls to build its own (`open_june_crisis`, `in_tehran`,
`make_operation`, `board_row`) and to act (`wants_to_leave`).

Every fixture builds only when a test asks for it. The factories behind them are in factories.py.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from advisories.tests.factories import make_mission
from portal import sms
from registrations import roles
from registrations.models import CitizenProfile, CrisisPerson, Evacuation, RouteLeg, Transport
from registrations.models.checkins import CheckInChannel, Reporter
from registrations.models.crises import PersonStatus
from registrations.models.evacuations import CrossingState
from registrations.services import evacuations
from registrations.services.checkins import record_checkin
from registrations.services.crises import open_crisis, sync_people
from registrations.tests.factories import (
    STAFF_IP,
    Citizen,
    days,
    make_citizen,
    make_member,
    make_officer,
    make_profile,
    make_trip,
    make_user,
    sign_in_staff,
)


@pytest.fixture
def now(time_machine):
    """Time stands still at noon of a fixed day, for tests that count in days from today.

    Built near midnight, a trip "from yesterday" would start two days ago by the time the test
    reads the page; at noon on a fixed day, `days()` means the same thing from start to end.
    A test may still move on with time_machine.shift().
    """
    time_machine.move_to(datetime(2026, 6, 17, 12, tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False)
    return timezone.now()


# Citizens.


@pytest.fixture
def new_citizen(db, client):
    """A citizen signed in on `client`, email confirmed, who has not completed the profile yet."""
    user = make_user()
    client.force_login(user)
    return user


@pytest.fixture
def citizen(new_citizen):
    """A citizen signed in on `client`, with a complete profile."""
    make_profile(new_citizen)
    return new_citizen


@pytest.fixture
def household(citizen):
    """The citizen's spouse, a Turkish citizen, and their son, who has a document of his own."""
    spouse = make_member(citizen, "Dana Saparova", relationship="spouse", citizenship="TR")
    son = make_member(citizen, "Timur Saparov", document_number="N0001")
    return spouse, son


@pytest.fixture
def trips(citizen, household):
    """The citizen's trip through Tehran to Istanbul with the spouse, under way; and a residence in Dubai."""
    spouse, _son = household
    journey = make_trip(
        citizen, ("IR", "IR-23", days(-2), days(3)), ("TR", "TR-34", days(3), days(7)), travellers=[spouse]
    )
    residence = make_trip(citizen, ("AE", "AE-DU", days(-300), None), kind="residence")
    return journey, residence


# Missions, and the citizens the staff look after.


@dataclass
class Missions:
    tehran: object
    tel_aviv: object


@pytest.fixture
def missions(db):
    return Missions(
        tehran=make_mission("IR", "Tehran", ("IR",), name="Embassy in Tehran"),
        tel_aviv=make_mission("IL", "Tel Aviv", ("IL",), name="Embassy in Tel Aviv"),
    )


@dataclass
class World:
    tehran: object
    tel_aviv: object
    in_iran: Citizen
    in_israel: Citizen
    going_to_iran: Citizen
    left_iran: Citizen
    cancelled_iran: Citizen
    in_france: Citizen


@pytest.fixture
def world(now, missions):
    """Two missions and six citizens with their families: in Iran, in Israel, going to Iran, back from Iran,
    a cancelled trip to Iran, and in France (nobody's jurisdiction)."""
    return World(
        tehran=missions.tehran,
        tel_aviv=missions.tel_aviv,
        in_iran=make_citizen(
            "arman.iran@example.com",
            "TEHRANIOV",
            "ARMAN",
            ["Dariga Tehraniova"],
            ("IR", "IR-23", days(-3), days(10)),
            city="Tehran",
        ),
        in_israel=make_citizen(
            "zarina.israel@example.com",
            "YAFFOVA",
            "ZARINA",
            ["Marat Yaffov"],
            ("IL", "IL-TA", days(-30), None),
            city="Tel Aviv",
        ),
        going_to_iran=make_citizen(
            "bolat.upcoming@example.com", "ISFAHANOV", "BOLAT", [], ("IR", "IR-10", days(20), days(30)), city="Isfahan"
        ),
        left_iran=make_citizen(
            "gulnar.left@example.com", "SHIRAZOVA", "GULNAR", ["Erlan Shirazov"], ("IR", days(-40), days(-20))
        ),
        cancelled_iran=make_citizen(
            "daniyar.cancelled@example.com", "TABRIZOV", "DANIYAR", [], ("IR", days(5), days(9)), status="cancelled"
        ),
        in_france=make_citizen(
            "pierre.france@example.com", "PARISOV", "PETR", ["Anna Parisova"], ("FR", days(-2), days(5)), city="Paris"
        ),
    )


# Staff: one of each role, each with a confirmed TOTP device (every staff member needs one for the admin).


@pytest.fixture
def superuser(db):
    return make_officer("root@mfa.example.gov.kz", is_superuser=True)[0]


@pytest.fixture
def hq_officer(db):
    return make_officer("hq@mfa.example.gov.kz", roles.HEADQUARTERS_OFFICER)[0]


@pytest.fixture
def tehran_officer(missions):
    return make_officer("tehran@mfa.example.gov.kz", roles.MISSION_OFFICER, mission=missions.tehran)[0]


@pytest.fixture
def tel_aviv_officer(missions):
    return make_officer("tel_aviv@mfa.example.gov.kz", roles.MISSION_OFFICER, mission=missions.tel_aviv)[0]


@pytest.fixture
def advisory_editor(db):
    return make_officer("editor@mfa.example.gov.kz", roles.ADVISORY_EDITOR)[0]


@pytest.fixture
def advisory_publisher(db):
    return make_officer("publisher@mfa.example.gov.kz", roles.ADVISORY_PUBLISHER)[0]


@pytest.fixture
def auditor(db):
    return make_officer("auditor@mfa.example.gov.kz", roles.AUDITOR)[0]


@pytest.fixture
def staff_without_role(db):
    return make_officer("someone@mfa.example.gov.kz")[0]


@pytest.fixture
def staff_client(db):
    """staff_client(user): a client of its own, signed in as `user` with the second factor verified."""
    return lambda user: sign_in_staff(Client(REMOTE_ADDR=STAFF_IP), user)


@pytest.fixture
def hq_client(staff_client, hq_officer):
    return staff_client(hq_officer)


# A crisis: Iran and Israel, June, and the Iran evacuation.
#
# On top of `world` (Arman in Tehran with his daughter Dariga, 11; Zarina in Tel Aviv with Marat):
# - Nurlan, 71, alone; Aliya and Erlan, adults alone; all in Tehran;
# - the operation "Iran by road": Tehran → Astara (into Azerbaijan) and Tehran → Agarak (into Armenia),
#   bus A to Astara with 3 seats and bus B to Agarak with 2, leaving tomorrow at 08:00 Tehran time.

TEHRAN = ZoneInfo("Asia/Tehran")


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


@pytest.fixture
def sms_outbox(settings):
    """SMS go to portal.sms.outbox, emptied."""
    settings.SMS_BACKEND = "portal.sms.backends.locmem.SmsBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def crisis(world, hq_officer):
    """Iran and Israel, June: Arman (in Tehran with Dariga) and Zarina (in Tel Aviv with Marat) on the board."""
    return open_june_crisis(hq_officer)


@pytest.fixture
def arman(crisis, world):
    """On the June board: the citizen in Tehran (his wife Dariga travels with him)."""
    return CrisisPerson.objects.get(crisis=crisis, citizen=world.in_iran.user, member=None)


@pytest.fixture
def dariga(crisis, world):
    return CrisisPerson.objects.get(crisis=crisis, member=world.in_iran.members[0])


@pytest.fixture
def zarina(crisis, world):
    """On the June board: the citizen in Tel Aviv."""
    return CrisisPerson.objects.get(crisis=crisis, citizen=world.in_israel.user, member=None)


@pytest.fixture
def iran(world, crisis, hq_officer):
    return build_iran(world, crisis, hq_officer)


@contextmanager
def connections_for(threads):
    """A database connection for each of `threads` at once, whatever the pool's size and wait in the settings.

    The production pool is small and gives up after half a second; tests that start many
    threads together need each its own connection, as that many web workers would have.
    """
    options = connection.settings_dict["OPTIONS"]
    pooled = options.get("pool")
    if not pooled:
        yield
        return
    connection.close()
    connection.close_pool()
    options["pool"] = {**pooled, "max_size": threads + 2, "timeout": 30}
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        options["pool"] = pooled
