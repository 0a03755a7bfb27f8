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
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal.outbound import absolute_url, render_email
from portal.sms import receipts_by_channel, sms_length

from ..models import Broadcast, CrisisPerson, Delivery, Stop
from ..models.broadcasts import BroadcastStatus, DeliveryChannel, DeliveryStatus, InboundStatus
from .checkins import CHECKIN_LINK
from .crises import area_condition

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
    return _link_prefix("webhooks:short_checkin", None) + f"{person_id}-{_short_mac(person_id)}/"


def checkin_link(person_id, *, language):
    """services.checkins.checkin_url for a person id, without resolving the URL again for each message."""
    return _link_prefix("registrations:checkin", language) + CHECKIN_LINK.make(person_id) + "/"


_PLACEHOLDER = "TOKEN"


def _link_prefix(name, language):
    # reverse() in a language takes longer than everything else a message needs: once per address and language.
    key = (name, language, settings.SITE_URL)
    if key not in _prefixes:
        with translation.override(language):
            url = absolute_url(reverse(name, kwargs={"token": _PLACEHOLDER}))
        _prefixes[key] = url[: -len(f"{_PLACEHOLDER}/")]
    return _prefixes[key]


_prefixes = {}


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


# Stands for each person's link in an email rendered once per language.
LINK_PLACEHOLDER = "\x00link\x00"


def render_email_for(broadcast, *, person_id, language, reconfirm, rendered=None):
    """(subject, body) of one person's email. `rendered`: a dict the caller keeps to render once per language."""
    rendered = {} if rendered is None else rendered
    key = (language, reconfirm)
    if key not in rendered:
        context = {
            "crisis": broadcast.crisis.name,
            "text": broadcast.texts[language].strip(),
            "link": LINK_PLACEHOLDER,
            "reconfirm": reconfirm,
        }
        rendered[key] = render_email("crisis_broadcast", language=language, context=context)
    subject, body = rendered[key]
    return subject, body.replace(LINK_PLACEHOLDER, checkin_link(person_id, language=language))


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
    """One queued Delivery per recipient and channel; idempotent (the unique constraint decides).

    One INSERT … SELECT per channel, the language chosen in SQL by the same
    rule as language_for: the ORM's bulk_create spends a second per thousand
    rows preparing values, and a crisis has a hundred thousand. Marks the
    recipients' first message time on the board. Returns how many deliveries
    the broadcast has.
    """
    written = written_languages(broadcast.texts)
    fallback = language_for(broadcast.texts, None)
    if fallback is None:
        return 0
    preferred = "citizen__citizen_profile__preferred_language"
    people = recipients(broadcast, user=broadcast.sent_by).annotate(
        delivery_person=F("pk"),
        delivery_language=Case(When(**{f"{preferred}__in": written}, then=F(preferred)), default=Value(fallback)),
    )
    reachable = {
        DeliveryChannel.EMAIL: people.exclude(citizen__email=""),
        DeliveryChannel.SMS: people.exclude(
            Q(citizen__citizen_profile__phone__isnull=True) | Q(citizen__citizen_profile__phone="")
        ),
    }
    now = timezone.now()
    table = Delivery._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for channel in channels_for(broadcast, email=True, phone=True):
            query = reachable[channel].order_by().values("delivery_person", "delivery_language").query
            select, params = query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (broadcast_id, person_id, channel, language, status, attempts, "
                f"provider_message_id, error, queued_at) "
                f"SELECT %s, q.delivery_person, %s, q.delivery_language, %s, 0, '', '', %s FROM ({select}) q "
                # "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.
                f"WHERE true ON CONFLICT DO NOTHING",
                [
                    broadcast.pk,
                    channel.value,
                    DeliveryStatus.QUEUED.value,
                    connection.ops.adapt_datetimefield_value(now),
                    *params,
                ],
            )
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


def mark_handled(*, messages, user):
    """Staff have dealt with these SMS of the inbox; returns how many changed."""
    return messages.filter(status=InboundStatus.NEEDS_STAFF).update(
        status=InboundStatus.HANDLED, handled_by=user, handled_at=timezone.now()
    )
