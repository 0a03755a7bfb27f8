"""Crises in the staff workplace: open one in two minutes, the live board, the chase list, counts for partners.

Headquarters opens a crisis (name, affected countries and regions) and its
people join the board at once. Everyone who may see a crisis reads its
board: by country, region and city, who is safe, who needs help, who has
not answered, registered against estimated; every number links to those
people. A mission officer sees the crises that touch their jurisdiction and
only its people.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..models import AuditAction, Crisis, CrisisArea, CrisisPerson, Estimate
from ..models.crises import PersonStatus
from ..services import broadcasts, crises
from ..services.audit import record_audit_event
from .citizens import profile_of
from .exports import csv_response
from .mixins import PersonalDataAdmin, ScopedAdminMixin

CHASE_PERMISSION = "registrations.export_chase_list"
# In the board's address, the "region" of people whose region is unknown.
NO_REGION = "-"


class CrisisAreaInline(admin.TabularInline):
    model = CrisisArea
    extra = 3
    fields = ["country", "region"]
    verbose_name_plural = _("Affected countries and regions (leave the region empty for the whole country)")


class EstimateInline(admin.TabularInline):
    model = Estimate
    extra = 1
    fields = ["country", "people", "source", "updated_at"]
    readonly_fields = ["updated_at"]


@admin.register(Crisis)
class CrisisAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "status", "opened_at", "closed_at", "board_link"]
    list_filter = ["status"]
    search_fields = ["name"]
    inlines = [CrisisAreaInline, EstimateInline]
    fields = ["name", "public_notice", "status", "opened_at", "closed_at", "opened_by"]
    readonly_fields = ["status", "opened_at", "closed_at", "opened_by"]
    change_form_template = "admin/registrations/crisis/change_form.html"

    def has_change_permission(self, request, obj=None):
        # A closed crisis is history: its name and areas stay as they were.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_open)

    def has_delete_permission(self, request, obj=None):
        # Crises end by closing; their personal data goes by the retention rule, their counts stay.
        return False

    @admin.display(description=_("board"))
    def board_link(self, crisis):
        return format_html('<a href="{}">{}</a>', board_url(crisis), gettext("Open the board"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.opened_by = request.user
            obj.opened_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The areas are saved now: put everyone present in them on the board.
        joined = crises.sync_people(form.instance)
        if joined:
            self.message_user(
                request,
                gettext("%(count)d people present in the area are on the board.") % {"count": joined},
                messages.SUCCESS,
            )

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return HttpResponseRedirect(board_url(obj))

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("<int:crisis_id>/board/", view(self.board_view), name="registrations_crisis_board"),
            path("<int:crisis_id>/chase/", view(self.chase_view), name="registrations_crisis_chase"),
            path("<int:crisis_id>/counts.csv", view(self.hxl_view), name="registrations_crisis_hxl"),
            path("<int:crisis_id>/close/", view(require_POST(self.close_view)), name="registrations_crisis_close"),
            *super().get_urls(),
        ]

    def _crisis(self, request, crisis_id):
        crisis = get_object_or_404(Crisis.objects.visible_to(request.user), pk=crisis_id)
        if not self.has_view_permission(request, crisis):
            raise PermissionDenied
        return crisis

    def board_view(self, request, crisis_id):
        crisis = self._crisis(request, crisis_id)
        country = (request.GET.get("country") or "").upper()[:2] or None
        region = request.GET.get("region")
        if region is not None:
            region = "" if region == NO_REGION else region.upper()[:10]
            if not country or (region and not region.startswith(f"{country}-")):
                raise Http404
        rows, total = crises.board(crisis, request.user, country=country, region=region)
        for row in [*rows, total]:
            row.linked_cells = [
                (status, label, people, people_url(crisis, row, status)) for status, label, people in row.cells()
            ]
            row.who_url = people_url(crisis, row)
            if not country:
                row.drill_url = board_url(crisis, country=row.country) if row is not total else ""
            elif region is None:
                row.drill_url = (
                    board_url(crisis, country=country, region=row.region or NO_REGION) if row is not total else ""
                )
        context = {
            **self.admin_site.each_context(request),
            "title": crisis.name,
            "crisis": crisis,
            "rows": rows,
            "total": total,
            "country": country,
            "region": region,
            "statuses": crises.BOARD_STATUSES,
            "counted_at": timezone.now(),
            # GC Notify's lesson: messages stuck with no receipt look sent. Say so where officers look.
            "silent_broadcasts": [
                (broadcast, reverse("admin:registrations_broadcast_change", args=[broadcast.pk]))
                for broadcast in crisis.broadcasts.exclude(status="draft").order_by("-sent_at")[:20]
                if broadcasts.receipts_overdue(broadcast)
            ],
            "refresh_seconds": settings.CRISIS_BOARD_REFRESH_SECONDS,
            "chase_url": reverse("admin:registrations_crisis_chase", args=[crisis.pk]),
            "hxl_url": reverse("admin:registrations_crisis_hxl", args=[crisis.pk]),
            "country_url": board_url(crisis, country=country) if region is not None else "",
            "crisis_url": board_url(crisis),
            "opts": self.model._meta,
        }
        template = (
            "admin/registrations/crisis/_board_table.html"
            if request.GET.get("partial")
            else ("admin/registrations/crisis/board.html")
        )
        response = TemplateResponse(request, template, context)
        response["Cache-Control"] = "no-store"
        return response

    def chase_view(self, request, crisis_id):
        """People not answered N hours after the first message, with their phones: for the call centre."""
        crisis = self._crisis(request, crisis_id)
        if not request.user.has_perm(CHASE_PERMISSION):
            raise PermissionDenied
        try:
            hours = max(0, min(int(request.GET.get("hours", settings.CRISIS_CHASE_AFTER_HOURS)), 24 * 30))
        except ValueError:
            hours = settings.CRISIS_CHASE_AFTER_HOURS
        people = crises.chase_list(crisis, request.user, hours=hours)
        export = request.GET.get("format") == "csv"
        record_audit_event(
            request=request,
            action=AuditAction.EXPORT if export else AuditAction.LIST,
            model=CrisisPerson,
            details={"filters": {"crisis": crisis.pk, "hours": hours}, "rows": people.count()},
        )
        if export:
            return csv_response(
                chase_header(),
                (chase_row(person) for person in people.iterator(chunk_size=2000)),
                filename=f"chase-list-crisis-{crisis.pk}-{timezone.localdate().isoformat()}.csv",
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Not yet answered: %(crisis)s") % {"crisis": crisis.name},
            "crisis": crisis,
            "hours": hours,
            "people": [(person, chase_row(person)) for person in people[: settings.CRISIS_CHASE_PAGE_SIZE]],
            "header": chase_header(),
            "more": max(0, people.count() - settings.CRISIS_CHASE_PAGE_SIZE),
            "csv_url": f"{reverse('admin:registrations_crisis_chase', args=[crisis.pk])}?"
            + urlencode({"hours": hours, "format": "csv"}),
            "crisis_url": board_url(crisis),
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/registrations/crisis/chase.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def hxl_view(self, request, crisis_id):
        """Counts per region for partners (OCHA, Red Cross): HXL hashtags, no personal data."""
        crisis = self._crisis(request, crisis_id)
        header_rows = [
            [gettext("country"), gettext("region"), gettext("affected"), gettext("reached"), gettext("in need")],
        ]
        tags = ["#country+code", "#adm1+code", "#affected", "#reached", "#inneed"]
        rows = (
            [row["country"], row["region"], row["affected"], row["reached"], row["in_need"]]
            for row in crises.hxl_rows(crisis, request.user)
        )

        def lines():
            yield tags
            yield from rows

        return csv_response(
            header_rows[0], lines(), filename=f"crisis-{crisis.pk}-counts-hxl-{timezone.localdate().isoformat()}.csv"
        )

    def close_view(self, request, crisis_id):
        crisis = self._crisis(request, crisis_id)
        if not self.has_change_permission(request, crisis):
            raise PermissionDenied
        crises.close_crisis(crisis=crisis)
        self.message_user(
            request,
            gettext("The crisis is closed: its answer links no longer work. Its personal data goes in %(days)d days.")
            % {"days": settings.CRISIS_RETENTION_DAYS},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:registrations_crisis_change", args=[crisis.pk]))


def board_url(crisis, **params):
    url = reverse("admin:registrations_crisis_board", args=[crisis.pk])
    params = {name: value for name, value in params.items() if value is not None}
    return f"{url}?{urlencode(params)}" if params else url


def people_url(crisis, row, status=None):
    """The list of the people counted in a board cell: "who are they"."""
    params = {"crisis": crisis.pk}
    for name in ("country", "region", "city"):
        if getattr(row, name):
            params[name] = getattr(row, name)
    if status:
        params["status"] = status
    return f"{reverse('admin:registrations_crisisperson_changelist')}?{urlencode(params)}"


def chase_header():
    return [
        _("name"),
        _("household member of"),
        _("mobile phone"),
        _("phone abroad"),
        _("emergency contact's phone"),
        _("country"),
        _("region"),
        _("city or town"),
        _("first messaged at"),
    ]


def chase_row(person):
    profile = profile_of(person.citizen)
    citizen_name = profile.latin_name if profile else person.citizen.email
    return [
        person.member.full_name if person.member_id else citizen_name,
        citizen_name if person.member_id else "",
        profile.phone if profile else "",
        person.phone_abroad or "",
        profile.emergency_contact_phone if profile else "",
        person.country.code,
        person.region,
        person.city,
        timezone.localtime(person.messaged_at).isoformat(timespec="minutes") if person.messaged_at else "",
    ]


class CrisisPersonStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return PersonStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() in PersonStatus.values else queryset


@admin.register(CrisisPerson)
class CrisisPersonAdmin(PersonalDataAdmin, admin.ModelAdmin):
    """The people of a crisis: the board's numbers link here, filtered to the cell's place and status."""

    list_display = ["name", "household_of", "status", "country", "region", "city", "status_changed_at"]
    list_filter = [CrisisPersonStatusFilter, ("crisis", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["citizen__citizen_profile", "member"]
    search_fields = ["citizen__citizen_profile__surname_latin", "member__full_name", "city"]
    readonly_fields = [
        "crisis",
        "citizen",
        "member",
        "country",
        "region",
        "city",
        "status",
        "status_changed_at",
        "joined_at",
        "first_messaged_at",
    ]
    ordering = ["country", "region", "city", "id"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # people join from the register

    def has_change_permission(self, request, obj=None):
        return False  # a status changes by a check-in, never by editing

    def has_delete_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        # The board links here with crisis, country, region and city.
        return lookup in {"crisis", "country", "region", "city"} or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("name"))
    def name(self, person):
        if person.member_id:
            return person.member.full_name
        profile = profile_of(person.citizen)
        return profile.latin_name if profile else gettext("(no profile)")

    @admin.display(description=_("household member of"))
    def household_of(self, person):
        if not person.member_id:
            return ""
        profile = profile_of(person.citizen)
        return profile.latin_name if profile else ""
