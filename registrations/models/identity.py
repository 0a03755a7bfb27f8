"""Two accounts claiming one national ID: a case for headquarters, never an answer to the citizen."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import PersonalDataQuerySet


class IdentityClashQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        # Cases about who a person is are for headquarters, whatever the place.
        return self.none()

    def open(self):
        return self.filter(resolved_at__isnull=True)


class IdentityClash(models.Model):
    """A profile saved with a national ID that another profile holds.

    The profile form never says that a number is taken (that was an oracle for
    anyone's number): both profiles keep what their owners typed, and
    headquarters finds out which of them is right.
    """

    claimant = models.ForeignKey(
        "registrations.CitizenProfile",
        on_delete=models.CASCADE,
        related_name="identity_clashes_claimed",
        verbose_name=_("profile that claimed the number"),
    )
    holder = models.ForeignKey(
        "registrations.CitizenProfile",
        on_delete=models.CASCADE,
        related_name="identity_clashes_held",
        verbose_name=_("profile that held the number"),
    )
    created_at = models.DateTimeField(_("found at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    note = models.TextField(_("what was found"), blank=True)

    objects = IdentityClashQuerySet.as_manager()

    class Meta:
        verbose_name = _("national ID clash")
        verbose_name_plural = _("national ID clashes")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One case per pair of profiles: saving again does not open another.
            models.UniqueConstraint(fields=["claimant", "holder"], name="registrations_identityclash_once"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name.capitalize()} #{self.pk}"
