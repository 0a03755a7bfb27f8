"""Broadcasts in the staff workplace: write once per language, preview the recipients, send, follow progress.

A broadcast is written as a draft (one text per language side by side, the
channels, the audience), previewed (recipients per channel and language,
people reachable by neither, SMS parts per language) and sent with one POST
from the preview page. Its page then shows the progress and the failures'
reasons, and an alarm when no delivery has been confirmed in time. The
deliveries (who got what) are personal data: their list is scoped and
audited. The SMS inbox holds the replies the portal could not place.
"""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.sms import receipts_by_channel

from ..models import Broadcast, Crisis, Delivery, InboundMessage
from ..models.broadcasts import BroadcastStatus, DeliveryStatus
from ..models.crises import PersonStatus
from ..services import broadcasts
from .citizens import profile_of
from .mixins import PersonalDataAdmin, ScopedAdminMixin

_LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _codes(value, *, upper):
    items = [item.strip() for item in value.split(",") if item.strip()]
    return [item.upper() for item in items] if upper else items


class BroadcastFormBase(forms.ModelForm):
    """The texts as one textarea per language (below), places as comma-separated lists, statuses as checkboxes."""

    countries = forms.CharField(
        label=_("Countries"), required=False, help_text=_("ISO codes, comma-separated (IR, IL). Empty: everywhere.")
    )
    regions = forms.CharField(
        label=_("Regions"), required=False, help_text=_("ISO 3166-2 codes, comma-separated (IR-23).")
    )
    cities = forms.CharField(label=_("Cities or towns"), required=False, help_text=_("Comma-separated."))
    statuses = forms.MultipleChoiceField(
        label=_("Only people whose status (or a household member's) is"),
        choices=PersonStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone in the places."),
    )

    class Meta:
        model = Broadcast
        fields = ["crisis", "by_email", "by_sms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = self.instance.texts or {}
        for code, _name in settings.LANGUAGES:
            self.fields[f"text_{code}"].initial = texts.get(code, "")
        for name in ("countries", "regions", "cities"):
            self.fields[name].initial = ", ".join(getattr(self.instance, name) or [])
        self.fields["statuses"].initial = self.instance.statuses

    def clean(self):
        cleaned = super().clean()
        texts = {code: cleaned.get(f"text_{code}", "").strip() for code, _name in settings.LANGUAGES}
        by_sms = cleaned.get("by_sms", False)
        if not (cleaned.get("by_email") or by_sms):
            raise ValidationError(_("Choose email, SMS or both."))
        errors = broadcasts.text_errors(texts={code: text for code, text in texts.items() if text}, by_sms=by_sms)
        for code, field_errors in errors.items():
            for message in field_errors:
                if code is None:
                    self.add_error(None, message)
                else:
                    # Next to the text, and at the top, naming the language.
                    self.add_error(f"text_{code}", message)
                    self.add_error(None, f"{_LANGUAGE_NAMES[code]}: {message}")
        cleaned["texts"] = {code: text for code, text in texts.items() if text}
        return cleaned

    def save(self, commit=True):
        broadcast = super().save(commit=False)
        broadcast.texts = self.cleaned_data["texts"]
        broadcast.countries = _codes(self.cleaned_data["countries"], upper=True)
        broadcast.regions = _codes(self.cleaned_data["regions"], upper=True)
        broadcast.cities = _codes(self.cleaned_data["cities"], upper=False)
        broadcast.statuses = list(self.cleaned_data["statuses"])
        if commit:
            broadcast.save()
        return broadcast


# One textarea per language of settings.LANGUAGES, declared on the class so that the admin knows them.
BroadcastForm = type(
    "BroadcastForm",
    (BroadcastFormBase,),
    {
        f"text_{code}": forms.CharField(label=name, required=False, widget=forms.Textarea(attrs={"rows": 8}))
        for code, name in settings.LANGUAGES
    },
)


@admin.register(Broadcast)
class BroadcastAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = BroadcastForm
    list_display = ["__str__", "crisis", "status", "channels", "created_at", "sent_at", "receipt_alarm"]
    list_filter = ["status", ("crisis", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["crisis"]
    date_hierarchy = "created_at"
    change_form_template = "admin/registrations/broadcast/change_form.html"
    readonly_fields = ["status", "created_by", "created_at", "sent_by", "sent_at", "asks_to_reconfirm"]

    def get_fieldsets(self, request, obj=None):
        texts = tuple(f"text_{code}" for code, _name in settings.LANGUAGES)
        return [
            (None, {"fields": ["crisis", ("by_email", "by_sms")]}),
            (_("Message, once per language"), {"fields": [texts]}),
            (_("Audience"), {"fields": ["countries", "regions", "cities", "statuses"]}),
            (_("Sending"), {"fields": self.readonly_fields}),
        ]

    def has_change_permission(self, request, obj=None):
        # A broadcast sent is history: only drafts are edited.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == BroadcastStatus.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == BroadcastStatus.DRAFT)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "crisis":
            kwargs["queryset"] = Crisis.objects.visible_to(request.user).open()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("channels"))
    def channels(self, obj):
        return ", ".join(str(label) for label, on in ((_("email"), obj.by_email), (_("SMS"), obj.by_sms)) if on)

    @admin.display(description=_("no receipt yet"), boolean=True)
    def receipt_alarm(self, obj):
        return broadcasts.receipts_overdue(obj) or None

    # The broadcast's own pages: preview, send.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="registrations_broadcast_preview"),
            path("<int:pk>/send/", view(require_POST(self.send_view)), name="registrations_broadcast_send"),
            *super().get_urls(),
        ]

    def _draft_for_sending(self, request, pk):
        broadcast = self.get_queryset(request).select_related("crisis").filter(pk=pk).first()
        if broadcast is None:
            raise Http404
        if not self.has_change_permission(request, broadcast):
            if broadcast.status != BroadcastStatus.DRAFT:
                return None
            raise PermissionDenied
        return broadcast

    def _change_url(self, broadcast):
        return reverse("admin:registrations_broadcast_change", args=[broadcast.pk])

    def preview_view(self, request, pk):
        broadcast = self._draft_for_sending(request, pk)
        if broadcast is None:
            return HttpResponseRedirect(self._change_url(Broadcast(pk=pk)))
        result = broadcasts.preview(broadcast, request.user)
        errors = broadcasts.text_errors(texts=broadcast.texts, by_sms=broadcast.by_sms)
        sms_rows = [
            (_LANGUAGE_NAMES[code], length, length.parts > settings.SMS_MAX_PARTS, errors.get(code, []))
            for code, length in result.sms_lengths.items()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Preview: %(broadcast)s") % {"broadcast": broadcast},
            "original": broadcast,
            "preview": result,
            "rows": [(channel, _LANGUAGE_NAMES[code], count) for channel, code, count in result.rows()],
            "sms_rows": sms_rows,
            "errors": [message for messages_ in errors.values() for message in messages_],
            "max_parts": settings.SMS_MAX_PARTS,
        }
        return TemplateResponse(request, "admin/registrations/broadcast/preview.html", context)

    def send_view(self, request, pk):
        broadcast = self._draft_for_sending(request, pk)
        if broadcast is None:
            self.message_user(request, gettext("This broadcast was already sent."), messages.INFO)
            return HttpResponseRedirect(self._change_url(Broadcast(pk=pk)))
        try:
            started = broadcasts.send_broadcast(broadcast=broadcast, sent_by=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:registrations_broadcast_preview", args=[pk]))
        if started:
            self.message_user(request, gettext("Sending has started. Progress shows below."), messages.SUCCESS)
        else:
            self.message_user(request, gettext("This broadcast was already sent."), messages.INFO)
        return HttpResponseRedirect(self._change_url(broadcast))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        broadcast = self.get_object(request, object_id)
        if broadcast is not None:
            extra_context |= self._progress_context(broadcast)
        return super().change_view(request, object_id, form_url, extra_context)

    def _progress_context(self, broadcast):
        if broadcast.status == BroadcastStatus.DRAFT:
            return {"preview_url": reverse("admin:registrations_broadcast_preview", args=[broadcast.pk])}
        # Reasons counted, never who: the list of deliveries (personal data, audited) says who.
        reasons = Counter(
            broadcast.deliveries.filter(status=DeliveryStatus.FAILED).values_list("error", flat=True).iterator()
        )
        deliveries_url = reverse("admin:registrations_delivery_changelist")
        return {
            "progress": broadcasts.progress(broadcast),
            "failure_reasons": reasons.most_common(20),
            "receipts_overdue": broadcasts.receipts_overdue(broadcast),
            "receipts_by_channel": receipts_by_channel(),
            "alarm_minutes": settings.BROADCAST_RECEIPT_ALARM_MINUTES,
            "deliveries_url": f"{deliveries_url}?broadcast__id__exact={broadcast.pk}",
        }


@admin.register(Delivery)
class DeliveryAdmin(PersonalDataAdmin, admin.ModelAdmin):
    """Who got which message, read-only: personal data, so scoped and audited."""

    list_display = ["__str__", "broadcast", "recipient", "channel", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "language", ("broadcast", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["broadcast", "person__citizen__citizen_profile", "person__member"]
    search_fields = ["=provider_message_id"]
    show_full_result_count = False
    fields = [
        "broadcast",
        "person",
        "channel",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "provider_message_id",
        "error",
        "queued_at",
        "sent_at",
        "delivered_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-pk")

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        profile = profile_of(obj.person.citizen)
        return profile.latin_name if profile else obj.person

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def describe_search(self, request, term):
        return {"kind": "provider_message_id", "length": len(term)}


@admin.register(InboundMessage)
class InboundMessageAdmin(PersonalDataAdmin, admin.ModelAdmin):
    """The SMS inbox: replies from unknown numbers and texts that are not "1", "2" or "3"."""

    list_display = ["received_at", "from_number", "body", "status", "person", "handled_by", "handled_at"]
    list_filter = ["status"]
    list_select_related = ["person", "handled_by"]
    search_fields = ["=from_number"]
    readonly_fields = [
        "provider_message_id",
        "from_number",
        "body",
        "received_at",
        "person",
        "checkin",
        "status",
        "handled_by",
        "handled_at",
    ]
    fields = readonly_fields
    actions = ["mark_handled"]
    show_full_result_count = False

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def describe_search(self, request, term):
        return {"kind": "phone", "length": len(term)}

    @admin.action(description=_("Mark as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = broadcasts.mark_handled(messages=queryset, user=request.user)
        self.message_user(request, gettext("%(count)d messages marked as handled.") % {"count": count})
