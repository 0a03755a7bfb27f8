"""Who among the staff looked at or changed whose personal data, when, from where."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LIST = "list", _("List")
    VIEW = "view", _("View")
    SEARCH = "search", _("Search")
    EXPORT = "export", _("Export")
    ADD = "add", _("Add")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")
    VIEW_HISTORY = "view_history", _("View history")


class AuditEvent(models.Model):
    """One staff action on citizens' personal data. Append-only.

    Nothing here holds a value of personal data: `object_repr` is "Trip #12",
    `details` holds filters, changed field names and row counts. The admin
    refuses to add, change or delete events; on PostgreSQL a trigger
    (migration 0004) refuses UPDATE and DELETE too, except the SET NULL of
    `subject` when a citizen's account is erased.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("citizen"),
        help_text=_("Whose personal data; empty for lists, searches and exports of many citizens."),
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of record"),
    )
    object_id = models.CharField(_("record ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=100, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        # Read-only by design: no add, change or delete permission exists.
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="registrations_auditevent_action_valid"
            ),
        ]
        indexes = [
            # The audit log, newest first, and its date filter.
            models.Index(fields=["-created_at"], name="registrations_audit_time_idx"),
            # "What did this staff member do?" (the actor filter and search).
            models.Index(fields=["actor", "-created_at"], name="registrations_audit_actor_idx"),
            # "Who looked at this citizen's data?"
            models.Index(fields=["subject", "-created_at"], name="registrations_audit_subj_idx"),
            # The action filter ("every export this month").
            models.Index(fields=["action", "-created_at"], name="registrations_audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}".strip()
