"""Demonstration accounts and citizens; called by `manage.py load_demo_data`."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import roles
from ..models import PRIVACY_NOTICE_VERSION, CitizenProfile, HouseholdMember, StaffAssignment, Stop, Trip
from ..models.trips import TripStatus
from ..national_ids import make_kazakh_iin
from .citizens import load_citizens
from .crises import load_crisis

# Printed for the demo; the command refuses to run in production.
DEMO_PASSWORD = "demo-portal-2026"

DEMO_ACCOUNTS = [
    # email, is_staff, is_superuser
    ("citizen@example.com", False, False),
    ("aigerim@example.com", False, False),
    ("officer@example.com", True, True),
]

# Staff accounts of each role: email, role, the mission (by name) of a mission officer.
DEMO_STAFF = [
    ("hq@example.com", roles.HEADQUARTERS_OFFICER, None),
    ("tehran@example.com", roles.MISSION_OFFICER, "Embassy in Tehran"),
    ("telaviv@example.com", roles.MISSION_OFFICER, "Embassy in Tel Aviv"),
    ("auditor@example.com", roles.AUDITOR, None),
    ("editor@example.com", roles.ADVISORY_EDITOR, None),
    ("publisher@example.com", roles.ADVISORY_PUBLISHER, None),
]

# Every demo staff account's authenticator has this one secret (the RFC 6238
# test key), so a single entry in an authenticator app, or
# `oathtool --totp -b GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ`, signs in as any of them.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def load(*, stdout):
    User = get_user_model()
    created = 0
    for email, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            email=email,
            defaults={"is_staff": is_staff, "is_superuser": is_superuser, "email_confirmed_at": timezone.now()},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
    created += _load_staff(User)
    _complete_demo_citizen(User.objects.get(email="citizen@example.com"))
    load_citizens(stdout=stdout)
    load_crisis(stdout=stdout)
    emails = [email for email, *_ in DEMO_ACCOUNTS] + [email for email, *_ in DEMO_STAFF]
    stdout.write(f"Accounts: {created} new. Sign in with any of {', '.join(emails)} and the password {DEMO_PASSWORD}")
    stdout.write(
        f"Staff's second factor: the TOTP secret {DEMO_TOTP_SECRET} for every staff account, "
        f"e.g. {_device(User.objects.get(email='officer@example.com')).config_url}"
    )


def _device(user):
    """The staff member's confirmed authenticator, with the demo's known secret."""
    from portal.second_factor.models import AuthenticatorDevice

    device, _created = AuthenticatorDevice.objects.update_or_create(
        user=user, name="Authenticator app", defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True}
    )
    return device


def _load_staff(User):
    """A staff member of each role (mission officers at their missions), each with an authenticator."""
    from advisories.models import Mission

    created = 0
    for email, role, mission_name in DEMO_STAFF:
        user, was_created = User.objects.get_or_create(
            email=email, defaults={"is_staff": True, "email_confirmed_at": timezone.now()}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        user.groups.add(roles.ensure_role(role))
        if mission_name:
            mission = Mission.objects.filter(name=mission_name).first()
            if mission:
                StaffAssignment.objects.update_or_create(user=user, defaults={"mission": mission})
    for user in User.objects.filter(email__in=[email for email, is_staff, *_ in DEMO_ACCOUNTS if is_staff]):
        _device(user)
    for user in User.objects.filter(email__in=[email for email, *_ in DEMO_STAFF]):
        _device(user)
    return created


def _complete_demo_citizen(user):
    """citizen@example.com: a complete profile, a family of three, and a current trip to Türkiye."""
    if CitizenProfile.objects.filter(user=user).exists():
        return
    born = date(1985, 3, 14)
    now = timezone.now()
    today = timezone.localdate()
    CitizenProfile.objects.create(
        user=user,
        surname_latin="ZHUMABEKOV",
        given_names_latin="ASKAR",
        full_name_native="Жумабеков Аскар Серикович",
        date_of_birth=born,
        national_id=make_kazakh_iin(born, female=False, serial=7),
        passport_number="N13579246",
        passport_expires_on=today + timedelta(days=1200),
        phone="+77015550123",
        preferred_language="en",
        preferred_channel="email",
        emergency_contact_name="Serik Zhumabekov",
        emergency_contact_relation="father",
        emergency_contact_phone="+77015550987",
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        privacy_consented_at=now,
    )
    wife = HouseholdMember.objects.create(
        owner=user,
        full_name="Elif Zhumabekova",
        date_of_birth=date(1987, 9, 2),
        relationship="spouse",
        citizenship="TR",
    )
    son = HouseholdMember.objects.create(
        owner=user,
        full_name="Alikhan Zhumabekov",
        date_of_birth=date(2016, 6, 20),
        relationship="child",
        citizenship="KZ",
    )
    trip = Trip.objects.create(owner=user, kind="tourism", status=TripStatus.CURRENT, phone_abroad="+905321234567")
    trip.travellers.set([wife, son])
    Stop.objects.bulk_create(
        [
            Stop(
                trip=trip,
                position=0,
                country="TR",
                region="TR-34",
                city="Istanbul",
                address="Hotel Pera, Beyoğlu",
                arrival_date=today - timedelta(days=3),
                departure_date=today + timedelta(days=4),
            ),
            Stop(
                trip=trip,
                position=1,
                country="TR",
                region="TR-07",
                city="Antalya",
                arrival_date=today + timedelta(days=4),
                departure_date=today + timedelta(days=11),
            ),
        ]
    )
