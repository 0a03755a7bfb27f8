"""Subscriptions in the staff's workplace: listed, never edited (people subscribe themselves)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_search import PrivateSearchMixin

from .models import Subscription


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Not confirmed"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(PrivateSearchMixin, admin.ModelAdmin):
    """Read-only: people subscribe and unsubscribe themselves, by email.

    Searched by email address, kept out of URLs (PrivateSearchMixin): an address is personal data.
    """

    list_display = ["email", "country", "language", "created_at", "confirmed_at"]
    list_filter = [ConfirmedFilter, "country", "language"]
    search_fields = ["email"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = ["email", "country", "language", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
