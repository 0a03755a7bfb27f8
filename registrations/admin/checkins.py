"""Check-ins in the staff workplace: every answer, read-only, and "record an answer after a phone call".

Answers are never edited or deleted here (a change of state is a new
answer; retention deletes them with the crisis). The one thing staff add is
the answer a person gave on the phone, recorded through the same service as
every other (services.checkins.record_checkin): channel and reporter "staff",
and the officer's name.
"""

import uuid

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import CheckIn, Crisis, CrisisPerson
from ..models.checkins import CheckInChannel, Reporter
from ..services import checkins as checkin_service
from .citizens import profile_of
from .mixins import PersonalDataAdmin


class CrisisFilter(admin.SimpleListFilter):
    """The crises the staff member may see, newest first (never a DISTINCT over every answer)."""

    title = _("crisis")
    parameter_name = "crisis"
    field = "person__crisis"

    def lookups(self, request, model_admin):
        crises = Crisis.objects.visible_to(request.user).order_by("-opened_at", "-id")[:50]
        return [(str(crisis.pk), crisis.name) for crisis in crises]

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():
                raise IncorrectLookupParameters(self.value())
            return queryset.filter(**{self.field: self.value()})
        return queryset


def person_name(person):
    """A person on a board as staff read them: "Dariga Tehraniova (with ARMAN TEHRANIOV)"; select_related expected."""
    profile = profile_of(person.citizen)
    citizen = profile.latin_name if profile else gettext("(no profile)")
    if person.member_id:
        return gettext("%(member)s (with %(citizen)s)") % {"member": person.member.full_name, "citizen": citizen}
    return citizen


def people_staff_may_answer_for(user):
    """The people on the boards of open crises that the staff member may see."""
    return CrisisPerson.objects.visible_to(user).filter(crisis__in=Crisis.objects.open())


# The help text of the person field of every form filled after a phone call.
PERSON_ON_THE_BOARD = _("The number of the person on the crisis board (the link from their page fills it).")


class PhoneCallAdminMixin:
    """What staff record after a phone call (an answer, a help request): the add page is a form of its own,
    for a person of an open crisis the officer may see (`?person=` from the person's page fills it); a record
    once saved is read, never edited in a form.

    Set `phone_form` (a ModelForm), `phone_fields` (its fields on the page), `phone_title` (the page's title)
    and `view_fields` (the record's page). `save_model` calls the service and hands its result to
    `adopt_saved`, so that the admin goes on (audit event, message, redirect) with the record saved.
    """

    phone_form = None
    phone_fields = ()
    phone_title = None
    view_fields = ()

    def phone_call_people(self, request):
        """Whom the add page's link or form may name; anyone else is not found."""
        return people_staff_may_answer_for(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.phone_form
            kwargs["fields"] = list(self.phone_fields)
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return self.view_fields if obj else list(self.phone_fields)

    def get_readonly_fields(self, request, obj=None):
        return self.view_fields if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = people_staff_may_answer_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        # Someone outside the officer's scope is not found, whether asked for in the link or the form.
        person_id = request.POST.get("person") or request.GET.get("person")
        if person_id and not (person_id.isdigit() and self.phone_call_people(request).filter(pk=person_id).exists()):
            raise Http404
        extra_context = {
            "title": self.phone_title,
            **self.phone_call_context(request, person_id),
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, extra_context)

    def phone_call_context(self, request, person_id):
        """More for the add page's template (the person in the link is known to be in scope)."""
        return {}

    @staticmethod
    def adopt_saved(obj, saved):
        """Make the admin's unsaved `obj` the row the service `saved`."""
        for field in type(saved)._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db


class PhoneAnswerForm(forms.ModelForm):
    """An answer given on the phone, recorded by the officer who took the call."""

    status = forms.ChoiceField(
        label=_("status"), choices=[(status.value, status.label) for status in checkin_service.STAFF_ANSWERS]
    )
    # A double click on "Save" records one answer, as on the citizens' page.
    submission_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    class Meta:
        model = CheckIn
        fields = ["person", "status", "city", "note"]
        help_texts = {"person": PERSON_ON_THE_BOARD}

    def clean_person(self):
        person = self.cleaned_data["person"]
        if not person.crisis.is_open:
            raise ValidationError(_("This crisis is closed: it takes no more answers."))
        return person


@admin.register(CheckIn)
class CheckInAdmin(PhoneCallAdminMixin, PersonalDataAdmin, admin.ModelAdmin):
    list_display = ["created_at", "who", "crisis", "status", "city", "reporter", "channel", "recorded_by"]
    list_filter = [CrisisFilter, "status", "channel", "reporter"]
    list_select_related = ["person__crisis", "person__citizen__citizen_profile", "person__member", "recorded_by"]
    search_fields = ["person__citizen__citizen_profile__surname_latin", "person__member__full_name", "city"]
    raw_id_fields = ["person"]
    ordering = ["-created_at", "-id"]
    show_full_result_count = False
    view_fields = ["person", "status", "note", "city", "reporter", "channel", "recorded_by", "created_at"]
    phone_form = PhoneAnswerForm
    phone_fields = [*PhoneAnswerForm.Meta.fields, "submission_id"]
    phone_title = _("Record an answer given on the phone")

    def phone_call_people(self, request):
        # A person of a closed crisis is found, and the form says the crisis takes no more answers.
        return CrisisPerson.objects.visible_to(request.user)

    def phone_call_context(self, request, person_id):
        if not (person_id and request.method == "GET"):
            return {}
        person = CrisisPerson.objects.select_related("crisis", "citizen__citizen_profile", "member").get(pk=person_id)
        return {"subtitle": f"{person_name(person)} · {person.crisis}"}

    def has_change_permission(self, request, obj=None):
        return False  # answers are never edited: a change of state is a new answer

    def has_delete_permission(self, request, obj=None):
        return False  # answers go with their crisis, by the retention rule

    def save_model(self, request, obj, form, change):
        recorded = checkin_service.record_checkin(
            person=form.cleaned_data["person"],
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            city=form.cleaned_data["city"],
            reporter=Reporter.STAFF,
            channel=CheckInChannel.STAFF,
            recorded_by=request.user,
            submission_token=form.cleaned_data["submission_id"],
        )
        # The admin goes on with `obj` (its audit event, its message, its redirect): make it the recorded answer.
        self.adopt_saved(obj, recorded)

    @admin.display(description=_("person"))
    def who(self, checkin):
        return person_name(checkin.person)

    @admin.display(description=_("crisis"), ordering="person__crisis__opened_at")
    def crisis(self, checkin):
        return checkin.person.crisis.name
