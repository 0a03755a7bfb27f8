from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registrations import staff_dashboard
from registrations.fields import DateInput
from registrations.scoping import ALL, can_see_personal_data, scope_of, stops_visible_to

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


class PortalAdminSite(admin.AdminSite):
    """The staff workplace. Entering it takes a password and a TOTP code.

    There is one sign-in page for everybody; the admin's own login page sends
    staff to it, then to the second-factor step (or to enrol a device on their
    first visit). Until the session is verified by django-otp, a staff member
    is treated like any citizen here.

    The index page starts with the counts of people abroad (staff who may see
    personal data only, within their jurisdiction), with a drill-down from a
    country to its regions and from a region to its cities.
    """

    site_header = _("Consular Portal: staff workplace")
    site_title = _("Staff workplace")
    index_title = _("Staff workplace")

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            target = "registrations:login"
        elif not (user.is_active and user.is_staff):
            # Signed in, but not staff: nothing to verify.
            return redirect("home")
        elif user.is_verified():
            return redirect(next_url)
        else:
            target = "staff_verify"
        return redirect(f"{reverse(target)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def get_urls(self):
        return [
            path("counts/<str:country>/", self.admin_view(self.counts_country), name="counts_country"),
            path("counts/<str:country>/<str:region>/", self.admin_view(self.counts_region), name="counts_region"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        context = {**(extra_context or {})}
        if can_see_personal_data(request.user):
            form, day = self._day(request)
            board = self._country_board(request.user, day)
            rows = board["rows"]
            for row in rows:
                row.drill_url = self._counts_url("counts_country", day, country=row.country)
            context["counts"] = {
                "form": form,
                "day": day,
                "rows": self._with_who_urls(rows, day),
                "total": board["total"],
                "counted_at": board["counted_at"],
                "place_heading": _("Country"),
            }
        return super().index(request, context)

    @staticmethod
    def _country_board(user, day):
        """The counts by country, shared for a short while by everyone with the same scope.

        At a million stops the two aggregates take about a second each on
        PostgreSQL (bench_presence), and in a crisis every officer reloads this
        page; a board a minute old, saying when it was counted, is worth that.
        The drill-down pages, smaller queries, are always counted afresh.
        """
        scope = scope_of(user)
        scope_key = "all" if scope == ALL else ",".join(sorted(scope))
        key = f"staff-counts:by-country:{scope_key}:{day.isoformat()}"

        def count():
            stops = stops_visible_to(user)
            return {
                "rows": staff_dashboard.presence_by_country(stops, day),
                "total": staff_dashboard.presence_total(stops, day),
                "counted_at": timezone.now(),
            }

        return cache.get_or_set(key, count, settings.STAFF_COUNTS_CACHE_SECONDS)

    def counts_country(self, request, country):
        country = self._country(request, country)
        form, day = self._day(request)
        stops = stops_visible_to(request.user)
        rows = staff_dashboard.presence_by_region(stops, country, day)
        for row in rows:
            row.drill_url = self._counts_url("counts_region", day, country=country, region=row.region or NO_REGION)
        self._with_who_urls(rows, day)
        for row in rows:
            if not row.region:
                # The presence list filters by region, not by the lack of one: its city pages say who.
                row.who_url = ""
        total = staff_dashboard.presence_in(stops, country, day)
        return self._counts_page(
            request,
            "admin/registrations/counts/country.html",
            title=_("People in %(country)s") % {"country": countries.name(country)},
            form=form,
            day=day,
            country=country,
            rows=rows,
            total=self._with_who_urls([total], day)[0],
            place_heading=_("Region"),
        )

    def counts_region(self, request, country, region):
        country = self._country(request, country)
        region = "" if region == NO_REGION else region
        if region and not region.startswith(f"{country}-"):
            raise Http404
        form, day = self._day(request)
        stops = stops_visible_to(request.user)
        rows = staff_dashboard.presence_by_city(stops, country, region, day)
        total = staff_dashboard.presence_in(stops, country, day, region=region)
        place = total.region_name if region else _("region not given")
        return self._counts_page(
            request,
            "admin/registrations/counts/region.html",
            title=_("People in %(place)s, %(country)s") % {"place": place, "country": countries.name(country)},
            form=form,
            day=day,
            country=country,
            country_url=self._counts_url("counts_country", day, country=country),
            region=region,
            rows=self._with_who_urls(rows, day),
            total=self._with_who_urls([total], day)[0],
            place_heading=_("City or town"),
        )

    def _counts_page(self, request, template, *, title, **counts):
        context = {**self.each_context(request), "title": title, "counts": counts}
        return TemplateResponse(request, template, context)

    def _country(self, request, code):
        if not can_see_personal_data(request.user):
            raise PermissionDenied
        code = code.upper()
        if code not in countries:
            raise Http404
        return code

    @staticmethod
    def _day(request):
        form = CountsDayForm(request.GET or None)
        return form, form.day() if form.is_bound else timezone.localdate()

    def _counts_url(self, name, day, **kwargs):
        url = reverse(f"admin:{name}", kwargs=kwargs, current_app=self.name)
        return url if day == timezone.localdate() else f"{url}?{urlencode({'on': day.isoformat()})}"

    def _with_who_urls(self, rows, day):
        """Link each row's people to the presence list filtered to the same place and day: "who are they"."""
        changelist = reverse("admin:registrations_presence_changelist", current_app=self.name)
        for row in rows:
            params = {name: getattr(row, name) for name in ("country", "region", "city") if getattr(row, name)}
            if day != timezone.localdate():
                params["on"] = day.isoformat()
            row.who_url = f"{changelist}?{urlencode(params)}"
        return rows
