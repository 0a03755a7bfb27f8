"""Transports of an evacuation in the staff workplace: their seats and departure, seat offers, the bus door,
the manifest per transport.

Scoped like their operation (a mission officer sees those leaving their
jurisdiction); the people on them like all personal data (`visible_to`).
Every page listing people leaves an audit event.
"""

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..forms.evacuations import OfferSeatsForm
from ..models import AuditAction, Evacuation, ManifestEntry, RouteLeg, Transport
from ..models.evacuations import ON_MANIFEST, ManifestStatus
from ..services import evacuations
from ..services.audit import record_audit_event
from . import manifests
from .evacuations import MANIFEST_PERMISSION, WORK_PERMISSION, staff_view, tell_people_about
from .mixins import ScopedAdminMixin, page_search


class TransportForm(forms.ModelForm):
    """A transport, its seats, and its departure in the local time of the departure place."""

    seats = forms.IntegerField(label=_("seats"), min_value=1, max_value=999)
    departs_local = forms.DateTimeField(
        label=_("departs at (local time of the departure place)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    legs = forms.ModelMultipleChoiceField(
        label=_("legs it serves"), queryset=RouteLeg.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Transport
        fields = ["evacuation", "kind", "operator", "vehicle_number", "departure_place", "departure_time_zone"]
        widgets = {
            "departure_time_zone": forms.Select(choices=[(name, name) for name in sorted(available_timezones())])
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        evacuation_id = self.data.get("evacuation") or self.initial.get("evacuation") or self.instance.evacuation_id
        if str(evacuation_id or "").isdigit():
            self.fields["legs"].queryset = RouteLeg.objects.filter(evacuation_id=evacuation_id)
        if self.instance.pk:
            self.fields["seats"].initial = self.instance.seats.count()
            self.fields["legs"].initial = list(self.instance.legs.values_list("pk", flat=True))
            self.fields["departs_local"].initial = self.instance.local_departure.replace(tzinfo=None)
        if self.instance.pk and "evacuation" in self.fields:
            # The operation is fixed once people may hold its seats.
            self.fields["evacuation"].disabled = True

    def clean(self):
        cleaned = super().clean()
        zone, local = cleaned.get("departure_time_zone"), cleaned.get("departs_local")
        if zone and local:
            naive = timezone.make_naive(local) if timezone.is_aware(local) else local
            self.instance.departs_at = datetime.combine(naive.date(), naive.time(), tzinfo=ZoneInfo(zone))
        seats = cleaned.get("seats")
        if self.instance.pk and seats:
            held = ManifestEntry.objects.filter(transport=self.instance, seat__isnull=False).count()
            if seats < held:
                self.add_error("seats", _("%(held)d people hold a seat: keep at least as many.") % {"held": held})
        return cleaned


@admin.register(Transport)
class TransportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = TransportForm
    list_display = ["__str__", "evacuation", "operator", "departure_place", "local_departure", "seat_count"]
    list_filter = ["kind", ("evacuation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["evacuation"]
    search_fields = ["vehicle_number", "operator", "departure_place"]
    fields = [
        "evacuation",
        "kind",
        "operator",
        "vehicle_number",
        "seats",
        "departure_place",
        "departure_time_zone",
        "departs_local",
        "legs",
        "contact_on_board",
    ]

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only: what the form fields stand for, as the model says it.
            swap = {"seats": "seat_count", "departs_local": "local_departure"}
            return [swap.get(name, name) for name in self.fields]
        return self.fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = [name for name in self.fields if name not in {"seats", "departs_local", "legs"}]
        return super().get_form(request, obj, change, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(seat_count=Count("seats"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "evacuation":
            kwargs["queryset"] = Evacuation.objects.taking_requests().visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.entries.exists())

    @admin.display(description=_("departs at (local time)"), ordering="departs_at")
    def local_departure(self, transport):
        return f"{transport.local_departure:%Y-%m-%d %H:%M} {transport.departure_time_zone}"

    @admin.display(description=_("seats"), ordering="seat_count")
    def seat_count(self, transport):
        return transport.seat_count

    def save_model(self, request, obj, form, change):
        request._changed_departure = evacuations.save_transport(
            transport=obj, legs=list(form.cleaned_data["legs"]), seats=form.cleaned_data["seats"]
        )

    def save_related(self, request, form, formsets, change):
        pass  # the legs are set by the service, with the seats

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return HttpResponseRedirect(reverse("admin:registrations_evacuation_change", args=[obj.evacuation_id]))

    def response_change(self, request, obj):
        if getattr(request, "_changed_departure", None):
            redirect = tell_people_about(request, obj.evacuation, transports=[obj])
            if redirect:
                return redirect
        return super().response_change(request, obj)

    def get_urls(self):
        site = self.admin_site
        return [
            path(
                "<int:transport_id>/offer/",
                staff_view(site, self.offer_view, post=True),
                name="registrations_transport_offer",
            ),
            path("<int:transport_id>/door/", staff_view(site, self.door_view), name="registrations_transport_door"),
            path(
                "<int:transport_id>/door/<int:entry_id>/",
                staff_view(site, self.mark_view, post=True),
                name="registrations_transport_mark",
            ),
            path(
                "<int:transport_id>/manifest/",
                staff_view(site, self.manifest_view),
                name="registrations_transport_manifest",
            ),
            *super().get_urls(),
        ]

    def _transport(self, request, transport_id, permission):
        transport = get_object_or_404(
            Transport.objects.visible_to(request.user).select_related("evacuation"), pk=transport_id
        )
        if not (self.has_view_permission(request, transport) and request.user.has_perm(permission)):
            raise PermissionDenied
        return transport

    def offer_view(self, request, transport_id):
        transport = self._transport(request, transport_id, WORK_PERMISSION)
        form = OfferSeatsForm(request.POST)
        hours = form.cleaned_data["hours"] if form.is_valid() else None
        try:
            offers = evacuations.offer_free_seats(transport=transport, officer=request.user, hours=hours)
        except evacuations.EvacuationRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            people = sum(offer.entries.count() for offer in offers)
            record_audit_event(
                request=request,
                action=AuditAction.CHANGE,
                model=ManifestEntry,
                details={"transport": transport.pk, "offers": len(offers), "people": people},
            )
            self.message_user(
                request,
                gettext("%(people)d seats offered to %(offers)d households on %(transport)s.")
                % {"people": people, "offers": len(offers), "transport": transport},
                messages.SUCCESS if offers else messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:registrations_evacuation_change", args=[transport.evacuation_id]))

    def door_view(self, request, transport_id):
        """The phone page at the bus door: each person, a big button for the next step."""
        transport = self._transport(request, transport_id, WORK_PERMISSION)
        redirect, search = page_search(request, scope=f"transport-door-{transport.pk}")
        if redirect:
            return redirect
        entries = (
            ManifestEntry.objects.visible_to(request.user)
            .filter(transport=transport, status__in=[*ON_MANIFEST, ManifestStatus.OFFERED, ManifestStatus.NO_SHOW])
            .select_related("person__member", "person__citizen__citizen_profile", "seat")
            .order_by("seat__number", "pk")
        )
        rows = [(entry, evacuations.person_name(entry.person)) for entry in entries]
        if search := search.strip()[:100]:
            rows = [(entry, name) for entry, name in rows if search.casefold() in name.casefold()]
        record_audit_event(
            request=request,
            action=AuditAction.LIST,
            model=ManifestEntry,
            details={"filters": {"transport": transport.pk, "door": "1"}, "rows": len(rows)},
        )
        counts = dict.fromkeys(ManifestStatus.values, 0)
        for entry in entries:
            counts[entry.status] += 1
        context = {
            **self.admin_site.each_context(request),
            "title": str(transport),
            "transport": transport,
            "rows": [(entry, name, _door_buttons(entry)) for entry, name in rows],
            "counts": counts,
            "search": search,
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/registrations/evacuation/door.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def mark_view(self, request, transport_id, entry_id):
        transport = self._transport(request, transport_id, WORK_PERMISSION)
        entry = get_object_or_404(ManifestEntry.objects.visible_to(request.user), pk=entry_id, transport=transport)
        try:
            entry = evacuations.mark(entry=entry, status=request.POST.get("status", ""), officer=request.user)
        except (ValueError, evacuations.EvacuationRefused) as refused:
            self.message_user(request, getattr(refused, "message", gettext("Choose a button.")), messages.ERROR)
        else:
            record_audit_event(request=request, action=AuditAction.CHANGE, obj=entry, details={"status": entry.status})
            self.message_user(
                request,
                gettext("%(name)s: %(status)s.")
                % {"name": evacuations.person_name(entry.person), "status": entry.get_status_display()},
            )
        url = reverse("admin:registrations_transport_door", args=[transport.pk])
        return HttpResponseRedirect(f"{url}#entry-{entry.pk}")

    def manifest_view(self, request, transport_id):
        transport = self._transport(request, transport_id, MANIFEST_PERMISSION)
        entries = ManifestEntry.objects.filter(transport=transport)
        return manifests.respond(request, entries=entries, evacuation=transport.evacuation, transport=transport)


def _door_buttons(entry):
    """[(status, label, primary)]: what staff may mark next at the door."""
    buttons = {
        ManifestStatus.OFFERED: [
            (ManifestStatus.BOARDED, _("Boarded"), True),
            (ManifestStatus.NO_SHOW, _("No-show"), False),
        ],
        ManifestStatus.CONFIRMED: [
            (ManifestStatus.BOARDED, _("Boarded"), True),
            (ManifestStatus.NO_SHOW, _("No-show"), False),
        ],
        ManifestStatus.BOARDED: [
            (ManifestStatus.ARRIVED, _("Arrived"), True),
            (ManifestStatus.CONFIRMED, _("Undo boarding"), False),
        ],
        ManifestStatus.ARRIVED: [(ManifestStatus.BOARDED, _("Undo arrival"), False)],
        ManifestStatus.NO_SHOW: [(ManifestStatus.BOARDED, _("Boarded after all"), True)],
    }
    return buttons.get(entry.status, [])
