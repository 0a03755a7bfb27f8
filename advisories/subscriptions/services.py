"""Following advisories by email: subscribe, confirm, unsubscribe, and the mail of a major update."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from advisories.models import AdvisoryEdition, EditionStatus
from portal.outbound import LinkInvalid, SignedLink, absolute_url, queue_email

from .models import DeliveryStatus, Subscription, SubscriptionDelivery

logger = logging.getLogger(__name__)

# Only the row's number and creation time travel in the links: no address in
# URLs or logs, and a link cannot reach a later row that reuses the id.
CONFIRM_LINK = SignedLink(salt="advisories.subscription-confirm", max_age="EMAIL_CONFIRMATION_MAX_AGE")
# Good as long as the subscription lasts: every email carries one.
UNSUBSCRIBE_LINK = SignedLink(salt="advisories.subscription-unsubscribe")
# How long after its link expired an unconfirmed subscription is deleted: cron may run late, clocks differ.
UNCONFIRMED_PURGE_MARGIN = timedelta(days=1)


class SubscriptionLinkInvalid(Exception):
    """The link was altered, or has expired."""


class SubscriptionGone(SubscriptionLinkInvalid):
    """The link is genuine but its subscription was deleted (unsubscribed)."""


def _token(subscription, link):
    return link.make([subscription.pk, int(subscription.created_at.timestamp())])


def _subscription_for(token, link):
    try:
        pk, created = link.read(token)
    except (LinkInvalid, TypeError, ValueError):
        raise SubscriptionLinkInvalid from None
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None or int(subscription.created_at.timestamp()) != created:
        raise SubscriptionGone
    return subscription


def confirm_url(subscription):
    return absolute_url(
        reverse("advisories:subscription_confirm", kwargs={"token": _token(subscription, CONFIRM_LINK)})
    )


def unsubscribe_url(subscription):
    return absolute_url(
        reverse("advisories:subscription_unsubscribe", kwargs={"token": _token(subscription, UNSUBSCRIBE_LINK)})
    )


def _send(*, subscription, template, context):
    """Queue one email in the subscriber's language, with RFC 8058 one-click unsubscribe headers."""
    with translation.override(subscription.language):
        context = {**context, "subscription": subscription, "unsubscribe_url": unsubscribe_url(subscription)}
    queue_email(
        template,
        to=subscription.email,
        language=subscription.language,
        context=context,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_confirmation_email(*, subscription):
    with translation.override(subscription.language):
        url = confirm_url(subscription)
    _send(
        subscription=subscription,
        template="confirm_subscription",
        context={"confirm_url": url, "valid_days": settings.EMAIL_CONFIRMATION_MAX_AGE // (24 * 3600) or 1},
    )


def subscribe(*, email, country, language):
    """Record a pending subscription and mail its confirmation link.

    Subscribing again to the same country re-sends the link and creates
    nothing. The answer is the same whether or not the address was known.
    """
    candidate = Subscription(email=email.strip().lower(), country=country or "", language=language)
    # The form checks the same; this guards every other caller. Uniqueness is
    # left to get_or_create, which also survives a double submit.
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            email=candidate.email, country=candidate.country, defaults={"language": candidate.language}
        )
        if not created and subscription.confirmed_at is None:
            # A fresh link, valid for EMAIL_CONFIRMATION_MAX_AGE from now: the purge counts from it.
            subscription.language = candidate.language
            subscription.confirmation_sent_at = timezone.now()
            subscription.save(update_fields=["language", "confirmation_sent_at"])
        transaction.on_commit(lambda: send_confirmation_email(subscription=subscription))
    return subscription


def confirm(*, token):
    """Confirm the subscription the link was made for; return it."""
    with transaction.atomic():
        subscription = _subscription_for(token, CONFIRM_LINK)
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
    return subscription


def purge_unconfirmed_subscriptions():
    """Delete the subscriptions whose confirmation link expired unused, and the admin log's entries naming them.

    Counted from the newest link sent, plus UNCONFIRMED_PURGE_MARGIN, so no valid link ever meets a deleted row.
    Returns how many were deleted.
    """
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    cutoff = timezone.now() - timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE) - UNCONFIRMED_PURGE_MARGIN
    with transaction.atomic():
        expired = Subscription.objects.select_for_update().never_confirmed(link_sent_before=cutoff)
        pks = list(expired.values_list("pk", flat=True))
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Subscription), object_id__in=[str(pk) for pk in pks]
        ).delete()
        Subscription.objects.filter(pk__in=pks).delete()
    return len(pks)


def subscription_to_unsubscribe(*, token):
    """The subscription an unsubscribe link points to (for the confirmation page)."""
    return _subscription_for(token, UNSUBSCRIBE_LINK)


def unsubscribe(*, token):
    """Delete the subscription of the link: we keep no address we no longer need."""
    subscription = _subscription_for(token, UNSUBSCRIBE_LINK)
    subscription.delete()
    return subscription


def recipients_of(edition):
    """Confirmed followers of the edition's country or of every country."""
    return Subscription.objects.filter(confirmed_at__isnull=False).filter(
        Q(country=edition.advisory.country.code) | Q(country="")
    )


def send_major_update_email(*, subscription, edition):
    advisory = edition.advisory
    with translation.override(subscription.language):
        country_url = absolute_url(advisory.get_absolute_url())
    _send(
        subscription=subscription,
        template="major_update",
        context={"advisory": advisory, "edition": edition, "country_url": country_url},
    )


def deliver_major_update(*, edition_id):
    """Mail a major edition to each recipient once; return how many emails went out.

    A delivery row is written for every recipient first, then each row is
    claimed (pending → sending) before its email goes out. A rerun, or a
    second worker, finds the rows already claimed and mails nobody twice.
    """
    edition = (
        AdvisoryEdition.objects.select_related("advisory")
        .filter(pk=edition_id, status=EditionStatus.PUBLISHED, is_major=True)
        .first()
    )
    if edition is None:
        # Minor, or already replaced by a newer edition before the worker got
        # here: its news is stale, and a newer major edition is mailed itself.
        return 0
    SubscriptionDelivery.objects.bulk_create(
        [
            SubscriptionDelivery(subscription_id=pk, edition=edition)
            for pk in recipients_of(edition).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    pending = SubscriptionDelivery.objects.filter(edition=edition, status=DeliveryStatus.PENDING)
    sent = 0
    for delivery in list(pending.select_related("subscription")):
        claimed = SubscriptionDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING
        )
        if not claimed:
            continue
        try:
            send_major_update_email(subscription=delivery.subscription, edition=edition)
        except Exception:
            logger.exception("Could not mail edition %s to subscription %s", edition.pk, delivery.subscription_id)
            SubscriptionDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
            continue
        SubscriptionDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
        sent += 1
    return sent
