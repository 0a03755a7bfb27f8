"""Citizens' accounts, profiles, households, trips and stops in the staff workplace.

Every admin here holds personal data: it is scoped (registrations.models.scoping)
and audited (registrations.services.audit) through PersonalDataAdmin. Lists show
identifiers masked; the plain number appears only on a record's own page,
whose every view is audited.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..encryption import identifier_digest, mask
from ..forms.accounts import AdminUserChangeForm, AdminUserCreationForm
from ..forms.trips import MAX_STOPS
from ..models import CitizenProfile, HouseholdMember, Stop, Trip, User
from ..national_ids import home_scheme
from .filters import CityFilter, CountryFilter, FreshnessFilter, KindFilter, RegionFilter, TripFreshnessFilter
from .mixins import PersonalDataAdmin


def national_id_digest_of(term):
    """The lookup digest of `term` if it looks like a national ID of the home country, else None."""
    scheme = home_scheme()
    value = scheme.normalise(term)
    try:
        scheme.validate(value, date_of_birth=None)
    except ValidationError:
        return None
    return identifier_digest(value)


class NationalIdSearchMixin:
    """Search by exact national ID, through the keyed hash: the numbers themselves are encrypted."""

    national_id_digest_path = None  # e.g. "national_id_digest"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digest = national_id_digest_of(search_term)
        if digest:
            # `queryset` is already cut to the staff member's scope.
            results = results | queryset.filter(**{self.national_id_digest_path: digest})
        return results, may_have_duplicates

    def describe_search(self, request, term):
        return {"kind": "national_id" if national_id_digest_of(term) else "text"}


def profile_of(user):
    """The citizen's profile, or None (select_related caches a missing one)."""
    try:
        return user.citizen_profile
    except ObjectDoesNotExist:
        return None


def admin_link(obj, label=None):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or f"#{obj.pk}")


@admin.register(User)
class UserAdmin(PersonalDataAdmin, DjangoUserAdmin):
    """Accounts, citizens' and staff's alike: for superusers only."""

    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "email_confirmed_at", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email"]
    date_hierarchy = "date_joined"
    show_full_result_count = False
    readonly_fields = ["date_joined", "last_login", "email_confirmed_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Status"), {"fields": ["is_active", "email_confirmed_at", "date_joined", "last_login"]}),
        (_("Permissions"), {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]}),
    ]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(CitizenProfile)
class CitizenProfileAdmin(NationalIdSearchMixin, PersonalDataAdmin, admin.ModelAdmin):
    list_display = [
        "surname_latin",
        "given_names_latin",
        "email",
        "masked_national_id",
        "masked_passport_number",
        "date_of_birth",
        "preferred_language",
        "updated_at",
    ]
    list_filter = [CountryFilter, RegionFilter, CityFilter, "preferred_language", "preferred_channel"]
    search_fields = ["surname_latin", "given_names_latin", "full_name_native", "user__email"]
    national_id_digest_path = "national_id_digest"
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["needs_consent_at", "privacy_notice_version", "privacy_consented_at", "created_at", "updated_at"]
    show_full_result_count = False
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        # A profile never moves to another account.
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    @admin.display(description=_("email address"), ordering="user__email")
    def email(self, profile):
        return profile.user.email

    @admin.display(description=_("national identity number"))
    def masked_national_id(self, profile):
        return mask(profile.national_id)

    @admin.display(description=_("passport number"))
    def masked_passport_number(self, profile):
        return mask(profile.passport_number)


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(PersonalDataAdmin, admin.ModelAdmin):
    list_display = ["full_name", "relationship", "citizenship", "date_of_birth", "masked_document_number", "citizen"]
    list_filter = [CountryFilter, RegionFilter, CityFilter, "relationship", "citizenship"]
    search_fields = ["full_name", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["needs_consent_at", "created_at"]
    # Each household together: the owner's id is a column of the row, no join.
    ordering = ["owner_id", "date_of_birth", "id"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "owner"] if obj else self.readonly_fields

    @admin.display(description=_("passport or ID number"))
    def masked_document_number(self, member):
        return mask(member.document_number)

    @admin.display(description=_("citizen"), ordering="owner__email")
    def citizen(self, member):
        return member.owner.email


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    # The citizen's form allows no more; the site bounds every inline formset to its max_num.
    max_num = MAX_STOPS


@admin.register(Trip)
class TripAdmin(NationalIdSearchMixin, PersonalDataAdmin, admin.ModelAdmin):
    list_display = [
        "trip",
        "citizen",
        "citizen_name",
        "kind",
        "status",
        "places",
        "travelling",
        "last_confirmed_at",
        "created_at",
    ]
    list_filter = [CountryFilter, RegionFilter, CityFilter, "status", "kind", TripFreshnessFilter]
    search_fields = [
        "owner__email",
        "owner__citizen_profile__surname_latin",
        "owner__citizen_profile__given_names_latin",
    ]
    national_id_digest_path = "owner__citizen_profile__national_id_digest"
    list_select_related = ["owner", "owner__citizen_profile"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["travellers"]
    readonly_fields = ["cancelled_at", "last_confirmed_at", "reminder_sent_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [StopInline]
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            queryset = queryset.annotate(travelling_count=Count("travellers", distinct=True)).prefetch_related("stops")
        return queryset

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "owner"] if obj else self.readonly_fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Travellers come from the trip's own household only.
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if db_field.name == "travellers" and object_id:
            owner = Trip.objects.filter(pk=object_id).values("owner_id")
            kwargs["queryset"] = HouseholdMember.objects.filter(owner_id__in=owner)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("trip"), ordering="pk")
    def trip(self, trip):
        return f"#{trip.pk}"

    @admin.display(description=_("citizen"), ordering="owner__email")
    def citizen(self, trip):
        return trip.owner.email

    @admin.display(description=_("name"), ordering="owner__citizen_profile__surname_latin")
    def citizen_name(self, trip):
        profile = profile_of(trip.owner)
        return profile.latin_name if profile else None

    @admin.display(description=_("where"))
    def places(self, trip):
        return ", ".join(f"{stop.city} ({stop.country.code})" for stop in trip.ordered_stops())

    @admin.display(description=_("household members travelling"), ordering="travelling_count")
    def travelling(self, trip):
        return trip.travelling_count


@admin.register(Stop)
class StopAdmin(PersonalDataAdmin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "region",
        "arrival_date",
        "departure_date",
        "trip_link",
        "kind",
        "citizen",
        "last_confirmed",
    ]
    list_filter = [
        CountryFilter,
        RegionFilter,
        CityFilter,
        KindFilter,
        FreshnessFilter,
        "arrival_date",
        "departure_date",
    ]
    search_fields = ["city", "trip__owner__email"]
    list_select_related = ["trip", "trip__owner"]
    raw_id_fields = ["trip"]
    date_hierarchy = "arrival_date"
    ordering = ["-arrival_date", "-id"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["trip"] if obj else []

    @admin.display(description=_("trip"), ordering="trip")
    def trip_link(self, stop):
        return admin_link(stop.trip)

    @admin.display(description=_("purpose"), ordering="trip__kind")
    def kind(self, stop):
        return stop.trip.get_kind_display()

    @admin.display(description=_("citizen"), ordering="trip__owner__email")
    def citizen(self, stop):
        return stop.trip.owner.email

    @admin.display(description=_("last confirmed at"), ordering="trip__last_confirmed_at")
    def last_confirmed(self, stop):
        return stop.trip.last_confirmed_at
