"""Following advisories by email: who follows which country, and each email sent about an edition."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.country_field import CountryField


class SubscriptionQuerySet(models.QuerySet):
    def never_confirmed(self, *, link_sent_before):
        """Subscriptions still unconfirmed whose newest confirmation link was sent before the given time."""
        return self.filter(confirmed_at__isnull=True, confirmation_sent_at__lt=link_sent_before)


class Subscription(models.Model):
    """An email address following one country's advice, or every country's (country empty)."""

    email = models.EmailField(_("email address"))
    country = CountryField(_("country"), blank=True, help_text=_("Empty: every country."))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # When the newest confirmation link went out: an unconfirmed subscription is purged once it has expired.
    confirmation_sent_at = models.DateTimeField(_("confirmation link sent at"), default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "country"], name="advisories_subscription_unique"),
        ]
        indexes = [
            # Who is mailed when a country's advice changes: confirmed followers of it or of all.
            models.Index(fields=["country", "confirmed_at"], name="advisories_subscription_idx"),
        ]

    def __str__(self):
        return self.email


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class SubscriptionDelivery(models.Model):
    """One email about one edition to one subscriber.

    The row is written before the email goes out and is unique per
    subscription and edition, so a restarted worker never mails anyone twice.
    A row left "sending" by a crash is not retried: we would rather miss one
    email than send it twice.
    """

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    edition = models.ForeignKey(
        "advisories.AdvisoryEdition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="subscription_deliveries",
    )
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription email")
        verbose_name_plural = _("subscription emails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "edition"], name="advisories_delivery_unique"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="advisories_delivery_status_valid"
            ),
        ]
        indexes = [
            # The task's "what is left to send for this edition".
            models.Index(fields=["edition", "status"], name="advisories_delivery_todo_idx"),
        ]

    def __str__(self):
        return f"{self.subscription}: {self.edition}"
