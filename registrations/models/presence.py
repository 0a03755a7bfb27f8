"""The staff's list of people present in an area: a view of stops."""

from django.utils.translation import gettext_lazy as _

from .trips import Stop


class Presence(Stop):
    """A stop seen as "who is there": the citizen and the household travelling with them."""

    class Meta:
        proxy = True
        verbose_name = _("person present")
        verbose_name_plural = _("people present")
        # A list to read and export; stops are edited on their trip.
        default_permissions = ("view",)
        permissions = [("export_presence", _("Can export the people present as CSV"))]
