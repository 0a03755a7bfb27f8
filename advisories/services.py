"""Writes of the publishing workflow (draft → (scheduled) → published → archived) and of missions.

Every rule about who may publish what lives here, so that the admin, the
scheduler and any later tool obey the same ones:
- a new edition takes the next version, and whoever writes it is its author;
- whoever changes an edition's level becomes its author: they answer for it;
- a scheduled edition that is changed goes back to draft, to be approved again;
- one edition in preparation and one published edition per country (the
  database refuses a second; these functions say so in words first);
- publishing archives the previous edition and points the advisory at the new;
- a change of level needs a second person: its author cannot publish it;
- subscribers are mailed about major editions only after publishing commits.
And one about missions: a new operating status (or note) is dated.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Advisory, AdvisoryEdition, EditionStatus, RegionalAdvisory
from .multilingual import columns

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "advisories.publish_edition"

# What a new draft copies from the published edition, its texts in every
# language. The change note, the major flag and the schedule belong to each
# edition and start afresh.
_COPIED_FIELDS = [
    "level",
    "risk_indicators",
    *columns("summary"),
    *(name for field in AdvisoryEdition.SECTION_FIELDS for name in columns(field)),
    "reviewed_at",
    "next_review_due",
]


def next_version(advisory):
    return (advisory.editions.aggregate(last=Max("version"))["last"] or 0) + 1


def is_level_change(edition):
    """Whether publishing the edition changes the level the public sees (a first edition does)."""
    published = edition.advisory.editions.published().exclude(pk=edition.pk).values_list("level", flat=True).first()
    return published != edition.level


def publisher_refusal(*, edition, user):
    """Why this user may not publish (or schedule) the edition, or None if they may.

    The one place that decides who publishes: the admin shows this message
    beside a disabled button, and publish_edition() raises it.
    """
    if not edition.is_editable:
        return _("Only a draft or a scheduled edition can be published.")
    if user is None or not (user.is_active and user.is_staff and user.has_perm(PUBLISH_PERMISSION)):
        return _("You do not have permission to publish advisories.")
    if edition.author_id == user.pk and is_level_change(edition):
        return _(
            "This edition changes the level, so another staff member must publish it: "
            "you wrote it, and a change of level needs a second person."
        )
    return None


def publish_refusal(*, edition, user):
    """Why the edition cannot be published by this user now (who, then what), or None."""
    refusal = publisher_refusal(edition=edition, user=user)
    if refusal:
        return refusal
    if edition.is_major and not edition.change_note.strip():
        return _("Write a change note for the public, or untick “major update”.")
    if not edition.is_major and is_level_change(edition):
        return _("A change of level is always a major update: tick “major update”.")
    return None


def save_edition(*, edition, editor, changed_fields):
    """Save a draft or scheduled edition as a staff member (editor) wrote it; changed_fields as a form gives them.

    A new edition takes the next version and its writer as author. Whoever
    changes the level becomes the author, so that the four-eyes rule makes
    someone else publish it. A scheduled edition that is changed goes back to
    draft: what was approved is no longer what would be published.
    """
    with transaction.atomic():
        if edition.pk is None:
            edition.author = editor
            edition.version = next_version(edition.advisory)
        elif "level" in changed_fields:
            edition.author = editor
        if edition.pk is not None and edition.status == EditionStatus.SCHEDULED:
            edition.status = EditionStatus.DRAFT
            edition.publisher = None
        edition.full_clean()
        edition.save()
    return edition


def create_draft(*, advisory, author):
    """A new draft that starts as a copy of the published edition, regional levels included."""
    with transaction.atomic():
        advisory = Advisory.objects.select_for_update().get(pk=advisory.pk)
        if advisory.editions.in_preparation().exists():
            raise ValidationError(_("%(country)s already has a draft or scheduled edition.") % {"country": advisory})
        published = advisory.editions.published().prefetch_related("regions").first()
        if published is None:
            raise ValidationError(
                _("%(country)s has no published edition to copy: add its first edition instead.")
                % {"country": advisory}
            )
        draft = AdvisoryEdition(
            advisory=advisory,
            version=next_version(advisory),
            status=EditionStatus.DRAFT,
            author=author,
            **{field: getattr(published, field) for field in _COPIED_FIELDS},
        )
        draft.full_clean()
        try:
            # A savepoint, so that losing a race leaves the caller's transaction usable.
            with transaction.atomic():
                draft.save()
        except IntegrityError:
            raise ValidationError(
                _("%(country)s already has a draft or scheduled edition.") % {"country": advisory}
            ) from None
        RegionalAdvisory.objects.bulk_create(
            RegionalAdvisory(
                edition=draft,
                region=region.region,
                level=region.level,
                **{name: getattr(region, name) for name in columns("reason")},
            )
            for region in published.regions.all()
        )
    return draft


def schedule_edition(*, edition, publisher, publish_at):
    """Approve the edition for publication at publish_at; the scheduler publishes it then.

    The person who schedules is its publisher, so the same rules apply now,
    and are checked again when the time comes.
    """
    with transaction.atomic():
        edition = AdvisoryEdition.objects.select_for_update().select_related("advisory").get(pk=edition.pk)
        refusal = publish_refusal(edition=edition, user=publisher)
        if refusal:
            raise PermissionDenied(refusal)
        if publish_at is None:
            raise ValidationError({"publish_at": _("Choose when to publish.")})
        edition.status = EditionStatus.SCHEDULED
        edition.publish_at = publish_at
        edition.publisher = publisher
        edition.full_clean()
        edition.save(update_fields=["status", "publish_at", "publisher", "updated_at"])
    return edition


def unschedule_edition(*, edition):
    """Back to draft, to be approved again: what the scheduler does with an edition the rules now refuse."""
    AdvisoryEdition.objects.filter(pk=edition.pk, status=EditionStatus.SCHEDULED).update(
        status=EditionStatus.DRAFT, publisher=None, updated_at=timezone.now()
    )
    edition.refresh_from_db()
    return edition


def publish_edition(*, edition, publisher, now=None):
    """Publish the edition now: archive the previous one and make this the advisory's current edition.

    Raises PermissionDenied with the reason if publish_refusal() gives one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        advisory = Advisory.objects.select_for_update().get(pk=edition.advisory_id)
        edition = AdvisoryEdition.objects.select_for_update().select_related("advisory").get(pk=edition.pk)
        refusal = publish_refusal(edition=edition, user=publisher)
        if refusal:
            raise PermissionDenied(refusal)
        advisory.editions.published().update(status=EditionStatus.ARCHIVED, archived_at=now, updated_at=now)
        edition.status = EditionStatus.PUBLISHED
        edition.published_at = now
        edition.publisher = publisher
        edition.full_clean()
        edition.save()
        advisory.current_edition = edition
        advisory.save(update_fields=["current_edition"])
        if edition.is_major:
            edition_id = edition.pk
            transaction.on_commit(lambda: _queue_subscriber_emails(edition_id))
    return edition


def _queue_subscriber_emails(edition_id):
    # Imported here: the tasks module pulls in the email machinery, which the
    # publishing rules do not need.
    from .tasks import mail_major_update

    mail_major_update.enqueue(edition_id=edition_id)


def publish_due_editions(now=None):
    """Publish every scheduled edition whose time has come; returns those published.

    Run every minute by cron (`manage.py publish_scheduled_editions`). An
    edition the rules now refuse (its level has changed under it, say) goes
    back to draft and is logged, so that staff see it instead of it blocking
    the queue.
    """
    now = now or timezone.now()
    published = []
    for edition in AdvisoryEdition.objects.due_to_publish(now).select_related("publisher").order_by("publish_at"):
        try:
            published.append(publish_edition(edition=edition, publisher=edition.publisher, now=now))
        except (PermissionDenied, ValidationError) as refusal:
            logger.warning("Scheduled edition %s not published: %s", edition.pk, refusal)
            unschedule_edition(edition=edition)
    return published


def save_mission(*, mission, changed_fields):
    """Save a mission as staff edited it; changed_fields as a form gives them.

    The public sees since when the operating status (or its note) has been
    what it is, so a new mission and a new status or note are dated now.
    """
    if mission.pk is None or {"operating_status", "status_note"} & set(changed_fields):
        mission.status_changed_at = timezone.now()
    mission.full_clean()
    mission.save()
    return mission
