"""Trips and stays abroad, and the stops that say where a citizen is on a day."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.country_field import CountryField
from portal.geography import is_region_of, region_name

from .scoping import PersonalDataQuerySet

# How fresh a registration is: days since its citizen last confirmed the trip.
# Counts, lists and their filters use the same three bands: within FRESH_DAYS,
# within RECENT_DAYS, older.
FRESH_DAYS = 30
RECENT_DAYS = 90

# A resident's passport should stay valid this long ahead: renewing abroad takes months.
PASSPORT_OPEN_STAY_MARGIN_DAYS = 180


def validate_constraints_except(instance, checked_in_python, exclude=None):
    """Model.validate_constraints without the constraints named in `checked_in_python`.

    Django validates a check constraint by asking the database (a SELECT, and a savepoint in a
    transaction), and builds that query even for a constraint on an excluded field before giving
    up. A rule clean() or clean_fields() already applies in Python is not asked again, nor is a
    check on a field left out; the database still enforces every constraint on every write.
    """
    exclude = set(exclude or ())
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for constraint in instance._meta.constraints:
        if constraint.name in checked_in_python:
            continue
        if isinstance(constraint, models.CheckConstraint) and constraint.condition.referenced_base_fields & exclude:
            continue
        try:
            constraint.validate(type(instance), instance, exclude=exclude, using=using)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class TripKind(models.TextChoices):
    TOURISM = "tourism", _("Tourism")
    BUSINESS = "business", _("Business")
    STUDY = "study", _("Study")
    WORK = "work", _("Work")
    RESIDENCE = "residence", _("Living there")
    OTHER = "other", _("Other")


class TripStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CURRENT = "current", _("Under way")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class TripQuerySet(PersonalDataQuerySet):
    def not_cancelled(self):
        return self.exclude(status=TripStatus.CANCELLED)

    def current_or_upcoming(self, *, today):
        """Trips that put someone abroad on `today` or later (residents' stays never end)."""
        return self.filter(Exists(Stop.objects.present(today, onwards=True).filter(trip=OuterRef("pk"))))

    def in_jurisdiction(self, jurisdiction):
        return self.filter(pk__in=Stop.objects.present(onwards=True).filter(jurisdiction.q()).values("trip_id"))

    def with_stop_where(self, condition):
        return self.filter(pk__in=Stop.objects.present(onwards=True).filter(condition).values("trip_id"))

    def overlapping(self, trip):
        """Trips sharing a day with `trip` beyond a travel day (one ending as the other begins).

        The one overlap rule, asked of the database: a trip overlaps `trip` if one of its stops ends
        after `trip` starts (or never ends) and one begins before `trip` ends (if it ends). `trip`'s
        own dates come from its stops (loaded); the other trips are never loaded.
        """
        starts_on, ends_on = trip.starts_on, trip.ends_on
        if starts_on is None:
            return self.none()
        stops = Stop.objects.filter(trip=OuterRef("pk"))
        trips = self.filter(Exists(stops.filter(Q(departure_date__isnull=True) | Q(departure_date__gt=starts_on))))
        if ends_on is not None:
            trips = trips.filter(Exists(stops.filter(arrival_date__lt=ends_on)))
        return trips

    def with_dates(self):
        """Annotate starts_on, last_departure and open_stops (stops without a departure date)."""
        return self.annotate(
            starts_on=Min("stops__arrival_date"),
            last_departure=Max("stops__departure_date"),
            open_stops=Count("stops", filter=Q(stops__departure_date__isnull=True)),
        )

    def expired(self, *, now):
        """Trips ended or cancelled more than TRIP_RETENTION_DAYS ago: their data must go."""
        cutoff = now - timedelta(days=settings.TRIP_RETENTION_DAYS)
        ended = self.with_dates().filter(open_stops=0, last_departure__lt=timezone.localdate(cutoff))
        return self.filter(
            Q(status=TripStatus.CANCELLED, cancelled_at__lt=cutoff) | Q(pk__in=ended.values("pk")),
        )

    def update_statuses(self, *, today):
        """Move planned → current → ended by the stops' dates; return how many trips changed."""
        dated = Trip.objects.with_dates()
        started = dated.filter(status=TripStatus.PLANNED, starts_on__lte=today).exclude(
            open_stops=0, last_departure__lt=today
        )
        finished = dated.filter(status__in=[TripStatus.PLANNED, TripStatus.CURRENT], open_stops=0).filter(
            last_departure__lt=today
        )
        changed = self.filter(pk__in=finished.values("pk")).update(status=TripStatus.ENDED)
        changed += self.filter(pk__in=started.values("pk")).update(status=TripStatus.CURRENT)
        return changed


class Trip(models.Model):
    """A journey or a stay abroad, of the citizen and the household members who travel."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trips", verbose_name=_("citizen")
    )
    kind = models.CharField(_("purpose"), max_length=10, choices=TripKind)
    travellers = models.ManyToManyField(
        "registrations.HouseholdMember",
        blank=True,
        related_name="trips",
        verbose_name=_("household members travelling"),
    )
    phone_abroad = models.CharField(_("phone abroad"), max_length=20, blank=True)
    # Kept in step with the stops' dates by services and `update_trip_statuses`;
    # only "cancelled" is a choice of the citizen.
    status = models.CharField(_("status"), max_length=10, choices=TripStatus, default=TripStatus.PLANNED)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed at"), default=timezone.now)
    reminder_sent_at = models.DateTimeField(_("last asked to confirm at"), null=True, blank=True)
    # The hidden token of the form that created the trip: a second submission
    # of the same form finds this trip instead of creating another.
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TripQuerySet.as_manager()

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TripKind.values), name="registrations_trip_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=TripStatus.values), name="registrations_trip_status_valid"),
            models.CheckConstraint(
                condition=Q(status=TripStatus.CANCELLED, cancelled_at__isnull=False)
                | (~Q(status=TripStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="registrations_trip_cancelled_at_iff_cancelled",
            ),
            # Serves the double-submit check: one trip per form shown.
            models.UniqueConstraint(fields=["owner", "submission_token"], name="registrations_trip_submitted_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.pk})"

    def validate_constraints(self, exclude=None):
        # clean_fields checks the kind and the status against their choices, in Python.
        validate_constraints_except(self, {"registrations_trip_kind_valid", "registrations_trip_status_valid"}, exclude)

    # The helpers below read self.stops.all(), so they use a prefetch when there is one.
    def ordered_stops(self):
        return sorted(self.stops.all(), key=lambda stop: (stop.position, stop.arrival_date))

    @property
    def starts_on(self):
        stops = self.ordered_stops()
        return min(stop.arrival_date for stop in stops) if stops else None

    @property
    def ends_on(self):
        """The last departure date, or None while a stop has none (a resident)."""
        departures = [stop.departure_date for stop in self.stops.all()]
        if not departures or None in departures:
            return None
        return max(departures)

    def status_on(self, today):
        """What the dates say the status is on `today` (a cancelled trip stays cancelled)."""
        if self.status == TripStatus.CANCELLED:
            return TripStatus.CANCELLED
        starts_on = self.starts_on
        if starts_on is None or today < starts_on:
            return TripStatus.PLANNED
        ends_on = self.ends_on
        if ends_on is not None and ends_on < today:
            return TripStatus.ENDED
        # Ended early: the last stop ends today and the citizen said they have left.
        if self.status == TripStatus.ENDED and ends_on == today:
            return TripStatus.ENDED
        return TripStatus.CURRENT

    def outlasts_passport(self, passport_expires_on, *, today):
        """Whether the passport expires before the trip ends, or, for a stay without an end, within six months.

        The one passport rule: the dashboard's advice and the trip form's
        warning both ask it.
        """
        return passport_expires_on < (self.ends_on or today + timedelta(days=PASSPORT_OPEN_STAY_MARGIN_DAYS))

    def stop_on(self, day):
        """The stop where the trip is on `day`, or None."""
        for stop in self.ordered_stops():
            if stop.arrival_date <= day and (stop.departure_date is None or stop.departure_date >= day):
                return stop
        return None

    def is_long_stay(self, today):
        """A resident, or a trip longer than REGISTRATION_RECONFIRM_AFTER_DAYS: asked to reconfirm."""
        starts_on, ends_on = self.starts_on, self.ends_on
        if starts_on is None:
            return False
        if ends_on is None:
            return True
        return (ends_on - starts_on).days > settings.REGISTRATION_RECONFIRM_AFTER_DAYS

    def needs_reconfirmation(self, now):
        if self.status_on(timezone.localdate(now)) != TripStatus.CURRENT:
            return False
        stale = self.last_confirmed_at <= now - timedelta(days=settings.REGISTRATION_RECONFIRM_AFTER_DAYS)
        return stale and self.is_long_stay(timezone.localdate(now))


class StopQuerySet(PersonalDataQuerySet):
    def present(self, on=None, *, onwards=False, cancelled_trips=False):
        """Stops that put someone abroad on the day `on` (today by default), or with `onwards` on it or later.

        The one definition of presence: every count, list, filter, scope and
        export starts from it. A stop covers its arrival and departure days
        (residents have no departure); cancelled trips do not count, unless
        `cancelled_trips` (the list filters' choices of places: reading every
        stop's trip is what made them slow).
        """
        on = on or timezone.localdate()
        stops = self.filter(Q(departure_date__isnull=True) | Q(departure_date__gte=on))
        if not onwards:
            stops = stops.filter(arrival_date__lte=on)
        return stops if cancelled_trips else stops.exclude(trip__status=TripStatus.CANCELLED)

    def present_in(self, country, region=None, *, on=None, onwards=False):
        """`present()` in `country` (a code, or several) and `region`. Served by registrations_presence_idx."""
        stops = self.present(on, onwards=onwards)
        stops = stops.filter(country=country) if isinstance(country, str) else stops.filter(country__in=sorted(country))
        return stops.filter(region=region) if region else stops

    def in_jurisdiction(self, jurisdiction):
        # A visible trip is shown whole: the officer in Tehran sees where the traveller goes next.
        return self.filter(trip_id__in=Stop.objects.present(onwards=True).filter(jurisdiction.q()).values("trip_id"))

    def with_stop_where(self, condition):
        # The staff's list of stops filters the stops themselves, past ones included.
        return self.filter(condition)

    def count_people(self):
        """People, not accounts: each citizen once, plus each household member travelling, once."""
        totals = self.aggregate(
            citizens=Count("trip__owner", distinct=True),
            household_members=Count("trip__travellers", distinct=True),
        )
        return totals["citizens"] + totals["household_members"]


class Stop(models.Model):
    """One leg of a trip: where, and from when to when."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="stops", verbose_name=_("trip"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=10, blank=True, help_text=_("ISO 3166-2 code"))
    city = models.CharField(_("city or town"), max_length=100)
    address = models.CharField(_("address or accommodation"), max_length=250, blank=True)
    arrival_date = models.DateField(_("arrival date"))
    departure_date = models.DateField(_("departure date"), null=True, blank=True)

    objects = StopQuerySet.as_manager()

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["position", "arrival_date", "id"]
        indexes = [
            # Serves Stop.objects.present_in(country, region, on=day): "who is in Iran (Tehran) today?".
            models.Index(
                fields=["country", "region", "arrival_date", "departure_date"], name="registrations_presence_idx"
            ),
            # Serves the list filter's cities of a country or region (CityFilter: an index-only scan, where
            # reading the stops themselves took 300 ms at a million) and the presence list's order.
            models.Index(fields=["country", "region", "city", "departure_date"], name="registrations_stop_city_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(departure_date__isnull=True) | Q(departure_date__gte=models.F("arrival_date")),
                name="registrations_stop_departure_after_arrival",
            ),
        ]

    def __str__(self):
        return f"{self.city}, {self.country.name}"

    @property
    def region_name(self):
        return region_name(self.region) if self.region else ""

    def clean(self):
        super().clean()
        errors = {}
        if self.region and self.country and not is_region_of(self.region, self.country.code):
            errors["region"] = _("This is not a region of the stop's country.")
        if self.arrival_date and self.departure_date and self.departure_date < self.arrival_date:
            errors["departure_date"] = _("The departure date is before the arrival date.")
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # The dates rule is clean()'s, in Python, with words for the citizen.
        validate_constraints_except(self, {"registrations_stop_departure_after_arrival"}, exclude)
