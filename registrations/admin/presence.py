"""Who is present in an area on a day, and the CSV export of that list.

The counts dashboard links here with `?country=IR&region=IR-23&city=Tehran`
(and `on=YYYY-MM-DD`); the export takes the same parameters, and every other
filter and search of the list, because it builds the list's own queryset.
"""

import hashlib
import re

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..encryption import mask
from ..models import AuditAction, HouseholdMember, Presence, Stop
from ..models.trips import TripKind, TripStatus
from ..services.audit import filters_of, record_audit_event
from .citizens import NationalIdSearchMixin, admin_link, profile_of
from .exports import csv_response
from .filters import CityFilter, CountryFilter, FreshnessFilter, KindFilter, PresentOnFilter, RegionFilter, parse_day
from .mixins import PersonalDataAdmin

EXPORT_PERMISSION = "registrations.export_presence"
EXPORT_CHUNK_SIZE = 2000


class CappedCountPaginator(Paginator):
    """Pages of the list, counting at most COUNT_CAP rows, the count shared a minute by everyone asking the same query.

    Counting everybody present in a big country took longer than fetching the
    page itself, and grew with the country (make bench, 1,000,000 stops). Past
    COUNT_CAP rows nobody pages on: the list says "more than", and the filters,
    the search and the export narrow it or take it whole. The count (capped or
    not) is shared for STAFF_COUNTS_CACHE_SECONDS under a key naming the query,
    that is the filters and the scope.
    """

    COUNT_CAP = 2_000

    @cached_property
    def _capped_count(self):
        query = self.object_list.order_by()
        key = "presence-count:" + hashlib.sha256(str(query.query).encode()).hexdigest()
        return cache.get_or_set(key, lambda: query[: self.COUNT_CAP + 1].count(), settings.STAFF_COUNTS_CACHE_SECONDS)

    @property
    def count(self):
        return min(self._capped_count, self.COUNT_CAP)

    @property
    def capped(self):
        """Whether there are more rows than the count says (and the pages reach)."""
        return self._capped_count > self.COUNT_CAP


class ExportChangeList(ChangeList):
    """The list's filters, search and ordering, without counting or fetching a page."""

    def get_results(self, request):
        self.result_count = self.full_result_count = 0
        self.result_list = []
        self.can_show_all = self.multi_page = False


@admin.register(Presence)
class PresenceAdmin(NationalIdSearchMixin, PersonalDataAdmin, admin.ModelAdmin):
    change_list_template = "admin/registrations/presence/change_list.html"
    list_display = [
        "citizen_name",
        "email",
        "phone",
        "masked_national_id",
        "household",
        "kind",
        "place",
        "arrival_date",
        "departure_date",
        "last_confirmed",
        "phone_abroad",
        "trip_link",
    ]
    list_filter = [PresentOnFilter, CountryFilter, RegionFilter, CityFilter, KindFilter, FreshnessFilter]
    search_fields = [
        "trip__owner__citizen_profile__surname_latin",
        "trip__owner__citizen_profile__given_names_latin",
        "trip__owner__citizen_profile__full_name_native",
        "trip__owner__email",
        "trip__travellers__full_name",
    ]
    search_help_text = _("Name, email address, or the exact national identity number.")
    national_id_digest_path = "trip__owner__citizen_profile__national_id_digest"
    list_select_related = ["trip", "trip__owner", "trip__owner__citizen_profile"]
    ordering = ["country", "region", "city", "id"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = ["trip", "position", "country", "region", "city", "address", "arrival_date", "departure_date"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .exclude(trip__status=TripStatus.CANCELLED)
            .prefetch_related("trip__travellers")
        )

    # A list to read and export: stops are changed on their trip, even by superusers.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return self.has_view_permission(request) and request.user.has_perm(EXPORT_PERMISSION)

    @admin.display(description=_("citizen"), ordering="trip__owner__citizen_profile__surname_latin")
    def citizen_name(self, stop):
        profile = profile_of(stop.trip.owner)
        return profile.latin_name if profile else gettext("(no profile yet)")

    @admin.display(description=_("email address"), ordering="trip__owner__email")
    def email(self, stop):
        return stop.trip.owner.email

    @admin.display(description=_("mobile phone"))
    def phone(self, stop):
        profile = profile_of(stop.trip.owner)
        return profile.phone if profile else None

    @admin.display(description=_("national identity number"))
    def masked_national_id(self, stop):
        profile = profile_of(stop.trip.owner)
        return mask(profile.national_id) if profile else None

    @admin.display(description=_("household members travelling"))
    def household(self, stop):
        members = list(stop.trip.travellers.all())
        if not members:
            return "0"
        return f"{len(members)}: {', '.join(member.full_name for member in members)}"

    @admin.display(description=_("purpose"), ordering="trip__kind")
    def kind(self, stop):
        return stop.trip.get_kind_display()

    @admin.display(description=_("where"), ordering="city")
    def place(self, stop):
        parts = [stop.city, stop.region_name, stop.country.name]
        return ", ".join(part for part in parts if part)

    @admin.display(description=_("last confirmed at"), ordering="trip__last_confirmed_at")
    def last_confirmed(self, stop):
        return stop.trip.last_confirmed_at

    @admin.display(description=_("phone abroad"))
    def phone_abroad(self, stop):
        return stop.trip.phone_abroad

    @admin.display(description=_("trip"))
    def trip_link(self, stop):
        return admin_link(stop.trip)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "can_export": self.has_export_permission(request),
            "export_url": self._export_url(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def _export_url(self, request):
        query = request.GET.copy()
        for key in ("p", ERROR_FLAG, "all"):
            query.pop(key, None)
        url = reverse("admin:registrations_presence_export", current_app=self.admin_site.name)
        return f"{url}?{query.urlencode()}" if query else url

    # The export.

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="registrations_presence_export",
            ),
            *super().get_urls(),
        ]

    def get_changelist(self, request, **kwargs):
        if getattr(request, "_registrations_export", False):
            return ExportChangeList
        return super().get_changelist(request, **kwargs)

    def export_view(self, request):
        """A CSV of the people present: one row per person, the citizen and each household member travelling.

        The audit event is written before the first byte is sent, so it
        exists however the download ends. The log is append-only, so the row
        count it holds is counted beforehand, on the same queryset, rather
        than updated at the end.
        """
        if not self.has_export_permission(request):
            raise PermissionDenied
        request._registrations_export = True
        try:
            parse_day(request.GET.get(PresentOnFilter.parameter_name))
            stops = self.get_changelist_instance(request).queryset
        except IncorrectLookupParameters:
            url = reverse("admin:registrations_presence_changelist", current_app=self.admin_site.name)
            return HttpResponseRedirect(f"{url}?{ERROR_FLAG}=1")
        rows = self._count_rows(stops)
        details = {"filters": filters_of(request), "rows": rows}
        # The private search's term (portal/admin_search.py): the URL carries only its token.
        if term := getattr(request, "_kept_search", ""):
            details["search"] = self.search_details(request, term)
        record_audit_event(request=request, action=AuditAction.EXPORT, model=Presence, details=details)

        day = request.GET.get(PresentOnFilter.parameter_name) or timezone.localdate().isoformat()
        place = "-".join(
            re.sub(r"[^A-Za-z0-9]+", "", request.GET.get(name, "")) for name in ("country", "region", "city")
        ).strip("-")
        filename = f"people-present-{place + '-' if place else ''}{day}.csv"
        return csv_response(self.export_header(), self._export_rows(stops), filename=filename)

    @staticmethod
    def _count_rows(stops):
        """The export's rows: one per stop, plus one per household member travelling on its trip.

        Counted on the list's own query, unless a search joined household
        members (_without_search_joins): at a million stops, selecting the
        stops a second time by `pk IN (…)` was half of the export's time to
        first byte.
        """
        totals = (
            _without_search_joins(stops)
            .order_by()
            .aggregate(stops=Count("pk", distinct=True), members=Count("trip__travellers"))
        )
        return totals["stops"] + totals["members"]

    @staticmethod
    def export_header():
        return [
            _("person"),
            _("surname, as in the passport"),
            _("given names, as in the passport"),
            _("full name"),
            _("full name in your own script"),
            _("relationship to the citizen"),
            _("date of birth"),
            _("citizenship"),
            _("email address"),
            _("mobile phone"),
            _("phone abroad"),
            _("country"),
            _("region"),
            _("city or town"),
            _("address or accommodation"),
            _("arrival date"),
            _("departure date"),
            _("trip"),
            _("purpose"),
            _("last confirmed at"),
            _("emergency contact's name"),
            _("emergency contact's relation"),
            _("emergency contact's phone"),
            _("emergency contact's email"),
            _("medical needs"),
            _("mobility needs"),
        ]

    def _export_rows(self, stops):
        """The rows of the people present, streamed by one query: plain values, no model instances.

        Profiled at 100,000 rows: building four model instances a row, and
        get_FOO_display() rebuilding its choices for each, took most of the
        time, then a query per chunk for the household members. Now one query
        reads each stop joined with its travelling members (one row each, in
        the household's order), inside a transaction so that PostgreSQL streams
        it instead of copying every row into a WITH HOLD cursor first.
        """
        labels = _ExportLabels()
        members = [f"trip__travellers__{name}" for name in _MEMBER_VALUES]
        ordering = [*stops.query.order_by, *(f"trip__travellers__{name}" for name in HouseholdMember._meta.ordering)]
        rows = _without_search_joins(stops).order_by(*ordering).values_list("pk", *_STOP_VALUES.values(), *members)
        width = len(_STOP_VALUES)
        with transaction.atomic(using=stops.db):
            connection = connections[stops.db]
            if connection.vendor == "postgresql":
                # A cursor's plan is chosen for its first tenth of rows (cursor_tuple_fraction = 0.1):
                # nested loops that took 11 s to give 100,000 rows at a million stops, where the plan for
                # all rows (hash joins, one sort) gives them in 5. The header is sent before, at once.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            current_pk, current, travellers = None, None, []
            for row in rows.iterator(chunk_size=EXPORT_CHUNK_SIZE):
                if row[0] != current_pk:
                    if current is not None:
                        yield from _person_rows(current, travellers, labels)
                    current_pk, current, travellers = (
                        row[0],
                        dict(zip(_STOP_VALUES, row[1 : 1 + width], strict=True)),
                        [],
                    )
                member = row[1 + width :]
                if member[0] is not None:
                    travellers.append(dict(zip(_MEMBER_VALUES, member, strict=True)))
            if current is not None:
                yield from _person_rows(current, travellers, labels)

    @staticmethod
    def export_rows(stop, *, citizen_label, member_label):
        """The rows of one stop (a model instance): the same cells as the export's."""
        trip, owner = stop.trip, stop.trip.owner
        profile = profile_of(owner)
        values = {
            "trip": trip.pk,
            "country": stop.country.code,
            "region": stop.region,
            "city": stop.city,
            "address": stop.address,
            "arrival_date": stop.arrival_date,
            "departure_date": stop.departure_date,
            "phone_abroad": trip.phone_abroad,
            "kind": trip.kind,
            "last_confirmed_at": trip.last_confirmed_at,
            "email": owner.email,
            "profile": profile.pk if profile else None,
        }
        for name in _PROFILE_VALUES:
            values[name] = getattr(profile, name) if profile else None
        members = [
            {name: getattr(member, name) for name in _MEMBER_VALUES} | {"citizenship": member.citizenship.code}
            for member in trip.travellers.all()
        ]
        labels = _ExportLabels()
        labels.citizen, labels.member = citizen_label, member_label
        yield from _person_rows(values, members, labels)


def _without_search_joins(stops):
    """The same stops, without the join on household members a search over their names adds.

    The admin's search filters through that join and makes the list DISTINCT;
    reading or counting the members through it would see only those the search
    found, and leave the rest of the household out. So such a list is read
    again by `pk IN (…)`.
    """
    if not stops.query.distinct:
        return stops
    return Stop.objects.filter(pk__in=stops.values("pk")).order_by(*stops.query.order_by)


_PROFILE_VALUES = [
    "surname_latin",
    "given_names_latin",
    "full_name_native",
    "date_of_birth",
    "phone",
    "emergency_contact_name",
    "emergency_contact_relation",
    "emergency_contact_phone",
    "emergency_contact_email",
    "medical_needs",
    "mobility_needs",
    "needs_consent_at",
]
# What a stop's row needs, by name: the path values_list() reads it from.
_STOP_VALUES = {
    "trip": "trip_id",
    "country": "country",
    "region": "region",
    "city": "city",
    "address": "address",
    "arrival_date": "arrival_date",
    "departure_date": "departure_date",
    "phone_abroad": "trip__phone_abroad",
    "kind": "trip__kind",
    "last_confirmed_at": "trip__last_confirmed_at",
    "email": "trip__owner__email",
    "profile": "trip__owner__citizen_profile__id",
    **{name: f"trip__owner__citizen_profile__{name}" for name in _PROFILE_VALUES},
}
_MEMBER_VALUES = ["full_name", "relationship", "date_of_birth", "citizenship", "needs", "needs_consent_at"]


class _ExportLabels:
    """The export's words, translated once for all its rows."""

    def __init__(self):
        self.citizen, self.member = gettext("citizen"), gettext("household member")
        self.timezone = timezone.get_current_timezone()
        self.kinds = {value: str(label) for value, label in TripKind.choices}
        relationship = HouseholdMember._meta.get_field("relationship")
        self.relationships = {value: str(label) for value, label in relationship.flatchoices}


def _person_rows(stop, members, labels):
    """The citizen's row, then one per household member travelling, from plain values."""
    has_profile = stop["profile"] is not None
    consented = bool(has_profile and stop["needs_consent_at"])
    where = [
        stop["email"],
        stop["phone"] if has_profile else "",
        stop["phone_abroad"],
        stop["country"],
        stop["region"],
        stop["city"],
        stop["address"],
        stop["arrival_date"],
        stop["departure_date"],
        stop["trip"],
        labels.kinds.get(stop["kind"], stop["kind"]),
        stop["last_confirmed_at"].astimezone(labels.timezone).isoformat(timespec="minutes"),
    ]
    emergency = (
        [
            stop["emergency_contact_name"],
            stop["emergency_contact_relation"],
            stop["emergency_contact_phone"],
            stop["emergency_contact_email"],
        ]
        if has_profile
        else ["", "", "", ""]
    )
    yield [
        labels.citizen,
        stop["surname_latin"] if has_profile else "",
        stop["given_names_latin"] if has_profile else "",
        f"{stop['given_names_latin']} {stop['surname_latin']}" if has_profile else "",
        stop["full_name_native"] if has_profile else "",
        "",
        stop["date_of_birth"] if has_profile else "",
        "",
        *where,
        *emergency,
        stop["medical_needs"] if consented else "",
        stop["mobility_needs"] if consented else "",
    ]
    for member in members:
        yield [
            labels.member,
            "",
            "",
            member["full_name"],
            "",
            labels.relationships.get(member["relationship"], member["relationship"]),
            member["date_of_birth"],
            member["citizenship"],
            *where,
            *emergency,
            member["needs"] if member["needs_consent_at"] else "",
            "",
        ]
