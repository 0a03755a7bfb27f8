"""The registrations tests' shared world: citizens, a household, trips, missions, and staff of every role.

Every fixture builds only when a test asks for it. The factories behind them are in factories.py.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from advisories.tests.factories import make_mission
from registrations import roles
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
