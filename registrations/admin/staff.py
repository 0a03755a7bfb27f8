"""The audit log (read-only for everybody) and mission officers' assignments (superusers only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import AuditEvent, StaffAssignment
from .mixins import PrivateSearchMixin


@admin.register(AuditEvent)
class AuditEventAdmin(PrivateSearchMixin, admin.ModelAdmin):
    """Read by auditors (and superusers); nobody adds, changes or deletes an event here."""

    list_display = ["created_at", "actor", "action", "object_repr", "subject_ref", "ip_address", "summary"]
    list_filter = [("actor", admin.RelatedOnlyFieldListFilter), "action", "created_at"]
    search_fields = ["actor__email"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    show_full_result_count = False
    fields = [
        "created_at",
        "actor",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "subject_ref",
        "ip_address",
        "details",
    ]
    readonly_fields = fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("citizen"), ordering="subject")
    def subject_ref(self, event):
        # The account's number, not its address: the log itself holds no personal data.
        return f"#{event.subject_id}" if event.subject_id else None

    @admin.display(description=_("details"))
    def summary(self, event):
        details = event.details or {}
        parts = []
        if details.get("filters"):
            # Names of the filters used (older events kept their values too).
            parts.append(_("filtered by %(names)s") % {"names": ", ".join(details["filters"])})
        if "rows" in details:
            parts.append(_("%(rows)s rows") % {"rows": details["rows"]})
        if details.get("fields"):
            parts.append(", ".join(details["fields"]))
        search = details.get("search")
        if search:
            kind = search.get("kind", "") if isinstance(search, dict) else ", ".join(map(str, search))
            parts.append(_("search by %(kind)s") % {"kind": kind})
        return "; ".join(str(part) for part in parts) or None


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(PrivateSearchMixin, admin.ModelAdmin):
    """Which mission a mission officer works for; only superusers assign."""

    list_display = ["user", "mission", "updated_at"]
    list_filter = [("mission", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "mission__name", "mission__city"]
    list_select_related = ["user", "mission"]
    # The officer by number (the lookup is the accounts' list and its private search), never an autocomplete.
    raw_id_fields = ["user"]
    autocomplete_fields = ["mission"]
    readonly_fields = ["created_at", "updated_at"]
    # By mission, then officer: the columns, no join.
    ordering = ["mission_id", "user_id"]
    show_full_result_count = False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
