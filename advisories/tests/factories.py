from django.contrib.auth import get_user_model
from django.utils import timezone

from advisories.models import (
    Advisory,
    AdvisoryEdition,
    EditionStatus,
    Mission,
    MissionJurisdiction,
    MissionKind,
    MissionPhone,
    PhoneKind,
)


def make_staff(email="editor@example.gov.kz", **fields):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        email=email, defaults={"is_staff": True, "email_confirmed_at": timezone.now(), **fields}
    )
    return user


def make_published_advisory(country="IR", level=4, *, summary="Do not travel.", change_note="First edition."):
    """An advisory with one published edition (version 1)."""
    advisory, _ = Advisory.objects.get_or_create(country=country)
    author = make_staff()
    version = (advisory.editions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    advisory.editions.filter(status=EditionStatus.PUBLISHED).update(
        status=EditionStatus.ARCHIVED, archived_at=timezone.now()
    )
    edition = AdvisoryEdition.objects.create(
        advisory=advisory,
        version=version,
        status=EditionStatus.PUBLISHED,
        level=level,
        summary=summary,
        change_note=change_note,
        author=author,
        publisher=author,
        published_at=timezone.now(),
    )
    advisory.current_edition = edition
    advisory.save(update_fields=["current_edition"])
    return advisory


def make_mission(country="IR", city="Tehran", jurisdiction=("IR",), *, kind=MissionKind.EMBASSY, name=None):
    mission = Mission.objects.create(
        name=name or f"Embassy in {city}",
        kind=kind,
        country=country,
        city=city,
        address=f"1 Example Street, {city}",
    )
    MissionJurisdiction.objects.bulk_create(MissionJurisdiction(mission=mission, country=code) for code in jurisdiction)
    MissionPhone.objects.create(mission=mission, kind=PhoneKind.EMERGENCY, number="+98 21 0000 0000")
    return mission
