"""The POST data of the citizen's forms, as a browser sends them: trip, profile, household member, check-in."""

import uuid
from datetime import date
from urllib.parse import urlsplit

from registrations.models.crises import PersonStatus
from registrations.national_ids import make_kazakh_iin
from registrations.services.checkins import checkin_url


def stop(country="IR", region="IR-23", city="Tehran", arrival="", departure="", address=""):
    return {
        "country": country,
        "region": region,
        "city": city,
        "address": address,
        "arrival_date": str(arrival),
        "departure_date": str(departure or ""),
    }


def trip_data(*stops, kind="tourism", travellers=(), token=None, phone="", action="save", stop_ids=()):
    """A form as the page gives it: with a fresh submission token unless `token` is given (False: none)."""
    data = {
        "kind": kind,
        "phone_abroad": phone,
        "travellers": [member.pk for member in travellers],
        "stops-TOTAL_FORMS": str(len(stops)),
        "stops-INITIAL_FORMS": str(len(stop_ids)),
        "stops-MIN_NUM_FORMS": "1",
        "stops-MAX_NUM_FORMS": "1000",
        "action": action,
    }
    if token is None:
        token = uuid.uuid4()
    if token:
        data["submission_token"] = str(token)
    for index, fields in enumerate(stops):
        for name, value in fields.items():
            data[f"stops-{index}-{name}"] = value
    for index, stop_id in enumerate(stop_ids):
        data[f"stops-{index}-id"] = str(stop_id)
    return data


def profile_data(**changes):
    data = {
        "surname_latin": "SAPAROVA",
        "given_names_latin": "AIGERIM",
        "full_name_native": "Сапарова Айгерим Нурлановна",
        "date_of_birth": "1990-05-17",
        "national_id": make_kazakh_iin(date(1990, 5, 17), female=True),
        "passport_number": "n 1234 5678",
        "passport_expires_on": "2031-01-31",
        "phone": "8 701 123 4567",
        "preferred_language": "ru",
        "preferred_channel": "sms",
        "medical_needs": "",
        "mobility_needs": "",
        "emergency_contact_name": "Nurlan Saparov",
        "emergency_contact_relation": "father",
        "emergency_contact_phone": "+90 532 123 4567",
        "emergency_contact_email": "",
        "privacy_consent": "on",
    }
    data.update(changes)
    return data


def member_data(**changes):
    return {
        "full_name": "Dana Saparova",
        "date_of_birth": "1992-02-03",
        "relationship": "spouse",
        "citizenship": "TR",
        "document_number": "",
        "needs": "",
        **changes,
    }


def link_path(person, language="en"):
    return urlsplit(checkin_url(person, language=language)).path


def answers(citizen, member=None, /, *, token=None, **fields):
    """The page's POST: `own…` fields for the citizen, `member…` fields for the household member."""
    data = {"submission_token": str(token or uuid.uuid4())}
    data[f"status_{citizen.pk}"] = fields.get("own", PersonStatus.SAFE)
    data[f"city_{citizen.pk}"] = fields.get("own_city", "Tehran")
    data[f"note_{citizen.pk}"] = fields.get("own_note", "")
    if member is not None:
        data[f"status_{member.pk}"] = fields.get("member", "")
        data[f"city_{member.pk}"] = fields.get("member_city", "Tehran")
        data[f"note_{member.pk}"] = fields.get("member_note", "")
    return data
