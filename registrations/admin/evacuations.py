"""Evacuations in the staff workplace: plan an operation and its route; the queue by priority; border
crossings and their manifests; messages about changes; each person's entry. Transports are in transports.py.

Operations, their legs and transports are scoped like the crisis (a mission
officer sees those leaving their jurisdiction); the people in them like all
personal data (`visible_to`). Every page listing people leaves an audit event.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..forms.evacuations import NoticeForm, OfferSeatsForm
from ..models import AuditAction, Crisis, CrisisPerson, Evacuation, ManifestEntry, RouteLeg
from ..models.evacuations import OPEN_ENTRY, ManifestStatus, RequestSource
from ..models.scoping import ALL, scope_of
from ..services import evacuations
from ..services.audit import record_audit_event
from . import manifests
from .mixins import PersonalDataAdmin, ScopedAdminMixin, page_search

WORK_PERMISSION = "registrations.change_manifestentry"
MANIFEST_PERMISSION = "registrations.export_manifest"


def staff_view(admin_site, function, *, post=False):
    """An operation's own page in the admin: signed in staff only, POST only for an action."""
    return admin_site.admin_view(require_POST(function) if post else function)


# Operations and their route. ----------------------------------------------------------------------------------------


class RouteLegInline(admin.TabularInline):
    model = RouteLeg
    extra = 1
    fields = ["position", "origin", "destination", "crossing_point", "exit_country", "entry_country", "crossing_state"]
    verbose_name_plural = _(
        "Route, leg by leg (fill the crossing, its two countries and its state when the leg crosses a border)"
    )

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 1


class EvacuationForm(forms.ModelForm):
    class Meta:
        model = Evacuation
        fields = ["crisis", "name", "from_country", "status", "offer_hours"]

    def clean_from_country(self):
        country = self.cleaned_data["from_country"]
        scope = scope_of(self.user)
        if scope != ALL and country not in scope.all_countries:
            raise ValidationError(_("Choose a country of your mission's jurisdiction."))
        return country


@admin.register(Evacuation)
class EvacuationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = EvacuationForm
    list_display = ["name", "crisis", "from_country", "status", "created_at"]
    list_filter = ["status", ("crisis", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["crisis"]
    search_fields = ["name"]
    inlines = [RouteLegInline]
    change_form_template = "admin/registrations/evacuation/change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "crisis":
            kwargs["queryset"] = Crisis.objects.open().visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # an operation ends as completed or cancelled; its people's entries are its record

    def save_model(self, request, obj, form, change):
        evacuations.save_evacuation(evacuation=obj, officer=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RouteLeg:
            return super().save_formset(request, form, formset, change)
        changed = []
        for leg in formset.save(commit=False):
            leg.evacuation = form.instance
            if evacuations.save_leg(leg=leg):
                changed.append(leg.pk)
        for leg in formset.deleted_objects:
            leg.delete()
        request._changed_crossings = changed

    def response_change(self, request, obj):
        return tell_people_about(request, obj, legs=getattr(request, "_changed_crossings", [])) or (
            super().response_change(request, obj)
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            transports = (
                obj.transports.annotate(
                    seat_count=Count("seats", distinct=True),
                    **{
                        status: Count("entries", filter=Q(entries__status=status), distinct=True)
                        for status in ("offered", "confirmed", "boarded", "arrived")
                    },
                )
                .prefetch_related("legs")
                .order_by("departs_at", "pk")
            )
            context.update(
                transports=transports,
                crossings=obj.legs.crossings(),
                queue_url=reverse("admin:registrations_evacuation_queue", args=[obj.pk]),
                may_work=request.user.has_perm(WORK_PERMISSION),
                may_print=request.user.has_perm(MANIFEST_PERMISSION),
                offer_form=OfferSeatsForm(initial={"hours": obj.offer_hours}),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        site = self.admin_site
        return [
            path(
                "<int:evacuation_id>/queue/", staff_view(site, self.queue_view), name="registrations_evacuation_queue"
            ),
            path(
                "<int:evacuation_id>/queue/add/",
                staff_view(site, self.add_view_for_person, post=True),
                name="registrations_evacuation_add_person",
            ),
            path(
                "<int:evacuation_id>/queue/leaving/",
                staff_view(site, self.add_everyone_leaving_view, post=True),
                name="registrations_evacuation_add_leaving",
            ),
            path(
                "<int:evacuation_id>/queue/seat/",
                staff_view(site, self.confirm_view, post=True),
                name="registrations_evacuation_confirm",
            ),
            path(
                "<int:evacuation_id>/notice/",
                staff_view(site, self.notice_view),
                name="registrations_evacuation_notice",
            ),
            *super().get_urls(),
        ]

    def _operation(self, request, evacuation_id, *, permission=None):
        evacuation = get_object_or_404(Evacuation.objects.visible_to(request.user), pk=evacuation_id)
        if not self.has_view_permission(request, evacuation):
            raise PermissionDenied
        if permission and not request.user.has_perm(permission):
            raise PermissionDenied
        return evacuation

    def queue_view(self, request, evacuation_id):
        """The people waiting for seats, first first, each party with why it is where it is."""
        evacuation = self._operation(request, evacuation_id)
        redirect, search = page_search(request, scope=f"evacuation-queue-{evacuation.pk}")
        if redirect:
            return redirect
        search = search.strip()[:100]
        parties = evacuations.queue(evacuation, user=request.user)
        record_audit_event(
            request=request,
            action=AuditAction.LIST,
            model=ManifestEntry,
            details={
                "filters": {"evacuation": evacuation.pk, "status": "requested"},
                "rows": sum(len(party.entries) for party in parties),
            },
        )
        found = []
        if search:
            found = _people_to_add(evacuation, request.user, search)
            record_audit_event(
                request=request,
                action=AuditAction.SEARCH,
                model=CrisisPerson,
                details={"filters": {"evacuation": evacuation.pk}, "search": {"kind": "text"}},
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Waiting for seats: %(operation)s") % {"operation": evacuation.name},
            "evacuation": evacuation,
            "parties": [(party, party.reasons()) for party in parties],
            "search": search,
            "found": [(person, evacuations.person_name(person)) for person in found],
            "transports": evacuation.transports.filter(departs_at__gt=timezone.now()).order_by("departs_at", "pk"),
            "may_work": request.user.has_perm(WORK_PERMISSION) and evacuation.is_offering,
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/registrations/evacuation/queue.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def add_view_for_person(self, request, evacuation_id):
        evacuation = self._operation(request, evacuation_id, permission=WORK_PERMISSION)
        person = get_object_or_404(
            CrisisPerson.objects.visible_to(request.user), pk=request.POST.get("person"), crisis=evacuation.crisis_id
        )
        try:
            joined = evacuations.request_seat(
                evacuation=evacuation, person=person, source=RequestSource.STAFF, added_by=request.user
            )
        except evacuations.EvacuationRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            record_audit_event(
                request=request,
                action=AuditAction.ADD,
                subject=person.citizen,
                model=ManifestEntry,
                details={"evacuation": evacuation.pk, "people": joined},
            )
            self.message_user(request, gettext("%(count)d people joined the queue.") % {"count": joined})
        return HttpResponseRedirect(reverse("admin:registrations_evacuation_queue", args=[evacuation.pk]))

    def add_everyone_leaving_view(self, request, evacuation_id):
        evacuation = self._operation(request, evacuation_id, permission=WORK_PERMISSION)
        joined = evacuations.request_seats_for_everyone_leaving(evacuation=evacuation, added_by=request.user)
        record_audit_event(
            request=request,
            action=AuditAction.ADD,
            model=ManifestEntry,
            details={"evacuation": evacuation.pk, "people": joined},
        )
        self.message_user(request, gettext("%(count)d people joined the queue.") % {"count": joined})
        return HttpResponseRedirect(reverse("admin:registrations_evacuation_queue", args=[evacuation.pk]))

    def confirm_view(self, request, evacuation_id):
        """Seat a party who said yes to staff (by phone) on a chosen transport, without an offer."""
        evacuation = self._operation(request, evacuation_id, permission=WORK_PERMISSION)
        transport = get_object_or_404(evacuation.transports, pk=request.POST.get("transport"))
        entries = list(
            evacuation.entries.visible_to(request.user).filter(
                pk__in=request.POST.getlist("entry"), status=ManifestStatus.REQUESTED
            )
        )
        try:
            if not entries:
                raise evacuations.EvacuationRefused(gettext("Nobody chosen is waiting for a seat."))
            seated = evacuations.confirm_seats(transport=transport, entries=entries, officer=request.user)
        except evacuations.EvacuationRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            for entry in seated:
                record_audit_event(
                    request=request, action=AuditAction.CHANGE, obj=entry, details={"status": entry.status}
                )
            self.message_user(
                request,
                gettext("%(count)d people are confirmed on %(transport)s.")
                % {"count": len(seated), "transport": transport},
            )
        return HttpResponseRedirect(reverse("admin:registrations_evacuation_queue", args=[evacuation.pk]))

    def notice_view(self, request, evacuation_id):
        """A ready message about a changed departure or crossing, to everyone confirmed on the transports concerned."""
        evacuation = self._operation(request, evacuation_id, permission=WORK_PERMISSION)
        leg = None
        if request.GET.get("leg"):
            leg = get_object_or_404(evacuation.legs.crossings(), pk=request.GET["leg"])
            transports = list(leg.transports.order_by("departs_at", "pk"))
        else:
            transports = list(evacuation.transports.filter(pk__in=request.GET.getlist("transport")))
        recipients = evacuations.notice_recipients(transports).visible_to(request.user)
        form = NoticeForm(request.POST or None, drafts=evacuations.draft_notice(transports=transports, leg=leg))
        if request.method == "POST" and form.is_valid() and transports:
            sent = evacuations.send_notice(transports=transports, texts=form.texts(), officer=request.user)
            self.message_user(request, gettext("The message goes to %(count)d households.") % {"count": sent})
            return HttpResponseRedirect(reverse("admin:registrations_evacuation_change", args=[evacuation.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Tell the people on board"),
            "evacuation": evacuation,
            "transports": transports,
            "leg": leg,
            "households": recipients.count(),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/registrations/evacuation/notice.html", context)


def _people_to_add(evacuation, user, search):
    """People of the crisis in the operation's country, found by name, without an open entry in it."""
    waiting = evacuation.entries.filter(status__in=OPEN_ENTRY).values("person_id")
    return list(
        CrisisPerson.objects.visible_to(user)
        .filter(crisis_id=evacuation.crisis_id, country=evacuation.from_country)
        .filter(
            Q(member__full_name__icontains=search)
            | Q(member__isnull=True, citizen__citizen_profile__surname_latin__icontains=search)
            | Q(member__isnull=True, citizen__citizen_profile__given_names_latin__icontains=search)
        )
        .exclude(pk__in=waiting)
        .select_related("member", "citizen__citizen_profile")
        .order_by("citizen_id", "member_id")[:20]
    )


def tell_people_about(request, evacuation, *, transports=(), legs=()):
    """After a change people on board must hear of: the prefilled message page, if anyone is on board."""
    url = reverse("admin:registrations_evacuation_notice", args=[evacuation.pk])
    if legs:
        leg = RouteLeg.objects.get(pk=legs[0])
        if evacuations.notice_recipients(list(leg.transports.all())).exists():
            return HttpResponseRedirect(f"{url}?{urlencode({'leg': leg.pk})}")
    elif transports and evacuations.notice_recipients(transports).exists():
        return HttpResponseRedirect(f"{url}?{urlencode([('transport', t.pk) for t in transports])}")
    return None


@admin.register(RouteLeg)
class CrossingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Border crossings: their state and public note, changed as news comes in."""

    list_display = ["crossing_point", "evacuation", "countries", "crossing_state", "state_changed_at", "manifest_link"]
    list_filter = ["crossing_state"]
    list_select_related = ["evacuation"]
    fields = ["evacuation", "origin", "destination", "crossing_point", "countries", "crossing_state", "public_note"]
    readonly_fields = ["evacuation", "origin", "destination", "crossing_point", "countries"]
    ordering = ["crossing_point", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).crossings()

    def has_add_permission(self, request):
        return False  # legs are drawn on their operation's page

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("countries"))
    def countries(self, leg):
        return f"{leg.exit_country.name} → {leg.entry_country.name}"

    @admin.display(description=_("manifest"))
    def manifest_link(self, leg):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:registrations_routeleg_manifest", args=[leg.pk]), gettext("Print")
        )

    def save_model(self, request, obj, form, change):
        request._changed_crossings = [obj.pk] if evacuations.save_leg(leg=obj) else []

    def response_change(self, request, obj):
        changed = getattr(request, "_changed_crossings", [])
        return tell_people_about(request, obj.evacuation, legs=changed) or super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:leg_id>/manifest/",
                staff_view(self.admin_site, self.manifest_view),
                name="registrations_routeleg_manifest",
            ),
            *super().get_urls(),
        ]

    def manifest_view(self, request, leg_id):
        leg = get_object_or_404(RouteLeg.objects.crossings().visible_to(request.user), pk=leg_id)
        if not request.user.has_perm(MANIFEST_PERMISSION):
            raise PermissionDenied
        entries = ManifestEntry.objects.filter(transport__legs=leg)
        return manifests.respond(request, entries=entries, evacuation=leg.evacuation, leg=leg)


# People in operations. ----------------------------------------------------------------------------------------------


class EntryForm(forms.ModelForm):
    class Meta:
        model = ManifestEntry
        fields = ["pregnant", "priority_adjustment", "adjustment_reason", "travels_separately", "separation_reason"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("priority_adjustment") and not (cleaned.get("adjustment_reason") or "").strip():
            self.add_error("adjustment_reason", _("Say why: someone else waits longer because of it."))
        if cleaned.get("travels_separately") and not (cleaned.get("separation_reason") or "").strip():
            self.add_error("separation_reason", _("Say why this person travels apart from their household."))
        return cleaned


@admin.register(ManifestEntry)
class ManifestEntryAdmin(PersonalDataAdmin, admin.ModelAdmin):
    """Each person's place in an operation; staff change only what the priority rules leave to them."""

    form = EntryForm
    list_display = ["name", "evacuation", "status", "transport", "seat", "priority_level", "requested_at"]
    list_filter = ["status", "priority_level", ("evacuation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person__member", "person__citizen__citizen_profile", "evacuation", "transport", "seat"]
    search_fields = ["person__member__full_name", "person__citizen__citizen_profile__surname_latin"]
    readonly_fields = [
        "name",
        "evacuation",
        "status",
        "transport",
        "seat",
        "source",
        "requested_at",
        "priority_level",
        "why",
        "status_changed_at",
    ]
    fields = [*readonly_fields, *EntryForm.Meta.fields]
    ordering = ["-priority_adjustment", "priority_level", "requested_at", "id"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # people join an operation's queue from its page, or by asking

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("name"))
    def name(self, entry):
        return evacuations.person_name(entry.person)

    @admin.display(description=_("why this priority"))
    def why(self, entry):
        reasons = evacuations.reasons_in_words([entry])
        return format_html("<br>".join(["{}"] * len(reasons)), *reasons)

    def save_model(self, request, obj, form, change):
        evacuations.update_entry(
            entry=obj,
            pregnant=form.cleaned_data["pregnant"],
            adjustment=form.cleaned_data["priority_adjustment"],
            adjustment_reason=form.cleaned_data["adjustment_reason"],
            travels_separately=form.cleaned_data["travels_separately"],
            separation_reason=form.cleaned_data["separation_reason"],
        )
