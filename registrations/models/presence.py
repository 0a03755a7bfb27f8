"""The staff's list of people present in an area: a view of stops."""

from django.utils.translation import gettext_lazy as _

from .trips import Stop, StopQuerySet


class PresenceQuerySet(StopQuerySet):
    def in_jurisdiction(self, jurisdiction):
        # The list of people present shows only the stops in the jurisdiction, not the rest of their trips.
        return self.present(onwards=True).filter(jurisdiction.q())


class Presence(Stop):
    """A stop seen as "who is there": the citizen and the household travelling with them."""

    objects = PresenceQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("person present")
        verbose_name_plural = _("people present")
        # A list to read and export; stops are edited on their trip.
        default_permissions = ("view",)
        permissions = [("export_presence", _("Can export the people present as CSV"))]
