"""Small factories for the registrations tests: citizens and what they register, staff and their way in.

The fixtures in conftest.py build the shared test world from these; portal's and advisories' tests
import the staff helpers from here too, so that there is one way to sign a staff member in.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from portal.second_factor.models import AuthenticatorDevice
from portal.sessions import lifetimes, mark_signed_in
from registrations import roles
from registrations.models import PRIVACY_NOTICE_VERSION, CitizenProfile, HouseholdMember, StaffAssignment, Stop, Trip
from registrations.models.trips import TripStatus
from registrations.national_ids import make_kazakh_iin

PASSWORD = "a-long-test-passphrase"
# The address staff clients come from (conftest's staff_client): audit events record it.
STAFF_IP = "198.51.100.20"
BIRTH_DATE = date(1990, 5, 17)
# National IDs are unique; steps of 10 leave room for make_kazakh_iin to skip
# a serial whose check digit does not exist.
_serials = itertools.count(100, 10)


def days(offset):
    """A date `offset` days from today."""
    return timezone.localdate() + timedelta(days=offset)


# Accounts.


def make_user(email="citizen@example.com", *, password=PASSWORD, confirmed=True, **fields):
    User = get_user_model()
    return User.objects.create_user(
        email=email,
        password=password,
        is_active=confirmed,
        email_confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )


# Staff and their second factor.


def add_totp_device(user):
    """A confirmed TOTP device, as enrolment leaves it."""
    return AuthenticatorDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def make_officer(email="officer@example.gov.kz", role=None, *, mission=None, **fields):
    """A staff member in the role's group (and assigned to `mission`), with a TOTP device; returns (user, device)."""
    user = make_user(email, is_staff=True, **fields)
    if role:
        user.groups.add(roles.ensure_role(role))
    if mission:
        StaffAssignment.objects.create(user=user, mission=mission)
    return user, add_totp_device(user)


# The name it had before the helper modules were merged, for test files written against it.
make_staff_with_device = make_officer


def totp_code(device):
    """The code the staff member's authenticator app shows right now."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in_staff(client, user):
    """Sign `user` in on `client` with the second factor verified; returns the client.

    The session is the one the sign-in page and /admin/verify/ leave: signed in just now,
    expiring after the staff's idle age (portal.sessions), and holding the staff member's
    confirmed device (one is added if they have none), as django_otp.login() records it.
    So the client's first request does no one-off work a query count would notice. The
    codes themselves are tested in test_staff_security.py; here no code is typed, so a
    test cannot fail on a code refused as replayed or on a 30-second step turning over.
    """
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first() or add_totp_device(user)
    client.force_login(user)
    session = client.session
    mark_signed_in(SimpleNamespace(session=session))
    idle_age, _absolute_age = lifetimes(user)
    session.set_expiry(idle_age)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sign_in_staff_in_browser(page, user):
    """The same in a real browser, as a person does it: the password on the common sign-in page,
    then the code from the authenticator app (the staff member's confirmed device)."""
    page.goto("/en/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/admin/")
    page.get_by_label("Code from your authenticator app").fill(
        totp_code(AuthenticatorDevice.objects.get(user=user, confirmed=True))
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/admin/")


# Citizens, their households and trips.


def make_profile(user=None, *, date_of_birth=BIRTH_DATE, **fields):
    user = user or make_user()
    values = {
        "surname_latin": "SAPAROVA",
        "given_names_latin": "AIGERIM",
        "full_name_native": "Сапарова Айгерим Нурлановна",
        "date_of_birth": date_of_birth,
        "passport_number": "N12345678",
        "passport_expires_on": date(2035, 1, 1),
        "phone": "+77011234567",
        "preferred_language": "en",
        "preferred_channel": "email",
        "emergency_contact_name": "Nurlan Saparov",
        "emergency_contact_relation": "father",
        "emergency_contact_phone": "+77017654321",
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        "privacy_consented_at": timezone.now(),
        **fields,
    }
    if "national_id" not in values:
        values["national_id"] = make_kazakh_iin(date_of_birth, female=True, serial=next(_serials))
    return CitizenProfile.objects.create(user=user, **values)


def make_member(owner, full_name="Timur Saparov", *, date_of_birth=date(2015, 3, 1), **fields):
    values = {"relationship": "child", "citizenship": "KZ", **fields}
    return HouseholdMember.objects.create(owner=owner, full_name=full_name, date_of_birth=date_of_birth, **values)


def make_trip(owner, *stops, travellers=(), kind="tourism", status=None, **fields):
    """A trip with stops given as (country, arrival, departure) or (country, region, arrival, departure)."""
    trip = Trip.objects.create(owner=owner, kind=kind, **fields)
    trip.travellers.set(travellers)
    for position, stop in enumerate(stops):
        country, region, arrival, departure = stop if len(stop) == 4 else (stop[0], "", *stop[1:])
        Stop.objects.create(
            trip=trip,
            position=position,
            country=country,
            region=region,
            city="Somewhere",
            arrival_date=arrival,
            departure_date=departure,
        )
    trip.status = status or trip.status_on(timezone.localdate())
    if trip.status == TripStatus.CANCELLED:
        trip.cancelled_at = timezone.now()
    trip.save()
    return trip


@dataclass
class Citizen:
    """A citizen with a profile, a household and one trip, as the staff see them."""

    user: object
    profile: object
    members: list
    trip: object
    names: list = field(default_factory=list)  # what must not leak: names and addresses

    @property
    def stop(self):
        return self.trip.stops.first()


def make_citizen(email, surname, given, members, *stops, city="Somewhere", status=None, **profile_fields):
    """A citizen with a profile, household members named `members`, and one trip through `stops` (in `city`)."""
    user = make_user(email)
    profile = make_profile(
        user,
        surname_latin=surname,
        given_names_latin=given,
        full_name_native=f"{given.title()} {surname.title()}",
        date_of_birth=date(1980, 1, 1),
        **profile_fields,
    )
    household = [make_member(user, name) for name in members]
    trip = make_trip(user, *stops, travellers=household, status=status)
    Stop.objects.filter(trip=trip).update(city=city)
    return Citizen(user=user, profile=profile, members=household, trip=trip, names=[email, surname, *members])
