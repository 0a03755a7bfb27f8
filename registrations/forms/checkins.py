"""The crisis answer page's form: one answer for the citizen and one for each household member on the board."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.crises import PersonStatus
from ..services.checkins import PERSON_ANSWERS, Answer

# The citizen answers for themselves in the first person.
OWN_ANSWER_LABELS = {
    PersonStatus.SAFE: _("I am safe"),
    PersonStatus.NEEDS_HELP: _("I need help"),
    PersonStatus.WANTS_TO_LEAVE: _("I want to leave the area"),
}
NOTE_MAX_LENGTH = 1000


class HouseholdAnswerForm(forms.Form):
    """Fields `status_<id>`, `note_<id>` and `city_<id>` for each person (CrisisPerson) on the page.

    The citizen's own answer is required; a household member's may be left
    empty (the citizen may not know), and then nothing is recorded for them.
    The hidden submission token travels with the page: the same page sent
    twice records once.
    """

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["submission_token"].initial = uuid.uuid4()
        for person in people:
            self._add_fields(person)

    def _add_fields(self, person):
        if person.member_id is None:
            status_label, city_label = _("How are you?"), _("Where are you now? City or town")
            choices = [(status.value, OWN_ANSWER_LABELS[status]) for status in PERSON_ANSWERS]
            help_text = ""
        else:
            name = person.member.full_name
            status_label = _("How is %(name)s?") % {"name": name}
            city_label = _("Where is %(name)s now? City or town") % {"name": name}
            choices = [(status.value, status.label) for status in PERSON_ANSWERS]
            help_text = _("Leave empty if you do not know.")
        self.fields[f"status_{person.pk}"] = forms.ChoiceField(
            label=status_label,
            choices=choices,
            widget=forms.RadioSelect,
            required=person.member_id is None,
            help_text=help_text,
            error_messages={"required": _("Choose one answer.")},
        )
        self.fields[f"note_{person.pk}"] = forms.CharField(
            label=_("Anything we should know? (optional)"),
            required=False,
            max_length=NOTE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("For example: what help is needed, a phone number that works."),
        )
        self.fields[f"city_{person.pk}"] = forms.CharField(
            label=city_label, required=False, max_length=100, initial=person.city
        )

    def groups(self):
        """[(person, [status, note, city bound fields])], in the order of the page."""
        return [
            (person, [self[f"{name}_{person.pk}"] for name in ("status", "note", "city")]) for person in self.people
        ]

    def clean(self):
        cleaned = super().clean()
        for person in self.people:
            # A note without an answer would be lost: say so rather than drop it.
            answered = cleaned.get(f"status_{person.pk}")
            if person.member_id is not None and not answered and cleaned.get(f"note_{person.pk}"):
                self.add_error(f"status_{person.pk}", _("Choose an answer to go with the note."))
        return cleaned

    def answers(self):
        """The Answers to record: everyone with a status chosen."""
        return [
            Answer(
                person=person,
                status=self.cleaned_data[f"status_{person.pk}"],
                note=self.cleaned_data[f"note_{person.pk}"],
                city=self.cleaned_data[f"city_{person.pk}"],
            )
            for person in self.people
            if self.cleaned_data.get(f"status_{person.pk}")
        ]

    def token(self):
        return self.cleaned_data.get("submission_token") or uuid.uuid4()
