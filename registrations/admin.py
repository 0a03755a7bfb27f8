from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import CitizenProfile, HouseholdMember, Stop, Trip, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["surname_latin", "given_names_latin", "date_of_birth", "preferred_language", "updated_at"]
    list_filter = ["preferred_language", "preferred_channel"]
    search_fields = ["surname_latin", "given_names_latin", "full_name_native", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["needs_consent_at", "privacy_notice_version", "privacy_consented_at", "created_at", "updated_at"]
    show_full_result_count = False


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "relationship", "citizenship", "date_of_birth", "owner"]
    list_filter = ["relationship"]
    search_fields = ["full_name", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["needs_consent_at", "created_at"]
    show_full_result_count = False


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0


@admin.register(Trip)
class TripAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "kind", "status", "last_confirmed_at", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["travellers"]
    readonly_fields = ["cancelled_at", "last_confirmed_at", "reminder_sent_at", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [StopInline]
    show_full_result_count = False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Travellers come from the trip's own household only.
        if db_field.name == "travellers" and request.resolver_match.kwargs.get("object_id"):
            trip = Trip.objects.filter(pk=request.resolver_match.kwargs["object_id"]).first()
            kwargs["queryset"] = HouseholdMember.objects.filter(owner=trip.owner if trip else None)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
