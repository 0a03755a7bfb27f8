"""Broadcasts: who a message reaches and in which language, how long its SMS is, sending it, receipts.

The audience is resolved when the broadcast is sent (and again for the
preview), never stored at writing time: people who joined the crisis since,
or answered since, are counted as they are now. The sending itself is
background work (registrations/tasks/broadcasts.py, where "exactly once" is
explained).
"""

import base64
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from anymail.signals import tracking
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal.outbound import absolute_url, render_email
from portal.sms import receipts_by_channel, sms_length

from ..models import Broadcast, CrisisPerson, Delivery, Stop
from ..models.broadcasts import BroadcastStatus, DeliveryChannel, DeliveryStatus
from .checkins import checkin_url
from .crises import area_condition

BATCH = 1000
_SHORT_LINK_SALT = "registrations.broadcasts.sms_link"
# A person id no crisis will reach, to measure the longest short link an SMS carries.
_LONGEST_PERSON_ID = 99_999_999


# Audience and language.


def audience(broadcast):
    """The citizens of the broadcast's crisis whom its audience rule names (everyone visible or not).

    Places: any of the countries, regions or cities listed (none listed: the
    whole area). Statuses: the citizen's own, or any household member's on the
    same board (a family with a child needing help is reached through its parent).
    """
    people = CrisisPerson.objects.filter(crisis_id=broadcast.crisis_id).citizens()
    places = Q()
    if broadcast.countries:
        places |= Q(country__in=broadcast.countries)
    if broadcast.regions:
        places |= Q(region__in=broadcast.regions)
    for city in broadcast.cities:
        places |= Q(city__iexact=city)
    if places:
        people = people.filter(places)
    if broadcast.statuses:
        household_matches = CrisisPerson.objects.filter(
            crisis_id=broadcast.crisis_id,
            citizen_id=OuterRef("citizen_id"),
            member__isnull=False,
            status__in=broadcast.statuses,
        )
        people = people.filter(Q(status__in=broadcast.statuses) | Exists(household_matches))
    return people


def recipients(broadcast, *, user=None):
    """The audience that `user` (by default whoever sent or wrote it) may reach: a mission's, its jurisdiction."""
    return audience(broadcast).visible_to(user or broadcast.sent_by or broadcast.created_by)


def recipient_rows(broadcast, *, user=None):
    """(person id, email, phone or None, preferred language or None) of each recipient."""
    return (
        recipients(broadcast, user=user)
        .order_by("pk")
        .values_list(
            "pk", "citizen__email", "citizen__citizen_profile__phone", "citizen__citizen_profile__preferred_language"
        )
    )


def written_languages(texts):
    return [code for code, _name in settings.LANGUAGES if (texts.get(code) or "").strip()]


def language_for(texts, preferred):
    """The person's language if the message is written in it, else the ministry's fallback order's first."""
    written = written_languages(texts)
    if preferred in written:
        return preferred
    for code in [*settings.BROADCAST_LANGUAGE_FALLBACK, *written]:
        if code in written:
            return code
    return None


def channels_for(broadcast, *, email, phone):
    channels = []
    if broadcast.by_email and email:
        channels.append(DeliveryChannel.EMAIL)
    if broadcast.by_sms and phone:
        channels.append(DeliveryChannel.SMS)
    return channels


# What the messages say.


def _short_mac(person_id):
    digest = salted_hmac(_SHORT_LINK_SALT, str(person_id), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest)[:12].decode()


def sms_link(person_id):
    """A short personal link for an SMS (the full signed link alone would fill two Cyrillic parts).

    "/c/<person id>-<72 bits of HMAC>/" redirects to the full check-in link;
    72 bits cannot be guessed by trying addresses.
    """
    token = f"{person_id}-{_short_mac(person_id)}"
    return absolute_url(reverse("webhooks:short_checkin", kwargs={"token": token}))


def read_sms_link(token):
    """The person id a short link was made for, or None."""
    person_id, _dash, mac = token.partition("-")
    if not person_id.isdigit() or not constant_time_compare(mac, _short_mac(int(person_id))):
        return None
    return int(person_id)


def sms_text(text, *, link):
    return f"{text.strip()}\n{link}"


def sms_lengths(texts):
    """{language: SmsLength} of each written text with the longest personal link, as it will be sent."""
    link = sms_link(_LONGEST_PERSON_ID)
    return {code: sms_length(sms_text(texts[code], link=link)) for code in written_languages(texts)}


def text_errors(*, texts, by_sms):
    """{language or None: [error]}: no text at all, or an SMS longer than SMS_MAX_PARTS parts."""
    errors = {}
    if not written_languages(texts):
        errors[None] = [_("Write the message in at least one language.")]
    if by_sms:
        for code, length in sms_lengths(texts).items():
            if length.parts > settings.SMS_MAX_PARTS:
                errors[code] = [
                    _(
                        "As an SMS with its personal link this text takes %(parts)d parts (%(encoding)s); "
                        "at most %(max)d are allowed. Shorten it."
                    )
                    % {"parts": length.parts, "encoding": length.encoding, "max": settings.SMS_MAX_PARTS}
                ]
    return errors


def render_email_for(broadcast, *, person_id, language, reconfirm):
    """(subject, body) of one person's email."""
    context = {
        "crisis": broadcast.crisis.name,
        "text": broadcast.texts[language].strip(),
        "link": checkin_url(CrisisPerson(pk=person_id), language=language),
        "reconfirm": reconfirm,
    }
    return render_email("crisis_broadcast", language=language, context=context)


def render_sms_for(broadcast, *, person_id, language):
    return sms_text(broadcast.texts[language], link=sms_link(person_id))


def stale_citizens(broadcast, citizen_ids):
    """Of `citizen_ids`, those whose trip in the crisis's area was last confirmed too long ago."""
    cutoff = timezone.now() - timedelta(days=settings.REGISTRATION_RECONFIRM_AFTER_DAYS)
    return set(
        Stop.objects.present()
        .filter(area_condition(broadcast.crisis), trip__owner_id__in=citizen_ids, trip__last_confirmed_at__lt=cutoff)
        .values_list("trip__owner_id", flat=True)
    )


# Preview.


@dataclass
class Preview:
    people: int = 0
    by_channel_and_language: Counter = field(default_factory=Counter)
    unreachable: int = 0
    sms_lengths: dict = field(default_factory=dict)

    def rows(self):
        """[(channel label, language code, count)], email first, languages in settings order."""
        order = [code for code, _name in settings.LANGUAGES]
        return [
            (channel.label, language, self.by_channel_and_language[(channel.value, language)])
            for channel in DeliveryChannel
            for language in order
            if self.by_channel_and_language[(channel.value, language)]
        ]


def preview(broadcast, user):
    """How many people the broadcast would reach now, by channel and language, and how many by neither."""
    result = Preview(sms_lengths=sms_lengths(broadcast.texts) if broadcast.by_sms else {})
    for _pk, email, phone, preferred in recipient_rows(broadcast, user=user).iterator(chunk_size=5000):
        result.people += 1
        language = language_for(broadcast.texts, preferred)
        channels = channels_for(broadcast, email=email, phone=phone)
        if not channels or language is None:
            result.unreachable += 1
            continue
        for channel in channels:
            result.by_channel_and_language[(channel, language)] += 1
    return result


# Sending.


def send_broadcast(*, broadcast, sent_by):
    """Start sending the broadcast; True if this call started it, False if it had been started already.

    Only a draft is sent: a second click (or a second officer) does nothing.
    The crisis's first broadcast also asks people with stale records where
    they are. The work itself (joining new people to the crisis, resolving
    the recipients, sending) starts in the background once this commits.
    """
    from ..tasks import broadcasts as tasks

    with transaction.atomic():
        locked = Broadcast.objects.select_for_update(of=("self",)).select_related("crisis").get(pk=broadcast.pk)
        if locked.status != BroadcastStatus.DRAFT:
            return False
        if not locked.crisis.is_open:
            raise ValidationError(_("The crisis is closed."))
        errors = text_errors(texts=locked.texts, by_sms=locked.by_sms)
        if errors:
            raise ValidationError([message for messages in errors.values() for message in messages])
        locked.asks_to_reconfirm = (
            not Broadcast.objects.filter(crisis=locked.crisis).exclude(pk=locked.pk).exclude(status="draft").exists()
        )
        locked.status = BroadcastStatus.SENDING
        locked.sent_by = sent_by
        locked.sent_at = timezone.now()
        locked.full_clean(exclude=["crisis", "created_by", "sent_by"])
        locked.save(update_fields=["asks_to_reconfirm", "status", "sent_by", "sent_at"])
        transaction.on_commit(lambda: tasks.start(broadcast_id=locked.pk))
    broadcast.refresh_from_db()
    return True


def create_deliveries(*, broadcast):
    """One queued Delivery per recipient and channel, in batches; idempotent (the unique constraint decides).

    Marks the recipients' first message time on the board. Returns how many
    deliveries the broadcast has.
    """
    now = timezone.now()
    rows = []
    for person_id, email, phone, preferred in recipient_rows(broadcast, user=broadcast.sent_by).iterator(
        chunk_size=5000
    ):
        language = language_for(broadcast.texts, preferred)
        if language is None:
            continue
        for channel in channels_for(broadcast, email=email, phone=phone):
            rows.append(
                Delivery(broadcast=broadcast, person_id=person_id, channel=channel, language=language, queued_at=now)
            )
        if len(rows) >= BATCH:
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    CrisisPerson.objects.filter(
        pk__in=Delivery.objects.filter(broadcast=broadcast).values("person_id"), first_messaged_at__isnull=True
    ).update(first_messaged_at=now)
    return broadcast.deliveries.count()


# Progress, receipts and the alarm.


def progress(broadcast):
    """{status: count} of the broadcast's deliveries (every status present), and the total."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    for row in broadcast.deliveries.order_by().values("status").annotate(count=Count("id")):
        counts[row["status"]] = row["count"]
    counts["total"] = sum(counts.values())
    return counts


def receipts_overdue(broadcast, *, now=None):
    """True when no delivery has been confirmed BROADCAST_RECEIPT_ALARM_MINUTES after sending.

    Only channels whose backend reports delivery count: with plain SMTP an
    email is never confirmed, and an alarm that always rings is not one.
    """
    if broadcast.status == BroadcastStatus.DRAFT or broadcast.sent_at is None:
        return False
    now = now or timezone.now()
    if now - broadcast.sent_at < timedelta(minutes=settings.BROADCAST_RECEIPT_ALARM_MINUTES):
        return False
    channels = [channel for channel, possible in receipts_by_channel().items() if possible]
    deliveries = broadcast.deliveries.filter(channel__in=channels)
    handed_over = deliveries.filter(status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED])
    return handed_over.exists() and not deliveries.filter(status=DeliveryStatus.DELIVERED).exists()


def apply_receipt(*, provider_message_id="", delivery_id=None, outcome, reason=""):
    """Record a provider's receipt ("delivered" or "failed", with its reason); returns the rows updated.

    A receipt repeated, or arriving after the delivery ended, changes nothing.
    """
    if provider_message_id:
        deliveries = Delivery.objects.filter(provider_message_id=provider_message_id)
    elif delivery_id is not None:
        deliveries = Delivery.objects.filter(pk=delivery_id)
    else:
        return 0
    deliveries = deliveries.filter(status=DeliveryStatus.SENT)
    if outcome == "delivered":
        return deliveries.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now(), error="")
    if outcome == "failed":
        return deliveries.update(status=DeliveryStatus.FAILED, error=(reason or "failed")[:300])
    return 0


# anymail's normalized event types, as our delivery outcomes.
_EMAIL_OUTCOMES = {"delivered": "delivered", "bounced": "failed", "rejected": "failed", "failed": "failed"}


@receiver(tracking, dispatch_uid="registrations.broadcasts.email_receipt")
def email_receipt(sender, event, esp_name, **kwargs):
    """An email provider's delivery event (through django-anymail's tracking webhook)."""
    outcome = _EMAIL_OUTCOMES.get(event.event_type)
    if outcome is None:
        return
    reason = " ".join(str(part) for part in (esp_name, event.reject_reason, event.description) if part)
    delivery_id = (event.metadata or {}).get("delivery")
    apply_receipt(
        provider_message_id=event.message_id or "",
        delivery_id=int(delivery_id) if str(delivery_id or "").isdigit() else None,
        outcome=outcome,
        reason=reason,
    )
