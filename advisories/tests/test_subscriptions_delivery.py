"""Emails to subscribers about major updates: who gets them, when, and only once."""

import pytest
from django.db import transaction
from django.utils import timezone

from advisories.models import AdvisoryEdition, EditionStatus
from advisories.services import publish_edition
from advisories.subscriptions.models import DeliveryStatus, Subscription, SubscriptionDelivery
from advisories.tasks import mail_major_update
from advisories.tests.factories import draft_of, make_published_advisory

# Real transactions: the task is enqueued only once publishing commits.
pytestmark = pytest.mark.django_db(transaction=True)


def follow(email, country="IR", *, confirmed=True, language="en"):
    return Subscription.objects.create(
        email=email, country=country, language=language, confirmed_at=timezone.now() if confirmed else None
    )


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_a_major_edition_mails_confirmed_followers_of_the_country_and_of_all(mailoutbox):
    edition = make_published_advisory("IR", level=4).current_edition
    follow("iran@example.com", "IR")
    follow("everywhere@example.com", "")
    follow("pending@example.com", "IR", confirmed=False)
    follow("turkey@example.com", "TR")

    result = mail_major_update.enqueue(edition_id=edition.pk)

    assert result.return_value == 2
    assert recipients(mailoutbox) == ["everywhere@example.com", "iran@example.com"]
    assert set(SubscriptionDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_the_email_has_the_level_the_change_note_and_links_in_the_subscribers_language(mailoutbox):
    edition = make_published_advisory("IR", level=4, change_note="Border regions: do not travel.").current_edition
    follow("reader@example.com", "IR", language="kk")

    mail_major_update.enqueue(edition_id=edition.pk)

    [message] = mailoutbox
    assert "4" in message.subject
    assert "Border regions: do not travel." in message.body
    assert "/kk/advisories/ir/" in message.body
    assert f"<{message.body.split()[-1]}>" == message.extra_headers["List-Unsubscribe"]
    assert "/kk/subscriptions/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_running_the_task_twice_mails_each_subscriber_once(mailoutbox):
    edition = make_published_advisory("IR", level=4).current_edition
    follow("iran@example.com", "IR")

    mail_major_update.enqueue(edition_id=edition.pk)
    second = mail_major_update.enqueue(edition_id=edition.pk)

    assert second.return_value == 0
    assert len(mailoutbox) == 1


def test_an_email_interrupted_by_a_crash_is_not_sent_again(mailoutbox):
    edition = make_published_advisory("IR", level=4).current_edition
    subscription = follow("iran@example.com", "IR")
    SubscriptionDelivery.objects.create(subscription=subscription, edition=edition, status=DeliveryStatus.SENDING)

    mail_major_update.enqueue(edition_id=edition.pk)

    assert mailoutbox == []


def test_a_failed_email_does_not_stop_the_others(mailoutbox, monkeypatch):
    from advisories.subscriptions import services

    edition = make_published_advisory("IR", level=4).current_edition
    follow("broken@example.com", "IR")
    follow("fine@example.com", "IR")
    send = services.send_major_update_email

    def send_or_fail(*, subscription, edition):
        if subscription.email.startswith("broken"):
            raise OSError("SMTP went away")
        send(subscription=subscription, edition=edition)

    monkeypatch.setattr(services, "send_major_update_email", send_or_fail)

    mail_major_update.enqueue(edition_id=edition.pk)

    assert recipients(mailoutbox) == ["fine@example.com"]
    assert SubscriptionDelivery.objects.get(subscription__email="broken@example.com").status == DeliveryStatus.FAILED


def test_the_task_mails_nothing_for_a_minor_edition(mailoutbox):
    edition = make_published_advisory("IR", level=4).current_edition
    AdvisoryEdition.objects.filter(pk=edition.pk).update(is_major=False)
    follow("iran@example.com", "IR")

    mail_major_update.enqueue(edition_id=edition.pk)

    assert mailoutbox == []


# Through the publishing service: what a publisher's click sends.


def test_publishing_a_major_update_mails_the_followers(mailoutbox, author, publisher, iran):
    follow("iran@example.com", "IR")
    follow("turkey@example.com", "TR")

    publish_edition(edition=draft_of(iran, author=author, level=4), publisher=publisher)

    assert recipients(mailoutbox) == ["iran@example.com"]


def test_a_minor_update_sends_no_email(mailoutbox, author, publisher):
    advisory = make_published_advisory("IR", level=4)
    follow("iran@example.com", "IR")
    follow("everywhere@example.com", "")

    edition = draft_of(advisory, author=author, level=4, is_major=False, change_note="")
    publish_edition(edition=edition, publisher=publisher)

    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    assert mailoutbox == []


def test_a_rolled_back_publish_sends_nothing(mailoutbox, author, publisher, iran):
    follow("iran@example.com", "IR")
    edition = draft_of(iran, author=author, level=4)

    with pytest.raises(RuntimeError), transaction.atomic():
        publish_edition(edition=edition, publisher=publisher)
        raise RuntimeError("something after publishing failed")

    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert mailoutbox == []
    assert not SubscriptionDelivery.objects.exists()


def test_a_kazakh_subscriber_gets_the_kazakh_text_and_a_line_for_what_is_not_translated(mailoutbox):
    from django.utils import translation

    edition = make_published_advisory("IR", level=4, summary="Do not travel.", change_note="Raised.").current_edition
    AdvisoryEdition.objects.filter(pk=edition.pk).update(summary_kk="Иранға бармаңыз.")
    follow("reader@example.com", "IR", language="kk")

    mail_major_update.enqueue(edition_id=edition.pk)

    [message] = mailoutbox
    from django_countries import countries

    with translation.override("kk"):
        coming = translation.gettext("Translation coming. Until then, this text is in English.")
        country = countries.name("IR")
    assert "Иранға бармаңыз." in message.body
    assert "Raised." in message.body  # the change note exists in English only…
    assert coming in message.body  # …and the email says so, in Kazakh
    assert country in message.subject
