"""National ID clashes: cases for headquarters, never shown to the citizen who typed the number."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import IdentityClash
from ..models.scoping import ALL, scope_of
from .citizens import admin_link
from .mixins import PersonalDataAdmin


@admin.register(IdentityClash)
class IdentityClashAdmin(PersonalDataAdmin, admin.ModelAdmin):
    """Open cases first: which of the two accounts holds the real number? Headquarters only."""

    list_display = ["__str__", "created_at", "claimant_link", "holder_link", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["claimant", "holder"]
    readonly_fields = ["claimant", "holder", "created_at", "resolved_at", "resolved_by"]
    fields = ["claimant", "holder", "created_at", "note", "resolved_at", "resolved_by"]
    actions = ["mark_resolved"]
    show_full_result_count = False

    def _headquarters(self, request):
        return scope_of(request.user) == ALL

    def has_module_permission(self, request):
        return self._headquarters(request)

    def has_view_permission(self, request, obj=None):
        return self._headquarters(request) and self._allowed(request, obj, True)

    def has_change_permission(self, request, obj=None):
        return self._headquarters(request) and self._allowed(request, obj, True)

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("profile that claimed the number"))
    def claimant_link(self, clash):
        return admin_link(clash.claimant)

    @admin.display(description=_("profile that held the number"))
    def holder_link(self, clash):
        return admin_link(clash.holder)

    def save_model(self, request, obj, form, change):
        if "note" in form.changed_data and obj.resolved_at is None and obj.note:
            obj.resolved_at, obj.resolved_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = queryset.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=request.user)
        self.message_user(request, gettext("%(count)d cases marked as resolved.") % {"count": count})
