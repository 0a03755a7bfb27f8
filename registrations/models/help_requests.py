"""Help requests: the cases staff work on in a crisis, one owner at a time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crises import Crisis, CrisisPerson
from .scoping import PersonalDataQuerySet


class HelpKind(models.TextChoices):
    NEEDS_HELP = "needs_help", _("Needs help")
    WANTS_TO_LEAVE = "wants_to_leave", _("Wants to leave")
    PHONE_CALL = "phone_call", _("Phone call to staff")


class HelpStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    DUPLICATE = "duplicate", _("Duplicate")


OPEN_HELP_STATUSES = [HelpStatus.NEW, HelpStatus.ASSIGNED, HelpStatus.IN_PROGRESS]


class HelpRequestQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(person__in=CrisisPerson.objects.in_jurisdiction(jurisdiction))

    def still_open(self):
        return self.filter(status__in=OPEN_HELP_STATUSES)


class HelpRequest(models.Model):
    """A case: someone needs help or wants to leave. Created from an answer, or by staff after a call."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("crisis"))
    person = models.ForeignKey(
        CrisisPerson, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=HelpKind)
    status = models.CharField(_("status"), max_length=12, choices=HelpStatus, default=HelpStatus.NEW)
    summary = models.TextField(_("what is needed"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        limit_choices_to={"is_staff": True},
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    source_checkin = models.ForeignKey(
        "registrations.CheckIn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the answer"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HelpKind.values), name="registrations_helprequest_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=HelpStatus.values), name="registrations_helprequest_status_valid"
            ),
            # Claimed means owned: two officers never work the same case unknowingly.
            models.CheckConstraint(
                condition=Q(status=HelpStatus.NEW) | Q(owner__isnull=False) | Q(status=HelpStatus.DUPLICATE),
                name="registrations_helprequest_owned_once_claimed",
            ),
            models.CheckConstraint(
                condition=~Q(status=HelpStatus.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="registrations_helprequest_duplicate_has_original",
            ),
        ]
        indexes = [
            # Serves the list of open cases of a crisis, oldest first.
            models.Index(fields=["crisis", "status", "created_at"], name="registrations_help_open_idx"),
        ]

    def __str__(self):
        return _("Help request #%(id)s") % {"id": self.pk}


class HelpRequestNote(models.Model):
    """What staff did or learned about a case; notes are added, never edited."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="notes", verbose_name=_("request"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return _("Note #%(id)s") % {"id": self.pk}
