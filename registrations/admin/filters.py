"""List filters of the registrations admin: where, what kind, on which day, how fresh.

Their query parameters are short and stable (`country`, `region`, `city`,
`kind`, `on`, `freshness`): the counts dashboard links to the list of people
present with them.
"""

import hashlib
import re
from datetime import date, timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from advisories.models import MissionJurisdiction
from portal.geography import region_name, regions_of

from ..models import Stop
from ..models.scoping import ALL, NONE, scope_of
from ..models.trips import FRESH_DAYS, RECENT_DAYS, TripKind


class StopPlaceFilter(admin.SimpleListFilter):
    """A filter on where people are: rows with a current or upcoming stop at the place chosen.

    Only stops the staff member may see are searched (`Stop.objects.visible_to`):
    a mission officer filtering by a place outside the jurisdiction must learn
    nothing, even about a citizen they see through another trip, whose other
    trips they do not see. A value that is no place at all (too long, not a
    code) is a malformed filter, refused like the admin refuses any other.
    """

    value_pattern = None  # a compiled regular expression the value must match

    def stop_condition(self, value):
        """The Q on Stop of the value chosen."""
        raise NotImplementedError

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not self.value_pattern.fullmatch(value):
            raise IncorrectLookupParameters(self.parameter_name)
        condition = self.stop_condition(value)
        if scope_of(request.user) != ALL:
            condition &= Q(pk__in=Stop.objects.visible_to(request.user).values("pk"))
        return queryset.with_stop_where(condition)


class CountryFilter(StopPlaceFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        # The countries of missions' jurisdictions (or of the officer's own):
        # a small table, where a DISTINCT over every stop would read millions of rows.
        scope = scope_of(request.user)
        if scope == NONE:
            return []
        # An officer whose jurisdiction holds some regions of a country filters by that country too.
        if scope == ALL:
            codes = set(MissionJurisdiction.objects.values_list("country", flat=True))
        else:
            codes = scope.all_countries
        codes = {str(code) for code in codes}
        if self.value():
            codes.add(self.value())
        return sorted(((code, countries.name(code) or code) for code in codes), key=lambda choice: str(choice[1]))

    value_pattern = re.compile(r"[A-Za-z]{2}")

    def stop_condition(self, value):
        return Q(country=value.upper())


class RegionFilter(StopPlaceFilter):
    """Shown once a country is chosen: the country's ISO 3166-2 regions."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        country = request.GET.get(CountryFilter.parameter_name, "")
        if not country:
            return [(self.value(), region_name(self.value()))] if self.value() else []
        regions = regions_of(country.upper())
        scope = scope_of(request.user)
        if scope not in (ALL, NONE) and country.upper() in scope.partial_countries:
            # An officer for some regions of the country chooses among those.
            regions = [(code, name) for code, name in regions if code in scope.regions or code == self.value()]
        return regions

    value_pattern = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}")

    def stop_condition(self, value):
        return Q(region=value.upper())


class CityFilter(StopPlaceFilter):
    """Shown once a country is chosen: the cities where someone is (or will be) in it."""

    title = _("city or town")
    parameter_name = "city"

    def lookups(self, request, model_admin):
        country = request.GET.get(CountryFilter.parameter_name, "")
        if not country:
            return [(self.value(), self.value())] if self.value() else []
        condition = Q(country=country.upper())
        if request.GET.get(RegionFilter.parameter_name):
            condition &= Q(region=request.GET[RegionFilter.parameter_name].upper())
        # Read from registrations_stop_city_idx alone: a city only a cancelled trip names may be offered
        # (and shows nobody); checking each stop's trip took 300 ms in a big country at a million stops.
        stops = Stop.objects.present(onwards=True, cancelled_trips=True).filter(condition).visible_to(request.user)
        cities = stops.order_by("city").values_list("city", flat=True).distinct()[:200]
        # Shared a minute by everyone who sees the same stops (the query names the scope).
        key = "presence-cities:" + hashlib.sha256(str(cities.query).encode()).hexdigest()
        cities = cache.get_or_set(key, lambda: list(cities), settings.STAFF_COUNTS_CACHE_SECONDS)
        return [(city, city) for city in cities]

    # A stop's city is at most 100 characters, and never holds a control character.
    value_pattern = re.compile(r"[^\x00-\x1f]{1,100}")

    def stop_condition(self, value):
        return Q(city__iexact=value)


class KindFilter(admin.SimpleListFilter):
    title = _("purpose")
    parameter_name = "kind"
    field = "trip__kind"

    def lookups(self, request, model_admin):
        return TripKind.choices

    def queryset(self, request, queryset):
        if self.value():
            if self.value() not in TripKind.values:
                raise IncorrectLookupParameters(self.value())
            return queryset.filter(**{self.field: self.value()})
        return queryset


class FreshnessFilter(admin.SimpleListFilter):
    """How long ago the citizen last confirmed the trip: stale records mislead a crisis team."""

    title = _("last confirmed")
    parameter_name = "freshness"
    field = "trip__last_confirmed_at"

    def lookups(self, request, model_admin):
        return [
            (str(FRESH_DAYS), _("Within %(days)d days") % {"days": FRESH_DAYS}),
            (str(RECENT_DAYS), _("Within %(days)d days") % {"days": RECENT_DAYS}),
            ("older", _("More than %(days)d days ago") % {"days": RECENT_DAYS}),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == str(FRESH_DAYS):
            return queryset.filter(**{f"{self.field}__gte": now - timedelta(days=FRESH_DAYS)})
        if self.value() == str(RECENT_DAYS):
            return queryset.filter(**{f"{self.field}__gte": now - timedelta(days=RECENT_DAYS)})
        if self.value() == "older":
            return queryset.filter(**{f"{self.field}__lt": now - timedelta(days=RECENT_DAYS)})
        return queryset


class TripFreshnessFilter(FreshnessFilter):
    field = "last_confirmed_at"


def parse_day(value):
    """The day of `?on=YYYY-MM-DD`, today when absent; IncorrectLookupParameters when malformed."""
    if not value:
        return timezone.localdate()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise IncorrectLookupParameters(value) from None


class PresentOnFilter(admin.SimpleListFilter):
    """The day of the list of people present: today unless `?on=YYYY-MM-DD` says otherwise."""

    title = _("present on")
    parameter_name = "on"

    def lookups(self, request, model_admin):
        today = timezone.localdate()
        choices = [(today + timedelta(days=offset)) for offset in (1, 7, 30)]
        lookups = [(day.isoformat(), date_format(day)) for day in choices]
        if self.value() and self.value() not in dict(lookups):
            lookups.append((self.value(), self.value()))
        return lookups

    def choices(self, changelist):
        # No "All": without a day the list is today's.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Today"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        return queryset.present(parse_day(self.value()))
