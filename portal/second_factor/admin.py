from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.admin_search import PrivateSearchMixin

from .models import AuthenticatorDevice

# Devices are ours (models.py); django-otp's clear-secret model stays empty and out of sight.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(PrivateSearchMixin, admin.ModelAdmin):
    """Who has an authenticator app. A staff member who lost theirs has it deleted here, then enrols a new one
    after signing in again. Devices are made only by enrolling (the secret never shows here)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__email"]  # privately: a staff address never in a URL
    ordering = ["user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
