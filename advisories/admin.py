"""The staff's workplace for advisories and missions.

Publishing goes through advisories.services, which decides who may publish
what; the admin only offers the buttons and says why one is refused.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import AdvisoryEditionForm, MissionAdminForm, RegionalAdvisoryForm
from .models import (
    Advisory,
    AdvisoryEdition,
    EditionStatus,
    Mission,
    MissionJurisdiction,
    MissionPhone,
    RegionalAdvisory,
)
from .multilingual import LANGUAGES, columns, missing_any, missing_in, missing_languages

# Registers the subscriptions' own admin: Django only looks in this module.
from .subscriptions import admin as subscriptions_admin  # noqa: F401
from .translation import EDITION_TEXTS, MISSION_TEXTS

ADMIN_CSS = {"all": ["css/advisories.css"]}


def _review_due(due):
    """The review date, marked (in words, not only colour) when it has passed."""
    if due is None:
        return None  # the admin's "-"
    if due < timezone.localdate():
        return format_html('<strong class="review-overdue">{} ({})</strong>', date_format(due), _("overdue"))
    return date_format(due)


def _messages_of(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def side_by_side(*fields):
    """Fieldset lines with each text's languages side by side: (summary_kk, summary_ru, summary_en)."""
    return [tuple(columns(field)) for field in fields]


def _language_names(codes):
    names = dict(settings.LANGUAGES)
    return ", ".join(str(names[code]) for code in codes)


class MissingTranslationFilter(admin.SimpleListFilter):
    """Rows with a text written in some language but not in this one (or in any, for "any language")."""

    title = _("missing translation")
    parameter_name = "missing"
    text_fields = ()

    def lookups(self, request, model_admin):
        names = dict(settings.LANGUAGES)
        return [("any", _("Any language")), *((code, names[code]) for code in LANGUAGES)]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.filter(missing_any(self.text_fields))
        if self.value() in LANGUAGES:
            return queryset.filter(missing_in(self.value(), self.text_fields))
        return queryset


class EditionMissingTranslationFilter(MissingTranslationFilter):
    text_fields = EDITION_TEXTS


class MissionMissingTranslationFilter(MissingTranslationFilter):
    text_fields = MISSION_TEXTS


def _missing_display(obj, fields):
    missing = missing_languages(obj, fields)
    if not missing:
        return _("none")
    return format_html('<strong class="translation-missing">{}</strong>', _language_names(missing))


class AdvisoryReviewOverdueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(current_edition__next_review_due__lt=timezone.localdate())
        return queryset


class EditionReviewOverdueFilter(AdvisoryReviewOverdueFilter):
    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue(timezone.localdate())
        return queryset


@admin.register(Advisory)
class AdvisoryAdmin(admin.ModelAdmin):
    list_display = ["country_name", "current_level", "last_published", "review_due", "in_preparation"]
    list_filter = [AdvisoryReviewOverdueFilter, "current_edition__level"]
    list_select_related = ["current_edition"]
    search_fields = ["country"]
    ordering = ["country"]
    show_full_result_count = False
    readonly_fields = ["current_edition", "created_at"]
    actions = ["create_new_draft"]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        preparing = AdvisoryEdition.objects.in_preparation().filter(advisory=OuterRef("pk")).values("status")[:1]
        return super().get_queryset(request).annotate(preparing_status=Subquery(preparing))

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting an advisory would delete its public history.
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.editions.exclude(status__in=[EditionStatus.DRAFT]).exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, advisory):
        return advisory.country.name

    @admin.display(description=_("level"), ordering="current_edition__level")
    def current_level(self, advisory):
        edition = advisory.current_edition
        return edition.get_level_display() if edition else _("not published")

    @admin.display(description=_("last published"), ordering="current_edition__published_at")
    def last_published(self, advisory):
        edition = advisory.current_edition
        return date_format(timezone.localtime(edition.published_at), "SHORT_DATETIME_FORMAT") if edition else None

    @admin.display(description=_("review due"), ordering="current_edition__next_review_due")
    def review_due(self, advisory):
        return _review_due(advisory.current_edition.next_review_due if advisory.current_edition else None)

    @admin.display(description=_("in preparation"))
    def in_preparation(self, advisory):
        return EditionStatus(advisory.preparing_status).label if advisory.preparing_status else None

    @admin.action(description=_("Create a new draft from the published edition"), permissions=["change"])
    def create_new_draft(self, request, queryset):
        for advisory in queryset:
            try:
                draft = services.create_draft(advisory=advisory, author=request.user)
            except ValidationError as error:
                for message in _messages_of(error):
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Draft created:"),
                        reverse("admin:advisories_advisoryedition_change", args=[draft.pk]),
                        draft,
                    ),
                    messages.SUCCESS,
                )


class RegionalAdvisoryInline(admin.TabularInline):
    model = RegionalAdvisory
    form = RegionalAdvisoryForm
    fields = ["region", "level", *columns("reason")]
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        country_code = obj.advisory.country.code if obj else None

        class CountryRegionsFormSet(formset):
            def get_form_kwargs(self, index):
                return {**super().get_form_kwargs(index), "country_code": country_code}

        return CountryRegionsFormSet

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


@admin.register(AdvisoryEdition)
class AdvisoryEditionAdmin(admin.ModelAdmin):
    form = AdvisoryEditionForm
    change_form_template = "advisories/admin/edition_change_form.html"
    list_display = [
        "__str__",
        "status",
        "level",
        "is_major",
        "author",
        "publisher",
        "publish_at",
        "review_due",
        "missing_translations",
    ]
    list_filter = ["status", EditionMissingTranslationFilter, EditionReviewOverdueFilter, "level", "is_major"]
    list_select_related = ["advisory", "author", "publisher"]
    search_fields = ["advisory__country"]
    ordering = ["advisory__country", "-version"]
    date_hierarchy = "published_at"
    show_full_result_count = False
    autocomplete_fields = ["advisory"]
    readonly_fields = [
        "version",
        "status",
        "missing_translations",
        "author",
        "publisher",
        "published_at",
        "archived_at",
        "updated_at",
    ]
    # Each text in Kazakh, Russian and English side by side; a missing language is allowed
    # (a crisis does not wait for translators) and named at the top and in the list.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "advisory",
                    "version",
                    "status",
                    "missing_translations",
                    "level",
                    "risk_indicators",
                    *side_by_side("summary"),
                ]
            },
        ),
        (_("Sections"), {"fields": side_by_side(*AdvisoryEdition.SECTION_FIELDS)}),
        (
            _("This update"),
            {
                "fields": [
                    "is_major",
                    *side_by_side("change_note"),
                    "reviewed_at",
                    "next_review_due",
                    "publish_at",
                ]
            },
        ),
        (_("Record"), {"fields": ["author", "publisher", "published_at", "archived_at", "updated_at"]}),
    ]
    actions = ["publish_now", "schedule"]

    class Media:
        css = ADMIN_CSS

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Published and archived editions are never deleted; a draft is deleted from its own page.
        actions.pop("delete_selected", None)
        return actions

    def get_inlines(self, request, obj):
        # Regions are chosen from the country's list, known once the edition is saved.
        return [RegionalAdvisoryInline] if obj else []

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "advisory"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # A published or archived edition is never edited: its page is read-only.
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == EditionStatus.DRAFT) and super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    @admin.display(description=_("missing translations"))
    def missing_translations(self, edition):
        return _missing_display(edition, EDITION_TEXTS)

    @admin.display(description=_("review due"), ordering="next_review_due")
    def review_due(self, edition):
        if edition.status != EditionStatus.PUBLISHED:
            return date_format(edition.next_review_due) if edition.next_review_due else None
        return _review_due(edition.next_review_due)

    def save_model(self, request, obj, form, change):
        was_scheduled = obj.status == EditionStatus.SCHEDULED
        services.save_edition(edition=obj, editor=request.user, changed_fields=form.changed_data)
        if was_scheduled and obj.status == EditionStatus.DRAFT and not {"_publish", "_schedule"} & set(request.POST):
            self.message_user(
                request, _("The edition was changed, so it is a draft again: schedule it again."), messages.WARNING
            )

    # The buttons under the form: "Save and publish now", "Save and schedule".

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["publish_refusal"] = services.publisher_refusal(edition=obj, user=request.user)
            context["is_level_change"] = services.is_level_change(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self._publish(request, obj)
        if "_schedule" in request.POST:
            return self._schedule(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if {"_publish", "_schedule"} & set(request.POST):
            return self.response_change(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _change_url(self, edition):
        return reverse("admin:advisories_advisoryedition_change", args=[edition.pk])

    def _publish(self, request, edition):
        try:
            services.publish_edition(edition=edition, publisher=request.user)
        except (PermissionDenied, ValidationError) as error:
            for message in _messages_of(error):
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, _("Published: %(edition)s.") % {"edition": edition}, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(edition))

    def _schedule(self, request, edition):
        try:
            services.schedule_edition(edition=edition, publisher=request.user, publish_at=edition.publish_at)
        except (PermissionDenied, ValidationError) as error:
            for message in _messages_of(error):
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Scheduled: %(edition)s will be published at %(time)s.")
                % {"edition": edition, "time": date_format(timezone.localtime(edition.publish_at), "DATETIME_FORMAT")},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(edition))

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        for edition in queryset.select_related("advisory"):
            self._publish(request, edition)

    @admin.action(description=_("Schedule at their “publish at” time"), permissions=["publish"])
    def schedule(self, request, queryset):
        for edition in queryset.select_related("advisory"):
            self._schedule(request, edition)

    # "Create a new draft" from an edition's page (a POST form above it).

    def get_urls(self):
        return [
            path(
                "<int:pk>/new-draft/",
                self.admin_site.admin_view(self.new_draft_view),
                name="advisories_advisoryedition_new_draft",
            ),
            *super().get_urls(),
        ]

    def new_draft_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        edition = get_object_or_404(AdvisoryEdition.objects.select_related("advisory"), pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            draft = services.create_draft(advisory=edition.advisory, author=request.user)
        except ValidationError as error:
            for message in _messages_of(error):
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(edition))
        self.message_user(request, _("Draft created: %(edition)s.") % {"edition": draft}, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(draft))


class MissionJurisdictionInline(admin.TabularInline):
    """Whole countries (no region), or single regions: one row per ISO 3166-2 region."""

    model = MissionJurisdiction
    fields = ["country", "region"]
    extra = 1


class MissionPhoneInline(admin.TabularInline):
    model = MissionPhone
    extra = 1


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    form = MissionAdminForm
    list_display = ["name", "kind", "country", "city", "operating_status", "status_changed_at", "missing_translations"]
    list_filter = ["operating_status", MissionMissingTranslationFilter, "kind", "country"]
    search_fields = [*columns("name"), *columns("city"), "country"]
    ordering = ["country", "kind", "city"]
    show_full_result_count = False
    readonly_fields = ["missing_translations", "status_changed_at", "updated_at"]
    inlines = [MissionJurisdictionInline, MissionPhoneInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Each text in Kazakh, Russian and English side by side.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "missing_translations",
                    *side_by_side("name"),
                    "kind",
                    "country",
                    *side_by_side("city", "address"),
                    "latitude",
                    "longitude",
                ]
            },
        ),
        (_("Contact"), {"fields": ["email", "website", *side_by_side("opening_hours", "services")]}),
        (
            _("Operating status"),
            {"fields": ["operating_status", *side_by_side("status_note"), "status_changed_at"]},
        ),
        (_("Record"), {"fields": ["updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Advisory editors and publishers may change a mission but not add one:
        # they keep its operating status current, and nothing else.
        if obj is not None and not request.user.has_perm("advisories.add_mission"):
            editable = {"operating_status", *columns("status_note")}
            names = [name for fieldset in self.fieldsets for line in fieldset[1]["fields"] for name in _names(line)]
            return [name for name in names if name not in editable]
        return self.readonly_fields

    @admin.display(description=_("missing translations"))
    def missing_translations(self, mission):
        return _missing_display(mission, MISSION_TEXTS)

    def save_model(self, request, obj, form, change):
        services.save_mission(mission=obj, changed_fields=form.changed_data)


def _names(line):
    """The field names of a fieldset line: a name, or a tuple of names shown side by side."""
    return line if isinstance(line, tuple) else (line,)
