"""Background work of broadcasts: resolve the recipients, send in batches, watch until everything is done.

Exactly once
------------
Each person must get a broadcast once per channel, even when a worker is
killed in the middle (SIGKILL, out of memory, a redeploy). Three rules:

1. One Delivery row per (broadcast, person, channel), unique in the database:
   resolving the recipients twice creates nothing twice.
2. A delivery goes queued → sending in a committed transaction *before* it is
   handed to the provider, and sending → sent (with the provider's id) right
   after, in the transaction that also marks the next one sending. So a worker
   has at most one delivery whose fate is unknown at any moment: the one it is
   handing over. Every other delivery is queued (never handed over: safe to
   send) or finished. Where the provider can be asked afterwards whether it
   got a message (rule 3), that window may safely hold a whole group: a
   worker then marks up to GROUP deliveries "sending" in one commit, hands
   them over, and records them in one more: two commits per group instead of
   one per message, which is what lets two workers send 100,000 messages in a
   minute or two (a commit waits for the disk: ~5 ms). Workers reserve a few deliveries at a time (SELECT … FOR
   UPDATE SKIP LOCKED, then claimed_until = now + BROADCAST_CLAIM_SECONDS) so
   that two workers do not pick the same ones; and queued → sending is a
   conditional UPDATE (WHERE status = 'queued'), so of two workers holding the
   same row (an expired reservation taken over) one moves it and the other
   skips it. A dead worker's reserved deliveries are still "queued": once the
   reservation expires, another worker takes them.
3. A delivery still "sending" after its claim expired belongs to a dead worker
   (a live one records the outcome within the provider's timeout, which
   BROADCAST_CLAIM_SECONDS must exceed). Handed over or not? We ask the
   provider (`look_up`: Twilio's list of messages to that number, the
   recording backends' file, the test outboxes): found → sent, not found →
   queued again. Where the provider cannot tell (SMTP, most email APIs) the
   email is sent again with the same Message-ID, which mail stores use to
   drop a second copy: at worst one duplicate per killed worker, never a
   message lost.

Why not a provider idempotency key (delivery id): Twilio's Messages API and
SMTP have none; a look-up answers the same question for both. Why not hold a
row lock through the send: its transaction could not record "sent" without
releasing it, and a kill would roll back the record of messages already gone.

django-tasks-db never resumes a task left "running" by a killed worker. So
`watch_broadcast`, a task that schedules itself every BROADCAST_CLAIM_SECONDS
while a broadcast is sending, takes up what such tasks left: it resolves the
recipients again if that was cut short, settles the deliveries in doubt, and
queues new batches when no progress was made since its last look.
"""

import logging
import math
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from portal.outbound import absolute_url
from portal.sms import PermanentSmsError, SmsError, TemporarySmsError, get_backend
from portal.tasks import is_temporary, retry_delay

from ..models import Broadcast, Delivery
from ..models.broadcasts import BroadcastStatus, DeliveryChannel, DeliveryStatus
from ..services import broadcasts as service
from ..services.crises import sync_people

logger = logging.getLogger(__name__)

# Deliveries a worker takes at a time (fewer when the rate limit would make a group outlast its claim).
GROUP = 200
# What a delivery's record of an outcome writes.
OUTCOME_FIELDS = ["status", "provider_message_id", "sent_at", "error", "claimed_until", "next_attempt_at"]
UNFINISHED = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]

# The rate limit's clock and sleep: tests replace them.
clock = time.time
sleep = time.sleep


def start(*, broadcast_id):
    """Queue a broadcast's work; called once send_broadcast has committed."""
    queue_broadcast.enqueue(broadcast_id=broadcast_id)
    _schedule_watch(broadcast_id, done=None)


def _claim_ends(now):
    return now + timedelta(seconds=settings.BROADCAST_CLAIM_SECONDS)


def _sending(broadcast_id):
    return (
        Broadcast.objects.select_related("crisis", "sent_by")
        .filter(pk=broadcast_id, status=BroadcastStatus.SENDING)
        .first()
    )


def _schedule_watch(broadcast_id, *, done):
    # Without deferred tasks (the immediate backend of tests) everything has run by now.
    if watch_broadcast.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=settings.BROADCAST_CLAIM_SECONDS)
        watch_broadcast.using(run_after=run_after).enqueue(broadcast_id=broadcast_id, done=done)


def _fan_out(broadcast_id, pending):
    for _batch in range(math.ceil(pending / settings.BROADCAST_BATCH_SIZE)):
        send_deliveries.enqueue(broadcast_id=broadcast_id)


def _due(broadcast_id, now):
    """Queued deliveries that may be taken now: due, and not reserved by a (live) worker."""
    return (
        Delivery.objects.filter(broadcast_id=broadcast_id, status=DeliveryStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


def finish_if_done(broadcast_id):
    if not Delivery.objects.filter(broadcast_id=broadcast_id, status__in=UNFINISHED).exists():
        Broadcast.objects.filter(pk=broadcast_id, status=BroadcastStatus.SENDING, queued_at__isnull=False).update(
            status=BroadcastStatus.SENT
        )


@task()
def queue_broadcast(*, broadcast_id):
    """Join newcomers to the crisis, create the deliveries, and start the batches that send them."""
    broadcast = _sending(broadcast_id)
    if broadcast is None or broadcast.queued_at is not None:
        return 0
    # Here rather than in the officer's request: on a crisis of 100,000 people it takes seconds.
    sync_people(broadcast.crisis)
    count = service.create_deliveries(broadcast=broadcast)
    Broadcast.objects.filter(pk=broadcast_id, queued_at__isnull=True).update(queued_at=timezone.now())
    logger.info("Broadcast %d: %d deliveries queued.", broadcast_id, count)
    _fan_out(broadcast_id, _due(broadcast_id, timezone.now()).count())
    finish_if_done(broadcast_id)
    return count


@task()
def send_deliveries(*, broadcast_id):
    """Send up to BROADCAST_BATCH_SIZE of the broadcast's queued deliveries; return how many were handled."""
    broadcast = _sending(broadcast_id)
    if broadcast is None:
        return 0
    sender = Sender(broadcast)
    handled = 0
    try:
        sender.settle_in_doubt()
        channels = sender.channels()
        while channels and handled < settings.BROADCAST_BATCH_SIZE:
            # Channels in turn, a group each, so that a slow one does not hold the other back.
            for channel in list(channels):
                group = sender.take(channel, settings.BROADCAST_BATCH_SIZE - handled)
                if not group:
                    channels.remove(channel)
                    continue
                for row in group:
                    sender.send(row)
                handled += len(group)
                sender.flush()
    finally:
        sender.close()
    if sender.retry_at and send_deliveries.get_backend().supports_defer:
        send_deliveries.using(run_after=sender.retry_at).enqueue(broadcast_id=broadcast_id)
    finish_if_done(broadcast_id)
    return handled


@task()
def watch_broadcast(*, broadcast_id, done=None):
    """Every BROADCAST_CLAIM_SECONDS while sending: take up what killed workers left (see the module's doc)."""
    broadcast = _sending(broadcast_id)
    if broadcast is None:
        return
    finished = Delivery.objects.filter(broadcast_id=broadcast_id).exclude(status__in=UNFINISHED).count()
    # The next watch first: if this one is killed, that one is already queued.
    _schedule_watch(broadcast_id, done=finished)
    if broadcast.queued_at is None:
        if done is not None:  # Not done one period after sending: its task died (or is stuck behind others).
            queue_broadcast.call(broadcast_id=broadcast_id)
        return
    sender = Sender(broadcast)
    try:
        sender.settle_in_doubt()
    finally:
        sender.close()
    if done is not None and finished == done:
        due = _due(broadcast_id, timezone.now()).count()
        if due:
            logger.warning("Broadcast %d: no progress for a while; %d deliveries queued again.", broadcast_id, due)
            _fan_out(broadcast_id, due)
    finish_if_done(broadcast_id)


class RateLimit:
    """At most `per_second` messages of one channel handed over per clock second, by all workers.

    Counted in the cache: Redis shares the count among processes (REDIS_URL);
    the per-process memory cache counts each process alone. 0 means no limit.
    """

    def __init__(self, channel, per_second):
        self.channel, self.per_second = channel, per_second

    def try_acquire(self):
        if self.per_second <= 0:
            return True
        key = f"registrations:broadcast-rate:{self.channel}:{int(clock())}"
        cache.add(key, 0, timeout=10)
        try:
            count = cache.incr(key)
        except ValueError:  # Expired between add and incr.
            cache.set(key, 1, timeout=10)
            count = 1
        return count <= self.per_second

    def acquire(self):
        while not self.try_acquire():
            now = clock()
            sleep(math.floor(now) + 1 - now + 0.001)


class Failure(Exception):
    def __init__(self, reason, *, temporary):
        super().__init__(reason)
        self.reason, self.temporary = str(reason)[:300], temporary


def email_failure(error):
    """Our Failure for an email backend's exception, with a reason that names no address."""
    import smtplib

    from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused

    if isinstance(error, AnymailRecipientsRefused):
        return Failure("The provider refused the address.", temporary=False)
    if isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None)
        temporary = status is None or status == 429 or status >= 500
        return Failure(f"{type(error).__name__} {status or ''}".strip(), temporary=temporary)
    if isinstance(error, AnymailError):
        return Failure(type(error).__name__, temporary=False)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return Failure("The mail server refused the address.", temporary=False)
    if isinstance(error, smtplib.SMTPResponseException):
        return Failure(f"SMTP {error.smtp_code}", temporary=is_temporary(error))
    if isinstance(error, OSError):
        return Failure(type(error).__name__, temporary=is_temporary(error))
    return None


class Sender:
    """One worker's sending of one broadcast: reservations, the provider calls and their records."""

    def __init__(self, broadcast):
        self.broadcast = broadcast
        self.sms = get_backend()
        self.status_callback = absolute_url(reverse("webhooks:twilio_status")) if self.sms.has_receipts else None
        self.limits = {
            channel: RateLimit(channel, settings.BROADCAST_RATE_PER_SECOND.get(channel, 0))
            for channel in DeliveryChannel.values
        }
        self.email_connection = None
        self.pending = []  # Delivery objects holding outcomes not yet recorded
        self.rendered_emails = {}  # (language, reconfirm) → the email with a placeholder for the link
        self.retry_at = None

    # Taking deliveries.

    def channels(self):
        return [
            channel
            for channel, used in (
                (DeliveryChannel.EMAIL, self.broadcast.by_email),
                (DeliveryChannel.SMS, self.broadcast.by_sms),
            )
            if used
        ]

    def can_look_up(self, channel):
        if channel == DeliveryChannel.SMS:
            return self.sms.can_look_up
        return self._email_look_up() is not None

    def group_size(self, channel, remaining):
        # A group must be handed over well within its claim, rate limit included.
        rate = self.limits[channel].per_second
        size = min(GROUP, remaining)
        if rate > 0:
            size = min(size, max(1, rate * settings.BROADCAST_CLAIM_SECONDS // 4))
        return size

    def take(self, channel, remaining):
        """The next deliveries of `channel` this worker sends: a group marked sending, or a reservation."""
        size = self.group_size(channel, remaining)
        now = timezone.now()
        grouped = self.can_look_up(channel)
        with transaction.atomic():
            ids = list(
                _due(self.broadcast.pk, now)
                .filter(channel=channel)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:size]
            )
            if grouped:
                # The provider can tell later what it got: the whole group is in its window at once (rule 2).
                Delivery.objects.filter(pk__in=ids).update(
                    status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_until=_claim_ends(now)
                )
            else:
                Delivery.objects.filter(pk__in=ids).update(claimed_until=_claim_ends(now))
        rows = self._rows(Delivery.objects.filter(pk__in=ids))
        for row in rows:
            row["started"] = grouped
            row["attempt"] = row["attempts"] if grouped else row["attempts"] + 1
        return rows

    def _rows(self, deliveries):
        rows = list(
            deliveries.order_by("pk").values(
                "pk",
                "channel",
                "language",
                "person_id",
                "attempts",
                "claimed_until",
                email=F("person__citizen__email"),
                phone=F("person__citizen__citizen_profile__phone"),
                citizen_id=F("person__citizen_id"),
            )
        )
        stale = set()
        if self.broadcast.asks_to_reconfirm and rows:
            stale = service.stale_citizens(self.broadcast, {row["citizen_id"] for row in rows})
        for row in rows:
            row["reconfirm"] = row["citizen_id"] in stale
        return rows

    # Sending one.

    def send(self, row):
        limit = self.limits[row["channel"]]
        if not limit.try_acquire():
            self.flush()  # What is done is recorded before waiting.
            limit.acquire()
        if not row["started"] and not self._start(row):
            return  # Another worker took it over after our reservation expired.
        outcome = Delivery(pk=row["pk"], claimed_until=None, next_attempt_at=None, provider_message_id="", error="")
        try:
            outcome.provider_message_id = self._hand_over(row)[:100]
        except Failure as failure:
            outcome.error = failure.reason
            if failure.temporary and row["attempt"] < settings.BROADCAST_SEND_ATTEMPTS:
                retry_at = timezone.now() + timedelta(seconds=retry_delay(row["attempt"]))
                outcome.status, outcome.next_attempt_at = DeliveryStatus.QUEUED, retry_at
                self.retry_at = min(self.retry_at or retry_at, retry_at)
            else:
                outcome.status = DeliveryStatus.FAILED
        else:
            outcome.status, outcome.sent_at = DeliveryStatus.SENT, timezone.now()
        self.pending.append(outcome)

    def _start(self, row):
        """queued → sending for one delivery, committed with the outcomes before it (rule 2)."""
        with transaction.atomic():
            self._record_pending()
            return (
                Delivery.objects.filter(pk=row["pk"], status=DeliveryStatus.QUEUED).update(
                    status=DeliveryStatus.SENDING,
                    attempts=F("attempts") + 1,
                    claimed_until=_claim_ends(timezone.now()),
                )
                == 1
            )

    def _hand_over(self, row):
        if row["channel"] == DeliveryChannel.SMS:
            body = service.render_sms_for(self.broadcast, person_id=row["person_id"], language=row["language"])
            try:
                return self.sms.send(
                    to=row["phone"], body=body, reference=str(row["pk"]), status_callback=self.status_callback
                )
            except SmsError as error:
                raise Failure(error.reason, temporary=isinstance(error, TemporarySmsError)) from None
        subject, body = service.render_email_for(
            self.broadcast,
            person_id=row["person_id"],
            language=row["language"],
            reconfirm=row["reconfirm"],
            rendered=self.rendered_emails,
        )
        message = EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [row["email"]],
            headers={"Message-ID": self.message_id_header(row["pk"])},
        )
        # django-anymail sends this to the provider, whose tracking events carry it back.
        message.metadata = {"delivery": str(row["pk"])}
        try:
            message.connection = self._email()
            message.send()
        except Exception as error:
            failure = email_failure(error)
            self._drop_email_connection()
            if failure is None:
                raise
            raise failure from None
        status = getattr(message, "anymail_status", None)
        return (status.message_id if status is not None and status.message_id else None) or message.extra_headers[
            "Message-ID"
        ]

    def message_id_header(self, delivery_id):
        # The same on every attempt: a mail store that got the first copy drops the second.
        return f"<broadcast-{self.broadcast.pk}.delivery-{delivery_id}@{urlsplit(settings.SITE_URL).hostname}>"

    def _email(self):
        if self.email_connection is None:
            self.email_connection = get_connection()
            self.email_connection.open()
        return self.email_connection

    def _drop_email_connection(self):
        if self.email_connection is not None:
            try:
                self.email_connection.close()
            except Exception:  # A broken connection may fail to close; it is dropped either way.
                logger.debug("Closing a broken email connection failed.", exc_info=True)
            self.email_connection = None

    # Recording outcomes.

    def _record_pending(self):
        """Write the outcomes noted since the last commit: one statement, many rows (executemany).

        Only rows still "sending" change: one settled by another worker meanwhile keeps its record.
        (The ORM's bulk_update builds a CASE per row and field: seconds per thousand rows.)
        """
        if not self.pending:
            return
        fields = [Delivery._meta.get_field(name) for name in OUTCOME_FIELDS]
        assignments = ", ".join(f"{field.column} = %s" for field in fields)
        rows = [
            [field.get_db_prep_save(getattr(outcome, field.attname), connection) for field in fields] + [outcome.pk]
            for outcome in self.pending
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Delivery._meta.db_table} SET {assignments} "
                f"WHERE id = %s AND status = '{DeliveryStatus.SENDING.value}'",
                rows,
            )
        self.pending = []

    def flush(self):
        if self.pending:
            with transaction.atomic():
                self._record_pending()

    def close(self):
        self.flush()
        self._drop_email_connection()

    # Deliveries in doubt.

    def settle_in_doubt(self):
        """Deliveries left "sending" by a dead worker: sent if the provider has them, else queued again."""
        now = timezone.now()
        in_doubt = Delivery.objects.filter(
            broadcast_id=self.broadcast.pk, status=DeliveryStatus.SENDING, claimed_until__lt=now
        )
        settled = 0
        for row in self._rows(in_doubt):
            try:
                message_id = self._look_up(row)
            except TemporarySmsError:
                continue  # The provider cannot answer now: the next watch asks again.
            fields = {"status": DeliveryStatus.QUEUED, "claimed_until": None}
            if message_id:
                fields = {
                    "status": DeliveryStatus.SENT,
                    "provider_message_id": message_id[:100],
                    "sent_at": now,
                    "claimed_until": None,
                }
            settled += Delivery.objects.filter(
                pk=row["pk"], status=DeliveryStatus.SENDING, claimed_until=row["claimed_until"]
            ).update(**fields)
        if settled:
            logger.warning("Broadcast %d: %d deliveries in doubt settled.", self.broadcast.pk, settled)

    def _look_up(self, row):
        """The provider's id if the delivery was handed over, else None (also when nobody can tell)."""
        since = row["claimed_until"] - timedelta(seconds=settings.BROADCAST_CLAIM_SECONDS)
        if row["channel"] == DeliveryChannel.SMS:
            if not self.sms.can_look_up:
                return None
            body = service.render_sms_for(self.broadcast, person_id=row["person_id"], language=row["language"])
            try:
                return self.sms.look_up(reference=str(row["pk"]), to=row["phone"], body=body, since=since)
            except PermanentSmsError:
                return None
        look_up = self._email_look_up()
        return look_up(self.message_id_header(row["pk"])) if look_up is not None else None

    def _email_look_up(self):
        """A function answering "did the mail backend get this Message-ID?", if the backend can tell."""
        if settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend":
            return lambda header: (
                header
                if any(message.extra_headers.get("Message-ID") == header for message in getattr(mail, "outbox", []))
                else None
            )
        return getattr(self._email(), "look_up", None)
