"""Staff with roles and missions, and citizens present in Iran and Israel, for the admin's tests."""

from dataclasses import dataclass, field
from datetime import date

from django.test import Client

from advisories.tests.factories import make_mission
from registrations import roles
from registrations.models import StaffAssignment, Stop
from registrations.national_ids import make_kazakh_iin
from registrations.tests.citizen_factories import days, make_member, make_profile, make_trip
from registrations.tests.factories import make_staff_with_device, make_user, totp_code


def make_officer(email, role=None, *, mission=None, **fields):
    """A staff member in the role's group (and assigned to `mission`), with a TOTP device."""
    user, device = make_staff_with_device(email, **fields)
    if role:
        user.groups.add(roles.ensure_role(role))
    if mission:
        StaffAssignment.objects.create(user=user, mission=mission)
    return user, device


def admin_client(user, device):
    """A client signed in as `user` with the second factor verified, as a person would."""
    client = Client(REMOTE_ADDR="198.51.100.20")
    client.force_login(user)
    response = client.post("/admin/verify/", {"otp_token": totp_code(device)})
    assert response.status_code == 302, "the TOTP code was refused"
    return client


@dataclass
class Citizen:
    user: object
    profile: object
    members: list
    trip: object
    names: list = field(default_factory=list)  # what must not leak: names and addresses

    @property
    def stop(self):
        return self.trip.stops.first()


_serial = iter(range(1, 10_000))


def make_citizen(email, surname, given, members, *stops, city="Somewhere", status=None, **profile_fields):
    born = date(1980, 1, 1 + next(_serial) % 27)
    user = make_user(email)
    profile = make_profile(
        user,
        surname_latin=surname,
        given_names_latin=given,
        full_name_native=f"{given.title()} {surname.title()}",
        date_of_birth=born,
        national_id=make_kazakh_iin(born, serial=next(_serial)),
        **profile_fields,
    )
    household = [make_member(user, name) for name in members]
    trip = make_trip(user, *stops, travellers=household, status=status)
    Stop.objects.filter(trip=trip).update(city=city)
    return Citizen(user=user, profile=profile, members=household, trip=trip, names=[email, surname, *members])


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


def build_world():
    tehran = make_mission("IR", "Tehran", ("IR",), name="Embassy in Tehran")
    tel_aviv = make_mission("IL", "Tel Aviv", ("IL",), name="Embassy in Tel Aviv")
    return World(
        tehran=tehran,
        tel_aviv=tel_aviv,
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
