"""Broadcasts: a message from staff to the people of a crisis, and one delivery per person and channel."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crises import Crisis, CrisisPerson
from .scoping import PersonalDataQuerySet


class BroadcastStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class BroadcastQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(crisis__in=Crisis.objects.visible_to(user))


class Broadcast(models.Model):
    """A message written once per language, sent by email and/or SMS to an audience inside a crisis.

    The audience is a rule (places and answer statuses), not a list: the
    recipients are resolved when the broadcast is sent, so people who joined
    the crisis since it was written are reached too.
    """

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="broadcasts", verbose_name=_("crisis"))
    # {"kk": "…", "ru": "…", "en": "…"}: one text per language of settings.LANGUAGES.
    texts = models.JSONField(_("message in each language"), default=dict)
    by_email = models.BooleanField(_("by email"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=False)
    # Empty lists: no restriction. Places are ISO codes (countries, regions) and city names.
    countries = models.JSONField(_("countries"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    cities = models.JSONField(_("cities or towns"), default=list, blank=True)
    statuses = models.JSONField(
        _("only people whose status is"), default=list, blank=True, help_text=_("Empty: everyone in the places.")
    )
    # The crisis's first message also asks people with stale records to confirm where they are.
    asks_to_reconfirm = models.BooleanField(_("asks to confirm where they are"), default=False, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=BroadcastStatus, default=BroadcastStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set once the recipients are resolved and every delivery row exists: until then the
    # background work that resolves them has not finished (or must be run again).
    queued_at = models.DateTimeField(_("recipients resolved at"), null=True, blank=True, editable=False)

    objects = BroadcastQuerySet.as_manager()

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BroadcastStatus.values), name="registrations_broadcast_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(by_email=True) | Q(by_sms=True), name="registrations_broadcast_has_a_channel"
            ),
            models.CheckConstraint(
                condition=Q(status=BroadcastStatus.DRAFT) | Q(sent_at__isnull=False),
                name="registrations_broadcast_sent_at_once_sent",
            ),
        ]

    def __str__(self):
        return _("Broadcast #%(id)s") % {"id": self.pk}


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class DeliveryQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(person__in=CrisisPerson.objects.in_jurisdiction(jurisdiction))


class Delivery(models.Model):
    """One message of a broadcast to one person by one channel: sent once, whatever happens to the workers."""

    broadcast = models.ForeignKey(
        Broadcast, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("broadcast")
    )
    person = models.ForeignKey(
        CrisisPerson, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("person")
    )
    channel = models.CharField(_("channel"), max_length=5, choices=DeliveryChannel)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider's message ID"), max_length=100, blank=True)
    error = models.CharField(_("provider's reason"), max_length=300, blank=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # A worker's claim on the row. Queued: reserved by a worker until then (after it, another
    # worker may take it: it was never handed to a provider). Sending: handed over, or about to
    # be, by a worker that must record the outcome before then; still "sending" afterwards means
    # the worker died, and the delivery is resolved by asking the provider (tasks/broadcasts.py).
    claimed_until = models.DateTimeField(_("claimed by a worker until"), null=True, blank=True, editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=DeliveryChannel.values), name="registrations_delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="registrations_delivery_status_valid"
            ),
            # Exactly once: a person gets a broadcast once per channel, however often it is resolved.
            models.UniqueConstraint(
                fields=["broadcast", "person", "channel"], name="registrations_delivery_once_per_channel"
            ),
        ]
        indexes = [
            # Serves the workers' "next queued deliveries of this broadcast" and the progress counts.
            models.Index(fields=["broadcast", "status"], name="registrations_delivery_idx"),
            # Serves delivery receipts, which name the provider's message ID.
            models.Index(fields=["provider_message_id"], name="registrations_receipt_idx"),
        ]

    def __str__(self):
        return _("Delivery #%(id)s") % {"id": self.pk}


class InboundStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded as a check-in")
    NEEDS_STAFF = "needs_staff", _("For staff to read")
    HANDLED = "handled", _("Handled by staff")


class InboundMessageQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        # An unknown number belongs to no jurisdiction: headquarters reads those.
        return self.filter(person__in=CrisisPerson.objects.in_jurisdiction(jurisdiction))


class InboundMessage(models.Model):
    """An SMS sent to the portal's number: a "1/2/3" answer, or anything else for staff to read. Never lost."""

    provider_message_id = models.CharField(_("provider's message ID"), max_length=100, unique=True)
    from_number = models.CharField(_("from"), max_length=20)
    body = models.TextField(_("text"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    person = models.ForeignKey(
        CrisisPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    checkin = models.ForeignKey(
        "registrations.CheckIn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("check-in"),
    )
    status = models.CharField(_("status"), max_length=12, choices=InboundStatus)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("SMS received")
        verbose_name_plural = _("SMS received")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InboundStatus.values), name="registrations_inbound_status_valid"
            ),
        ]

    def __str__(self):
        return _("SMS #%(id)s") % {"id": self.pk}
