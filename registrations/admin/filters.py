"""List filters of the registrations admin: where, what kind, on which day, how fresh.

Their query parameters are short and stable (`country`, `region`, `city`,
`kind`, `on`, `freshness`): the counts dashboard links to the list of people
present with them.
"""

from datetime import date, timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
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


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        # The countries of missions' jurisdictions (or of the officer's own):
        # a small table, where a DISTINCT over every stop would read millions of rows.
        scope = scope_of(request.user)
        if scope == NONE:
            return []
        codes = scope if scope != ALL else set(MissionJurisdiction.objects.values_list("country", flat=True))
        codes = {str(code) for code in codes}
        if self.value():
            codes.add(self.value())
        return sorted(((code, countries.name(code) or code) for code in codes), key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_stop_where(Q(country=self.value().upper()))
        return queryset


class RegionFilter(admin.SimpleListFilter):
    """Shown once a country is chosen: the country's ISO 3166-2 regions."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        country = request.GET.get(CountryFilter.parameter_name, "")
        if not country:
            return [(self.value(), region_name(self.value()))] if self.value() else []
        return regions_of(country.upper())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_stop_where(Q(region=self.value().upper()))
        return queryset


class CityFilter(admin.SimpleListFilter):
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
        stops = Stop.objects.present(onwards=True).filter(condition).visible_to(request.user)
        cities = stops.order_by("city").values_list("city", flat=True).distinct()[:200]
        return [(city, city) for city in cities]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_stop_where(Q(city__iexact=self.value()))
        return queryset


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
