"""The counts board: how many of our people are where on a day, for staff who may see personal data.

The board by country heads the workplace's front page (templates/admin/index.html,
through the `staff_counts` template tags); a country drills down to its regions,
a region to its cities, and every number links to the list of those people.
Everything is scoped: a mission officer counts only their jurisdiction.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..forms.fields import DateInput
from ..models import Stop
from ..models.scoping import ALL, can_see_personal_data, scope_of
from ..models.trips import FRESH_DAYS, RECENT_DAYS
from ..services import counts

# In the drill-down's address, the "region" of stops whose citizen gave none.
NO_REGION = "-"


class CountsDayForm(forms.Form):
    """The day the counts are for (GET `on`, today by default): a plain form, no JavaScript needed."""

    on = forms.DateField(label=_("Day"), required=False, widget=DateInput())

    def day(self):
        today = timezone.localdate()
        if self.is_valid():
            return self.cleaned_data["on"] or today
        return today


def index_board(request):
    """The front page's board by country, or None for staff who may not see personal data."""
    if not can_see_personal_data(request.user):
        return None
    form, day = _day(request)
    board = _country_board(request.user, day)
    rows = board["rows"]
    for row in rows:
        row.drill_url = _counts_url("country", day, country=row.country)
    return {
        "form": form,
        "day": day,
        "rows": _with_who_urls(rows, day),
        "total": board["total"],
        "counted_at": board["counted_at"],
        "place_heading": _("Country"),
        **_freshness_bands(),
    }


def _country_board(user, day):
    """The counts by country.

    Headquarters' board of today is the one the task worker keeps, recounted
    seconds after each registration (services.counts.board): at a million stops
    counting takes a second or more, and in a crisis every officer reloads this
    page. A mission officer's board (their jurisdiction) and another day's are
    counted here and shared for a short while by everyone with the same scope.
    The drill-down pages, smaller queries, are always counted afresh.
    """
    scope = scope_of(user)
    if scope == ALL and day == timezone.localdate():
        return counts.board(day)
    scope_key = "all" if scope == ALL else scope.key
    key = f"staff-counts:by-country:{scope_key}:{day.isoformat()}"

    def count():
        stops = Stop.objects.visible_to(user)
        return {
            "rows": counts.presence_by_country(stops, day),
            "total": counts.presence_total(stops, day),
            "counted_at": timezone.now(),
        }

    return cache.get_or_set(key, count, settings.STAFF_COUNTS_CACHE_SECONDS)


def country_view(request, country):
    country = _country(request, country)
    form, day = _day(request)
    stops = Stop.objects.visible_to(request.user)
    rows = counts.presence_by_region(stops, country, day)
    for row in rows:
        row.drill_url = _counts_url("region", day, country=country, region=row.region or NO_REGION)
    _with_who_urls(rows, day)
    for row in rows:
        if not row.region:
            # The presence list filters by region, not by the lack of one: its city pages say who.
            row.who_url = ""
    total = counts.presence_in(stops, country, day)
    return _counts_page(
        request,
        "admin/registrations/counts/country.html",
        title=_("People in %(country)s") % {"country": countries.name(country)},
        form=form,
        day=day,
        country=country,
        rows=rows,
        total=_with_who_urls([total], day)[0],
        place_heading=_("Region"),
    )


def region_view(request, country, region):
    country = _country(request, country)
    region = "" if region == NO_REGION else region
    if region and not region.startswith(f"{country}-"):
        raise Http404
    form, day = _day(request)
    stops = Stop.objects.visible_to(request.user)
    rows = counts.presence_by_city(stops, country, region, day)
    total = counts.presence_in(stops, country, day, region=region)
    place = total.region_name if region else _("region not given")
    return _counts_page(
        request,
        "admin/registrations/counts/region.html",
        title=_("People in %(place)s, %(country)s") % {"place": place, "country": countries.name(country)},
        form=form,
        day=day,
        country=country,
        country_url=_counts_url("country", day, country=country),
        region=region,
        rows=_with_who_urls(rows, day),
        total=_with_who_urls([total], day)[0],
        place_heading=_("City or town"),
    )


def _counts_page(request, template, *, title, **board):
    context = {**admin.site.each_context(request), "title": title, "counts": {**board, **_freshness_bands()}}
    return TemplateResponse(request, template, context)


def _freshness_bands():
    return {"fresh_days": FRESH_DAYS, "recent_days": RECENT_DAYS}


def _country(request, code):
    if not can_see_personal_data(request.user):
        raise PermissionDenied
    code = code.upper()
    if code not in countries:
        raise Http404
    return code


def _day(request):
    form = CountsDayForm(request.GET or None)
    return form, form.day() if form.is_bound else timezone.localdate()


def _counts_url(name, day, **kwargs):
    url = reverse(f"staff:counts_{name}", kwargs=kwargs)
    return url if day == timezone.localdate() else f"{url}?{urlencode({'on': day.isoformat()})}"


def _with_who_urls(rows, day):
    """Link each row's people to the presence list filtered to the same place and day: "who are they"."""
    changelist = reverse("admin:registrations_presence_changelist")
    for row in rows:
        params = {name: getattr(row, name) for name in ("country", "region", "city") if getattr(row, name)}
        if day != timezone.localdate():
            params["on"] = day.isoformat()
        row.who_url = f"{changelist}?{urlencode(params)}"
    return rows
