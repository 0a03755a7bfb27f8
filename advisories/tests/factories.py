"""Builders for the advisories' rows, written straight to the database, not through the services under test.

conftest.py builds the app's test world from these; registrations' tests use
make_mission and make_published_advisory for their own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from advisories.models import (
    Advisory,
    AdvisoryEdition,
    EditionStatus,
    Level,
    Mission,
    MissionJurisdiction,
    MissionKind,
    MissionPhone,
    PhoneKind,
    RegionalAdvisory,
)

# Every app's tests compute a TOTP code and sign staff in to the admin the same way: registrations'
# helpers, under the names these tests know them by.
from registrations.tests.factories import sign_in_staff as sign_in_to_admin  # noqa: F401
from registrations.tests.factories import totp_code  # noqa: F401

PASSWORD = "a-long-test-passphrase"
# Who wrote and published the editions a test starts with; nobody signs in as them.
DESK = "advisory.desk@example.gov.kz"


def make_advisory_staff(email, *, publish=True, password=PASSWORD, **fields):
    """A staff member with every advisories permission (publishing too, unless publish=False).

    Called again with the same address, it returns the same person. With
    password=None they cannot sign in with a password (and no time goes
    into hashing one).
    """
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, is_staff=True, email_confirmed_at=timezone.now(), **fields
        )
        permissions = Permission.objects.filter(content_type__app_label="advisories")
        if not publish:
            permissions = permissions.exclude(codename="publish_edition")
        user.user_permissions.set(permissions)
    return User.objects.get(pk=user.pk)  # fresh: no stale permission cache


def totp_device(user):
    """The staff member's authenticator app (a confirmed TOTP device), added the first time it is asked for."""
    from portal.second_factor.models import AuthenticatorDevice

    device, _created = AuthenticatorDevice.objects.get_or_create(
        user=user, defaults={"name": "Authenticator app", "confirmed": True}
    )
    return device


def make_published_advisory(country="IR", level=4, *, summary=None, change_note="First edition.", regions=()):
    """The country's advisory with a new published edition (version 1 the first time), and its regions.

    An edition published before is archived. The summary is the level's name
    unless given; regions are (ISO 3166-2 code, level, reason).
    """
    advisory, _created = Advisory.objects.get_or_create(country=country)
    desk = make_advisory_staff(DESK, password=None)
    version = (advisory.editions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    advisory.editions.filter(status=EditionStatus.PUBLISHED).update(
        status=EditionStatus.ARCHIVED, archived_at=timezone.now()
    )
    if summary is None:
        with translation.override("en"):
            summary = f"{Level(level).label}."
    edition = AdvisoryEdition.objects.create(
        advisory=advisory,
        version=version,
        status=EditionStatus.PUBLISHED,
        level=level,
        summary=summary,
        change_note=change_note,
        author=desk,
        publisher=desk,
        published_at=timezone.now(),
    )
    RegionalAdvisory.objects.bulk_create(
        RegionalAdvisory(edition=edition, region=code, level=region_level, reason=reason)
        for code, region_level, reason in regions
    )
    advisory.current_edition = edition
    advisory.save(update_fields=["current_edition"])
    return advisory


def draft_of(advisory, *, author, level=None, change_note="Raised after the strikes.", is_major=True, **fields):
    """A draft written by author after the advisory's published edition, at its level unless given."""
    published = advisory.current_edition
    values = {
        "version": (published.version + 1) if published else 1,
        "status": EditionStatus.DRAFT,
        "level": level or published.level,
        "summary": "Do not travel.",
        "change_note": change_note,
        "is_major": is_major,
        "author": author,
        **fields,
    }
    return AdvisoryEdition.objects.create(advisory=advisory, **values)


def make_mission(country="IR", city="Tehran", jurisdiction=("IR",), *, kind=MissionKind.EMBASSY, name=None):
    """A mission with its jurisdiction and a 24/7 emergency line.

    The jurisdiction lists ISO 3166-1 codes for whole countries and ISO 3166-2
    codes (TR-34) for single regions.
    """
    mission = Mission.objects.create(
        name=name or f"Embassy in {city}",
        kind=kind,
        country=country,
        city=city,
        address=f"1 Example Street, {city}",
    )
    MissionJurisdiction.objects.bulk_create(
        MissionJurisdiction(mission=mission, country=code.split("-")[0], region=code if "-" in code else "")
        for code in jurisdiction
    )
    MissionPhone.objects.create(mission=mission, kind=PhoneKind.EMERGENCY, number="+98 21 0000 0000")
    return mission


def kazakh(text):
    """`text` as the Kazakh pages show it (the catalogue's translation)."""
    with translation.override("kk"):
        return translation.gettext(text)
