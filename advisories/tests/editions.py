"""Editions in every state of the workflow, built directly (not through the services under test)."""

from advisories.models import AdvisoryEdition, EditionStatus, RegionalAdvisory
from advisories.tests.factories import make_published_advisory


def published_advisory(country="IR", level=3, *, regions=()):
    """An advisory with a published version 1, and its regional levels [(code, level, reason)]."""
    advisory = make_published_advisory(country, level, summary="Reconsider travel.", change_note="First edition.")
    for code, region_level, reason in regions:
        RegionalAdvisory.objects.create(
            edition=advisory.current_edition, region=code, level=region_level, reason=reason
        )
    return advisory


def draft_of(advisory, *, author, level=None, change_note="Raised after the strikes.", is_major=True, **fields):
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
