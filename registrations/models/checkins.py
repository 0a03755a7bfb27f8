"""Check-ins: a person's answers in a crisis, append-only like PFIF notes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crises import CrisisPerson, PersonStatus
from .scoping import PersonalDataQuerySet


class Reporter(models.TextChoices):
    """Who gave the answer."""

    PERSON = "person", _("The person")
    RELATIVE = "relative", _("A relative travelling with them")
    STAFF = "staff", _("Staff, after a call")


class CheckInChannel(models.TextChoices):
    LINK = "link", _("Link in a message")
    DASHBOARD = "dashboard", _("Dashboard")
    SMS = "sms", _("SMS reply")
    STAFF = "staff", _("Staff")


class CheckInQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(person__in=CrisisPerson.objects.in_jurisdiction(jurisdiction))


class CheckIn(models.Model):
    """One answer about one person. Never edited: a change of state is a new check-in.

    The person's current status is their latest check-in's (copied to
    CrisisPerson.status by the check-in service).
    """

    person = models.ForeignKey(
        CrisisPerson, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=16, choices=PersonStatus)
    note = models.TextField(_("note"), blank=True)
    city = models.CharField(_("current city or town"), max_length=100, blank=True)
    reporter = models.CharField(_("reported by"), max_length=10, choices=Reporter)
    channel = models.CharField(_("channel"), max_length=10, choices=CheckInChannel)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by (staff)"),
    )
    # The hidden token of the page that sent the answer: a double click, or a
    # phone resending the same POST, records one check-in.
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PersonStatus.values), name="registrations_checkin_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reporter__in=Reporter.values), name="registrations_checkin_reporter_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=CheckInChannel.values), name="registrations_checkin_channel_valid"
            ),
            models.UniqueConstraint(fields=["person", "submission_token"], name="registrations_checkin_submitted_once"),
        ]
        indexes = [
            # Serves a person's history, newest first.
            models.Index(fields=["person", "-created_at"], name="registrations_checkin_hist_idx"),
        ]

    def __str__(self):
        return _("Check-in #%(id)s") % {"id": self.pk}
