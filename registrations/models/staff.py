"""Where a staff member works: the mission whose jurisdiction bounds what they see."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffAssignment(models.Model):
    """A mission officer's post. Headquarters staff have none: they see every citizen."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_assignment",
        limit_choices_to={"is_staff": True},
        verbose_name=_("staff member"),
    )
    mission = models.ForeignKey(
        "advisories.Mission",
        on_delete=models.PROTECT,
        related_name="staff_assignments",
        verbose_name=_("mission"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        ordering = ["id"]
        permissions = [
            ("view_all_citizens", _("Can see citizens everywhere (headquarters)")),
        ]

    def __str__(self):
        return f"{self.user} → {self.mission}"
