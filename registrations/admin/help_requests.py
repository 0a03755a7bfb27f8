"""Help requests in the staff workplace: the cases of a crisis, how long each has waited, who works on it.

The list shows the open cases oldest first, each with its age in words and
in colour (under 1 hour, 1 to 6 hours, over 6 hours), its status and owner.
A case's page has the buttons that move it on (claim, start, resolve, give
back, mark as a duplicate), its notes and the person's answers. Nothing is
edited in a form: every change goes through services.help_requests, which
takes the case's row lock, so two officers never work one case unknowingly.
Scoped and audited like every page of personal data.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..models import AuditAction, HelpRequest
from ..models.help_requests import OPEN_HELP_STATUSES, HelpStatus
from ..services import help_requests as help_service
from ..services.audit import record_audit_event
from .checkins import PERSON_ON_THE_BOARD, CrisisFilter, PhoneCallAdminMixin, person_name
from .mixins import PersonalDataAdmin

# The buttons of a case's page: name in the URL → (service, message once done).
ACTIONS = {
    "claim": (help_service.claim, _("You work on this request now.")),
    "start": (help_service.start, _("The request is in progress.")),
    "resolve": (help_service.resolve, _("The request is resolved.")),
    "release": (help_service.release, _("You gave the request back: anyone may claim it.")),
}


class HelpCrisisFilter(CrisisFilter):
    field = "crisis"


class OpenFilter(admin.SimpleListFilter):
    """Open cases unless asked otherwise: the list is a work queue."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("closed", _("Resolved or duplicate")), ("all", _("All"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Open"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "closed":
            return queryset.exclude(status__in=OPEN_HELP_STATUSES)
        return queryset.filter(status__in=OPEN_HELP_STATUSES)


class OwnerFilter(admin.SimpleListFilter):
    title = _("owner")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("me", _("Mine")), ("nobody", _("Nobody yet"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(owner=request.user)
        if self.value() == "nobody":
            return queryset.filter(owner__isnull=True)
        return queryset


class PhoneCallForm(forms.ModelForm):
    """A case staff record after a phone call."""

    class Meta:
        model = HelpRequest
        fields = ["person", "kind", "summary"]
        help_texts = {"person": PERSON_ON_THE_BOARD}


class DuplicateForm(forms.Form):
    original = forms.ModelChoiceField(queryset=HelpRequest.objects.none(), label=_("Same case as"))

    def __init__(self, *args, help_request, **kwargs):
        super().__init__(*args, **kwargs)
        # Only another request of the same person: duplicates are linked, never someone else's case.
        self.fields["original"].queryset = (
            HelpRequest.objects.filter(person_id=help_request.person_id)
            .exclude(pk=help_request.pk)
            .order_by("created_at", "id")
        )
        self.fields["original"].label_from_instance = lambda request: (
            f"#{request.pk} · {request.get_kind_display()} · {request.get_status_display()}"
        )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


def waited(age):
    """ "45 min", "3 h 10 min", "2 days 4 h": how long a case has waited, in words."""
    minutes = int(age.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return ngettext("%(days)d day %(hours)d h", "%(days)d days %(hours)d h", days) % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return gettext("%(minutes)d min") % {"minutes": minutes}


@admin.register(HelpRequest)
class HelpRequestAdmin(PhoneCallAdminMixin, PersonalDataAdmin, admin.ModelAdmin):
    change_list_template = "admin/registrations/helprequest/change_list.html"
    change_form_template = "admin/registrations/helprequest/change_form.html"
    list_display = ["number", "age", "who", "kind", "status", "owner", "place", "latest_answer", "crisis"]
    list_display_links = ["number", "who"]
    list_filter = [OpenFilter, HelpCrisisFilter, "status", "kind", OwnerFilter]
    list_select_related = ["crisis", "owner", "person__citizen__citizen_profile", "person__member"]
    search_fields = ["person__citizen__citizen_profile__surname_latin", "person__member__full_name", "person__city"]
    raw_id_fields = ["person"]
    ordering = ["created_at", "id"]
    show_full_result_count = False
    actions = ["claim_selected"]
    view_fields = [
        "person",
        "crisis",
        "kind",
        "status",
        "owner",
        "summary",
        "duplicate_of",
        "source_checkin",
        "created_at",
        "claimed_at",
        "resolved_at",
    ]

    phone_form = PhoneCallForm
    phone_fields = PhoneCallForm.Meta.fields
    phone_title = _("Record a help request from a phone call")

    # Pages.

    def has_delete_permission(self, request, obj=None):
        return False  # cases go with their crisis, by the retention rule

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        created = help_service.create_by_staff(
            person=form.cleaned_data["person"],
            kind=form.cleaned_data["kind"],
            summary=form.cleaned_data["summary"],
            created_by=request.user,
        )
        self.adopt_saved(obj, created)
        if created.status == HelpStatus.DUPLICATE:
            self.message_user(
                request,
                gettext(
                    "This person already has an open request of this kind (#%(number)s): the new one is linked "
                    "to it as a duplicate, so that one officer works on both."
                )
                % {"number": created.duplicate_of_id},
                messages.WARNING,
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # see the buttons
        extra_context = extra_context or {}
        help_request = self.get_object(request, object_id)
        if help_request is not None:
            extra_context.update(self._case_context(request, help_request))
        return super().change_view(request, object_id, form_url, extra_context)

    def _case_context(self, request, help_request):
        person = help_request.person
        answers = person.checkins.select_related("recorded_by").order_by("-created_at", "-id")
        is_open = help_request.status in OPEN_HELP_STATUSES
        mine_or_nobodys = help_request.owner_id in (None, request.user.pk)
        return {
            "case": help_request,
            "case_person": person_name(person),
            "case_place": f"{person.city}, {person.country.name}".strip(", "),
            "case_phone": getattr(getattr(person.citizen, "citizen_profile", None), "phone", ""),
            "case_age": waited((help_request.resolved_at or timezone.now()) - help_request.created_at),
            "case_band": help_service.age_band(timezone.now() - help_request.created_at) if is_open else None,
            "can_act": is_open and self.has_change_permission(request, help_request),
            "mine_or_nobodys": mine_or_nobodys,
            "notes": help_request.notes.select_related("author"),
            "can_note": self._may_add_note(request),
            "note_form": NoteForm(),
            "duplicates": help_request.duplicates.order_by("created_at", "id"),
            "duplicate_form": DuplicateForm(help_request=help_request),
            "answers": answers,
            "phone_answer_url": reverse("admin:registrations_checkin_add") + f"?person={person.pk}",
            "person_url": reverse("admin:registrations_crisisperson_change", args=[person.pk]),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }

    def _may_add_note(self, request):
        return request.user.has_perm("registrations.add_helprequestnote")

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(require_POST(function))

        return [
            path("<int:object_id>/note/", view(self.note_view), name="registrations_helprequest_note"),
            path("<int:object_id>/duplicate/", view(self.duplicate_view), name="registrations_helprequest_duplicate"),
            # One path per button, never "<action>/": the admin's own "<id>/change/" must stay its own.
            *(
                path(
                    f"<int:object_id>/{action}/",
                    view(self.action_view),
                    {"action": action},
                    name=f"registrations_helprequest_{action}",
                )
                for action in ACTIONS
            ),
            *super().get_urls(),
        ]

    # The buttons of a case's page.

    def _case(self, request, object_id):
        help_request = self.get_object(request, str(object_id))  # scoped: someone else's case is not found
        if help_request is None:
            raise Http404
        if not self.has_change_permission(request, help_request):
            raise PermissionDenied
        return help_request

    def _back(self, help_request):
        return HttpResponseRedirect(reverse("admin:registrations_helprequest_change", args=[help_request.pk]))

    def _audit(self, request, help_request, action, **details):
        record_audit_event(
            request=request, action=AuditAction.CHANGE, obj=help_request, details={"action": action, **details}
        )

    def action_view(self, request, object_id, action):
        if action not in ACTIONS:
            raise Http404
        help_request = self._case(request, object_id)
        service, done = ACTIONS[action]
        try:
            service(help_request=help_request, officer=request.user)
        except help_service.HelpRequestRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self._audit(request, help_request, action)
            self.message_user(request, done, messages.SUCCESS)
        return self._back(help_request)

    def duplicate_view(self, request, object_id):
        help_request = self._case(request, object_id)
        form = DuplicateForm(request.POST, help_request=help_request)
        if not form.is_valid():
            self.message_user(request, gettext("Choose the request this one repeats."), messages.ERROR)
            return self._back(help_request)
        try:
            marked = help_service.mark_duplicate(
                help_request=help_request, original=form.cleaned_data["original"], officer=request.user
            )
        except help_service.HelpRequestRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self._audit(request, help_request, "duplicate", duplicate_of=marked.duplicate_of_id)
            self.message_user(
                request,
                gettext("Marked as a duplicate of request #%(number)s.") % {"number": marked.duplicate_of_id},
                messages.SUCCESS,
            )
        return self._back(help_request)

    def note_view(self, request, object_id):
        help_request = self.get_object(request, str(object_id))
        if help_request is None:
            raise Http404
        if not self._may_add_note(request):
            raise PermissionDenied
        form = NoteForm(request.POST)
        if not form.is_valid():
            self.message_user(request, gettext("Write the note first."), messages.ERROR)
            return self._back(help_request)
        try:
            note = help_service.add_note(help_request=help_request, author=request.user, text=form.cleaned_data["text"])
        except help_service.HelpRequestRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            record_audit_event(
                request=request,
                action=AuditAction.ADD,
                obj=note,
                subject=help_request.person.citizen,
                details={"help_request": help_request.pk},
            )
            self.message_user(request, gettext("Note added."), messages.SUCCESS)
        return self._back(help_request)

    # The list.

    @admin.action(description=_("Claim the selected requests"), permissions=["change"])
    def claim_selected(self, request, queryset):
        claimed, refused = 0, []
        for help_request in queryset:
            try:
                help_service.claim(help_request=help_request, officer=request.user)
            except help_service.HelpRequestRefused as refusal:
                refused.append(f"#{help_request.pk}: {refusal.message}")
            else:
                self._audit(request, help_request, "claim")
                claimed += 1
        if claimed:
            self.message_user(
                request,
                ngettext("You claimed %(count)d request.", "You claimed %(count)d requests.", claimed)
                % {"count": claimed},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.display(description=_("request"), ordering="pk")
    def number(self, help_request):
        return f"#{help_request.pk}"

    @admin.display(description=_("waiting"), ordering="created_at")
    def age(self, help_request):
        if help_request.status not in OPEN_HELP_STATUSES:
            return format_html('<span class="help-age">{}</span>', help_request.get_status_display())
        age = timezone.now() - help_request.created_at
        band = help_service.age_band(age)
        return format_html(
            '<span class="help-age help-age-{}">{} <span class="help-age-band">({})</span></span>',
            band.name,
            waited(age),
            band.label,
        )

    @admin.display(description=_("person"))
    def who(self, help_request):
        return person_name(help_request.person)

    @admin.display(description=_("where"), ordering="person__city")
    def place(self, help_request):
        return f"{help_request.person.city} ({help_request.person.country.code})".strip()

    @admin.display(description=_("latest answer"), ordering="person__status_changed_at")
    def latest_answer(self, help_request):
        person = help_request.person
        if person.status_changed_at is None:
            return person.get_status_display()
        return format_html(
            "{}<br><small>{}</small>",
            person.get_status_display(),
            gettext("%(time)s ago") % {"time": waited(timezone.now() - person.status_changed_at)},
        )

    @admin.display(description=_("crisis"), ordering="crisis__opened_at")
    def crisis(self, help_request):
        return help_request.crisis.name
