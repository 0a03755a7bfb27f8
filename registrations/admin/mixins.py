"""What every admin of citizens' personal data shares: scoping, searches kept out of URLs, the audit log."""

from django.contrib.admin.utils import unquote
from django.http import Http404

# Searches kept out of URLs: shared with every app (portal), named here too for registrations' admins.
from portal.admin_search import (  # noqa: F401
    SEARCH_TOKEN_SECONDS,
    SEARCH_TOKEN_VAR,
    PrivateSearchMixin,
    keep_search_term,
    kept_search_term,
    page_search,
)

from ..models import AuditAction, CitizenProfile, HouseholdMember, Stop, Trip
from ..models.scoping import can_see_personal_data
from ..services.audit import filters_of, record_audit_event

# Related models whose choices in a form are cut to the staff member's scope.
_PERSONAL_MODELS = (CitizenProfile, HouseholdMember, Stop, Trip)


class ScopedAdminMixin:
    """Rows, objects, searches, autocompletes, histories and actions limited to what the user may see.

    For personal data (through PersonalDataAdmin) and for the crisis work around it: crises, broadcasts,
    evacuations, their legs and transports, which a mission officer sees when they touch their jurisdiction.

    get_queryset is the single gate: the admin's change, delete and history
    views, its actions and the autocomplete view all start from it. The
    has_*_permission methods repeat the rule for an object, so that a page
    reached some other way still refuses it.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _in_scope(self, request, obj):
        cache = request.__dict__.setdefault("_registrations_in_scope", {})
        key = (obj._meta.concrete_model, obj.pk)
        if key not in cache:
            manager = type(obj)._default_manager
            if hasattr(manager, "is_visible_to"):
                cache[key] = manager.is_visible_to(obj, request.user)
            else:
                cache[key] = manager.filter(pk=obj.pk).visible_to(request.user).exists()
        return cache[key]

    def _allowed(self, request, obj, allowed):
        if not (allowed and can_see_personal_data(request.user)):
            return False
        return obj is None or self._in_scope(request, obj)

    def has_module_permission(self, request):
        return can_see_personal_data(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_view_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_delete_permission(request, obj))

    def has_add_permission(self, request, *args):
        return can_see_personal_data(request.user) and super().has_add_permission(request, *args)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in _PERSONAL_MODELS or db_field.related_model is self._user_model():
            kwargs.setdefault("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = kwargs["queryset"].visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model in _PERSONAL_MODELS:
            kwargs.setdefault("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = kwargs["queryset"].visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @staticmethod
    def _user_model():
        from django.contrib.auth import get_user_model

        return get_user_model()

    def history_view(self, request, object_id, extra_context=None):
        # Outside the scope (or gone): not found, rather than the admin's redirect.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)


class AuditedAdminMixin:
    """Every list, search, view, history, addition, change and deletion leaves an AuditEvent.

    Events are written only for what was actually shown or done (a page
    answered 200, a save that succeeded), and hold no personal values: the
    filters of a list, the names of changed fields, counts.
    """

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200 and hasattr(response, "context_data"):
            changelist = response.context_data.get("cl")
            if changelist is not None:
                details = {"filters": filters_of(request), "rows": len(changelist.result_list)}
                action = AuditAction.LIST
                if changelist.query:
                    action = AuditAction.SEARCH
                    details["search"] = self.search_details(request, changelist.query)
                record_audit_event(request=request, action=action, model=self.model, details=details)
        return response

    def describe_search(self, request, term):
        """The kind of a search ("text", "national_id", "phone"…): an admin may say more than the default."""
        return {"kind": "text"}

    def search_details(self, request, term):
        """What the audit log keeps of a search: its kind and the fields searched, never the term nor its length."""
        return {
            "kind": str(self.describe_search(request, term).get("kind", "text")),
            "fields": sorted(field.lstrip("^=@") for field in self.get_search_fields(request)),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and hasattr(response, "context_data"):
            obj = response.context_data.get("original")
            if obj is not None:
                record_audit_event(request=request, action=AuditAction.VIEW, obj=obj)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200 and hasattr(response, "context_data"):
            obj = response.context_data.get("object")
            if obj is not None:
                record_audit_event(request=request, action=AuditAction.VIEW_HISTORY, obj=obj)
        return response

    def construct_change_message(self, request, form, formsets, add=False):
        # Field names only; the admin's own message names inline objects by their str().
        request._registrations_changed = {
            "fields": sorted(form.changed_data),
            "inlines": [
                {
                    "model": formset.model._meta.model_name,
                    "added": len(formset.new_objects),
                    "changed": sorted({name for _obj, names in formset.changed_objects for name in names}),
                    "deleted": len(formset.deleted_objects),
                }
                for formset in formsets
                if formset.new_objects or formset.changed_objects or formset.deleted_objects
            ],
        }
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        record_audit_event(
            request=request, action=AuditAction.ADD, obj=obj, details=getattr(request, "_registrations_changed", {})
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record_audit_event(
            request=request,
            action=AuditAction.CHANGE,
            obj=obj,
            details=getattr(request, "_registrations_changed", {}),
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            record_audit_event(request=request, action=AuditAction.DELETE, obj=obj)
        return super().log_deletions(request, queryset)


class PersonalDataAdmin(AuditedAdminMixin, PrivateSearchMixin, ScopedAdminMixin):
    """Mix into the ModelAdmin of every model holding citizens' personal data."""
