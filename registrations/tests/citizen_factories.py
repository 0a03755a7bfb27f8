"""Small factories for citizens' profiles, households and trips."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from registrations.models import PRIVACY_NOTICE_VERSION, CitizenProfile, HouseholdMember, Stop, Trip
from registrations.models.trips import TripStatus
from registrations.national_ids import make_kazakh_iin
from registrations.tests.factories import make_user

BIRTH_DATE = date(1990, 5, 17)
# National IDs are unique; steps of 10 leave room for make_kazakh_iin to skip
# a serial whose check digit does not exist.
_serials = itertools.count(100, 10)


def make_profile(user=None, *, date_of_birth=BIRTH_DATE, **fields):
    user = user or make_user()
    values = {
        "surname_latin": "SAPAROVA",
        "given_names_latin": "AIGERIM",
        "full_name_native": "Сапарова Айгерим Нурлановна",
        "date_of_birth": date_of_birth,
        "national_id": make_kazakh_iin(date_of_birth, female=True, serial=next(_serials)),
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


def days(offset):
    """A date `offset` days from today."""
    return timezone.localdate() + timedelta(days=offset)
