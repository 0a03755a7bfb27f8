"""Crises: an event in an area, the people concerned, and staff's estimates of how many are really there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.country_field import CountryField

from .scoping import PersonalDataQuerySet


class CrisisStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CrisisQuerySet(PersonalDataQuerySet):
    def open(self):
        return self.filter(status=CrisisStatus.OPEN)

    def in_jurisdiction(self, jurisdiction):
        # A mission officer sees the crises that touch their jurisdiction (and, on the board, only its people).
        # An area without a region is the whole country: it touches a jurisdiction holding some of its regions.
        return self.filter(pk__in=CrisisArea.objects.filter(jurisdiction.q()).values("crisis_id"))


class Crisis(models.Model):
    """A named event (a war, an earthquake) in some countries or regions, opened and closed by headquarters."""

    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=CrisisStatus, default=CrisisStatus.OPEN)
    public_notice = models.TextField(
        _("public notice"), blank=True, help_text=_("Shown to citizens in the area on their dashboard.")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    # Set when the crisis's personal data (answers, notes, help requests) has been deleted; its counts stay.
    purged_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)

    objects = CrisisQuerySet.as_manager()

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CrisisStatus.values), name="registrations_crisis_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=CrisisStatus.CLOSED, closed_at__isnull=False)
                | Q(status=CrisisStatus.OPEN, closed_at__isnull=True),
                name="registrations_crisis_closed_at_iff_closed",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status == CrisisStatus.OPEN


class CrisisArea(models.Model):
    """A country affected by a crisis, whole (no region) or one ISO 3166-2 region of it per row."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="areas", verbose_name=_("crisis"))
    country = CountryField(_("country"))
    region = models.CharField(
        _("region"), max_length=10, blank=True, help_text=_("ISO 3166-2 code; empty: whole country")
    )

    class Meta:
        verbose_name = _("affected area")
        verbose_name_plural = _("affected areas")
        ordering = ["country", "region"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "country", "region"], name="registrations_crisisarea_once"),
        ]

    def __str__(self):
        return f"{self.country.name} {self.region}".strip()


class Estimate(models.Model):
    """Staff's estimate of the citizens present in a country, from other sources: registers undercount."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="estimates", verbose_name=_("crisis"))
    country = CountryField(_("country"))
    people = models.PositiveIntegerField(_("estimated citizens present"))
    source = models.CharField(
        _("source"), max_length=200, help_text=_("Airlines, border service, community, embassy's own count…")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        ordering = ["country"]
        constraints = [
            # The board shows one estimate per country, beside the registered count.
            models.UniqueConstraint(fields=["crisis", "country"], name="registrations_estimate_once_per_country"),
        ]

    def __str__(self):
        return f"{self.country.name}: {self.people}"


class PersonStatus(models.TextChoices):
    """Where a person stands in a crisis: PFIF 1.4's note statuses, as a consular board needs them."""

    NOT_ANSWERED = "not_answered", _("Not yet answered")
    SAFE = "safe", _("Safe")
    NEEDS_HELP = "needs_help", _("Needs help")
    WANTS_TO_LEAVE = "wants_to_leave", _("Wants to leave")
    UNREACHABLE = "unreachable", _("Unreachable")
    LEFT_AREA = "left_area", _("Left the area")


class CrisisPersonQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        return self.filter(jurisdiction.q())

    def citizens(self):
        """The account holders: the people messages go to (a household member is reached through them)."""
        return self.filter(member__isnull=True)


class CrisisPerson(models.Model):
    """Someone on a crisis's board: a citizen, or a household member travelling with one.

    People join when the crisis opens (everyone present in its area) and
    when they register a trip into the area while it is open. `status` is a
    copy of their latest check-in's, kept by the check-in service under a
    row lock, so the board counts without reading every answer.
    """

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="people", verbose_name=_("crisis"))
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("citizen")
    )
    member = models.ForeignKey(
        "registrations.HouseholdMember",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household member"),
        help_text=_("Empty for the citizen themselves."),
    )
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=10, blank=True)
    city = models.CharField(_("city or town"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PersonStatus, default=PersonStatus.NOT_ANSWERED)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    first_messaged_at = models.DateTimeField(_("first messaged at"), null=True, blank=True)

    objects = CrisisPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person in a crisis")
        verbose_name_plural = _("people in a crisis")
        ordering = ["country", "region", "city", "id"]
        permissions = [("export_chase_list", _("Can export the chase list, with phone numbers, as CSV"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PersonStatus.values), name="registrations_crisisperson_status_valid"
            ),
            # Each citizen and each household member is one person on a crisis's board.
            models.UniqueConstraint(
                fields=["crisis", "citizen"],
                condition=Q(member__isnull=True),
                name="registrations_crisisperson_citizen_once",
            ),
            models.UniqueConstraint(
                fields=["crisis", "member"],
                condition=Q(member__isnull=False),
                name="registrations_crisisperson_member_once",
            ),
        ]
        indexes = [
            # Serves the board: counts by place and status within a crisis.
            models.Index(fields=["crisis", "country", "region", "city", "status"], name="registrations_board_idx"),
        ]

    def __str__(self):
        return _("Person #%(id)s") % {"id": self.pk}


class CrisisCount(models.Model):
    """What stays of a crisis once its personal data is deleted: how many people, where, in which state."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="counts", verbose_name=_("crisis"))
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PersonStatus)
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("crisis count")
        verbose_name_plural = _("crisis counts")
        ordering = ["country", "region", "status"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PersonStatus.values), name="registrations_crisiscount_status_valid"
            ),
            models.UniqueConstraint(
                fields=["crisis", "country", "region", "status"], name="registrations_crisiscount_once"
            ),
        ]

    def __str__(self):
        return f"{self.country.code} {self.region} {self.status}: {self.people}"
