"""The publishing workflow: database constraints, the four-eyes rule, drafts, the scheduler."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from advisories import services
from advisories.models import Advisory, AdvisoryEdition, EditionStatus, RegionalAdvisory
from advisories.tests.factories import draft_of, make_published_advisory

pytestmark = pytest.mark.django_db


# The database refuses what the workflow forbids.


def test_the_database_refuses_a_second_draft(author, iran):
    draft_of(iran, author=author)

    with pytest.raises(IntegrityError), transaction.atomic():
        AdvisoryEdition.objects.create(
            advisory=iran, version=9, level=3, summary="Another.", author=author, status=EditionStatus.DRAFT
        )


def test_the_database_refuses_a_draft_beside_a_scheduled_edition(author, iran):
    draft_of(iran, author=author, status=EditionStatus.SCHEDULED, publish_at=datetime(2030, 1, 1, tzinfo=UTC))

    with pytest.raises(IntegrityError), transaction.atomic():
        draft_of(iran, author=author, version=9)


def as_published(author):
    """The fields of an edition written straight into the database as published."""
    return {"status": EditionStatus.PUBLISHED, "publisher": author, "published_at": datetime(2030, 1, 1, tzinfo=UTC)}


def test_the_database_refuses_a_second_published_edition(author, iran):
    with pytest.raises(IntegrityError), transaction.atomic():
        draft_of(iran, author=author, change_note="Again.", **as_published(author))


def test_the_database_refuses_a_published_major_edition_without_change_note(author):
    advisory = Advisory.objects.create(country="TR")

    with pytest.raises(IntegrityError), transaction.atomic():
        draft_of(advisory, author=author, level=2, change_note="", is_major=True, **as_published(author))


def test_the_database_refuses_a_level_that_is_not_one_of_the_four(author, iran):
    edition = iran.current_edition

    with pytest.raises(IntegrityError), transaction.atomic():
        draft_of(edition.advisory, author=author, level=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionalAdvisory.objects.create(edition=edition, region="IR-23", level=0, reason="None.")


# Publishing.


def test_publishing_archives_the_previous_edition_and_makes_the_new_one_current(author, publisher, iran):
    first = iran.current_edition
    draft = draft_of(iran, author=author, level=4)

    services.publish_edition(edition=draft, publisher=publisher)

    iran.refresh_from_db()
    first.refresh_from_db()
    draft.refresh_from_db()
    assert iran.current_edition == draft
    assert draft.status == EditionStatus.PUBLISHED
    assert draft.publisher == publisher
    assert draft.published_at is not None
    assert first.status == EditionStatus.ARCHIVED
    assert first.archived_at == draft.published_at
    assert Advisory.objects.levels_for(["IR"]) == {"IR": 4}


def test_the_author_cannot_publish_their_own_change_of_level(author, iran):
    draft = draft_of(iran, author=author, level=4)

    with pytest.raises(PermissionDenied, match="another staff member must publish it"):
        services.publish_edition(edition=draft, publisher=author)

    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT
    assert Advisory.objects.levels_for(["IR"]) == {"IR": 3}


def test_a_second_staff_member_can_publish_a_change_of_level(author, publisher, iran):
    draft = draft_of(iran, author=author, level=4)

    services.publish_edition(edition=draft, publisher=publisher)

    assert Advisory.objects.levels_for(["IR"]) == {"IR": 4}


def test_the_author_can_publish_an_update_at_the_same_level(author, iran):
    draft = draft_of(iran, author=author, level=3, change_note="New border crossing hours.")

    services.publish_edition(edition=draft, publisher=author)

    draft.refresh_from_db()
    assert draft.status == EditionStatus.PUBLISHED


def test_a_first_edition_sets_a_level_so_its_author_cannot_publish_it(author, publisher):
    advisory = Advisory.objects.create(country="TR")
    draft = AdvisoryEdition.objects.create(
        advisory=advisory, version=1, level=2, summary="Caution.", change_note="First edition.", author=author
    )

    with pytest.raises(PermissionDenied):
        services.publish_edition(edition=draft, publisher=author)
    services.publish_edition(edition=draft, publisher=publisher)

    assert Advisory.objects.levels_for(["TR"]) == {"TR": 2}


def test_staff_without_the_publish_permission_cannot_publish(author, editor, iran):
    draft = draft_of(iran, author=author, level=3)

    with pytest.raises(PermissionDenied, match="permission"):
        services.publish_edition(edition=draft, publisher=editor)


def test_a_major_update_needs_a_change_note_and_a_minor_one_does_not(author, iran):
    draft = draft_of(iran, author=author, change_note="")

    with pytest.raises(PermissionDenied, match="change note"):
        services.publish_edition(edition=draft, publisher=author)

    draft.is_major = False
    draft.save()
    services.publish_edition(edition=draft, publisher=author)
    draft.refresh_from_db()
    assert draft.status == EditionStatus.PUBLISHED
    assert list(AdvisoryEdition.objects.public_history()) == [iran.current_edition]


def test_a_change_of_level_cannot_be_minor(author, publisher, iran):
    draft = draft_of(iran, author=author, level=4, is_major=False, change_note="")

    with pytest.raises(PermissionDenied, match="always a major update"):
        services.publish_edition(edition=draft, publisher=publisher)


def test_a_published_edition_cannot_be_published_again(publisher, iran):
    with pytest.raises(PermissionDenied):
        services.publish_edition(edition=iran.current_edition, publisher=publisher)


def test_a_major_edition_queues_the_subscriber_emails_after_commit(author, django_capture_on_commit_callbacks, iran):
    draft = draft_of(iran, author=author)

    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_edition(edition=draft, publisher=author)

    assert len(callbacks) == 1


def test_a_minor_edition_queues_nothing(author, django_capture_on_commit_callbacks, iran):
    draft = draft_of(iran, author=author, is_major=False, change_note="")

    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_edition(edition=draft, publisher=author)

    assert callbacks == []


# Saving what staff wrote.


def test_a_new_edition_takes_the_next_version_and_its_writer_as_author(author, iran):
    edition = AdvisoryEdition(advisory=iran, level=3, summary="Reconsider travel.", change_note="Updated.")

    services.save_edition(edition=edition, editor=author, changed_fields=["advisory", "level", "summary"])

    edition.refresh_from_db()
    assert (edition.version, edition.status, edition.author) == (2, EditionStatus.DRAFT, author)


def test_whoever_changes_the_level_becomes_the_author_and_cannot_publish_it(author, publisher, iran):
    draft = draft_of(iran, author=author, level=3)

    draft.level = 4
    services.save_edition(edition=draft, editor=publisher, changed_fields=["level"])

    draft.refresh_from_db()
    assert (draft.level, draft.author) == (4, publisher)
    with pytest.raises(PermissionDenied, match="another staff member must publish it"):
        services.publish_edition(edition=draft, publisher=publisher)
    services.publish_edition(edition=draft, publisher=author)
    assert Advisory.objects.levels_for(["IR"]) == {"IR": 4}


def test_other_changes_leave_the_author_as_it_was(author, publisher, iran):
    draft = draft_of(iran, author=author, level=4)

    draft.summary = "Do not travel, not even to the border."
    services.save_edition(edition=draft, editor=publisher, changed_fields=["summary"])

    draft.refresh_from_db()
    assert (draft.summary, draft.author) == ("Do not travel, not even to the border.", author)


def test_a_changed_scheduled_edition_goes_back_to_draft_and_is_not_published(author, publisher, iran):
    draft = draft_of(iran, author=author, level=4)
    at = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
    services.schedule_edition(edition=draft, publisher=publisher, publish_at=at)
    draft.refresh_from_db()

    draft.summary = "Changed after it was approved."
    services.save_edition(edition=draft, editor=publisher, changed_fields=["summary"])

    draft.refresh_from_db()
    assert (draft.status, draft.publisher, draft.publish_at) == (EditionStatus.DRAFT, None, at)
    assert services.publish_due_editions(now=at + timedelta(minutes=1)) == []
    assert Advisory.objects.levels_for(["IR"]) == {"IR": 3}


def test_a_scheduled_edition_whose_time_is_cleared_goes_back_to_draft(author, publisher, iran):
    """The database refuses a scheduled edition without a time; a draft needs none."""
    draft = draft_of(iran, author=author, level=3)
    services.schedule_edition(edition=draft, publisher=publisher, publish_at=datetime(2030, 3, 1, 12, 0, tzinfo=UTC))
    draft.refresh_from_db()

    draft.publish_at = None
    services.save_edition(edition=draft, editor=author, changed_fields=["publish_at"])

    draft.refresh_from_db()
    assert (draft.status, draft.publish_at) == (EditionStatus.DRAFT, None)


# Drafts.


def test_a_new_draft_copies_the_published_edition_with_its_regions(author):
    advisory = make_published_advisory(
        "IL", level=3, regions=[("IL-D", 4, "Near the Gaza Strip."), ("IL-Z", 4, "Near the northern border.")]
    )
    published = advisory.current_edition
    published.safety_and_security = "Rockets are fired at the south."
    published.next_review_due = published.published_at.date() + timedelta(days=30)
    published.save()

    draft = services.create_draft(advisory=advisory, author=author)

    assert draft.status == EditionStatus.DRAFT
    assert draft.version == published.version + 1
    assert draft.author == author
    assert (draft.level, draft.summary, draft.safety_and_security, draft.next_review_due) == (
        published.level,
        published.summary,
        published.safety_and_security,
        published.next_review_due,
    )
    assert draft.change_note == ""
    assert sorted(draft.regions.values_list("region", "level", "reason")) == [
        ("IL-D", 4, "Near the Gaza Strip."),
        ("IL-Z", 4, "Near the northern border."),
    ]
    # The published edition keeps its own regions.
    assert published.regions.count() == 2


def test_a_second_draft_is_refused_in_words(author, iran):
    services.create_draft(advisory=iran, author=author)

    with pytest.raises(ValidationError, match="already has a draft"):
        services.create_draft(advisory=iran, author=author)


def test_a_draft_needs_a_published_edition_to_copy(author):
    with pytest.raises(ValidationError, match="no published edition"):
        services.create_draft(advisory=Advisory.objects.create(country="DE"), author=author)


# The scheduler.


def test_a_scheduled_edition_publishes_itself_at_its_time(author, publisher, time_machine):
    time_machine.move_to(datetime(2030, 3, 1, 9, 0, tzinfo=UTC), tick=False)
    advisory = make_published_advisory(level=3)
    draft = draft_of(advisory, author=author, level=4)
    at = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
    services.schedule_edition(edition=draft, publisher=publisher, publish_at=at)

    time_machine.move_to(datetime(2030, 3, 1, 11, 59, tzinfo=UTC), tick=False)
    assert services.publish_due_editions() == []
    assert Advisory.objects.levels_for(["IR"]) == {"IR": 3}

    time_machine.move_to(datetime(2030, 3, 1, 12, 1, tzinfo=UTC), tick=False)
    output = StringIO()
    call_command("publish_scheduled_editions", stdout=output)

    draft.refresh_from_db()
    assert draft.status == EditionStatus.PUBLISHED
    assert draft.publisher == publisher
    assert draft.published_at == datetime(2030, 3, 1, 12, 1, tzinfo=UTC)
    assert Advisory.objects.levels_for(["IR"]) == {"IR": 4}
    assert "1 edition(s) published" in output.getvalue()


def test_the_author_cannot_schedule_their_own_change_of_level(author, iran):
    draft = draft_of(iran, author=author, level=4)

    with pytest.raises(PermissionDenied):
        services.schedule_edition(edition=draft, publisher=author, publish_at=datetime(2030, 1, 1, tzinfo=UTC))


def test_a_scheduled_edition_the_rules_now_refuse_goes_back_to_draft(author, time_machine):
    time_machine.move_to(datetime(2030, 3, 1, 9, 0, tzinfo=UTC), tick=False)
    draft = draft_of(make_published_advisory(level=3), author=author, level=3)
    services.schedule_edition(edition=draft, publisher=author, publish_at=datetime(2030, 3, 1, 10, tzinfo=UTC))
    # Someone lowers the author's rights before the time comes.
    author.user_permissions.clear()

    published = services.publish_due_editions(now=datetime(2030, 3, 1, 10, 1, tzinfo=UTC))

    draft.refresh_from_db()
    assert published == []
    assert draft.status == EditionStatus.DRAFT
    assert draft.publisher is None
