"""Forms about evacuations: a person's answer to a seat offer, and staff's pages beside the admin."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class OfferAnswerForm(forms.Form):
    """The offer page's two buttons: each sends `answer`."""

    ACCEPT, DECLINE = "accept", "decline"

    answer = forms.ChoiceField(choices=[(ACCEPT, _("Yes, we take the seats")), (DECLINE, _("No, we do not go"))])

    def accepts(self):
        return self.cleaned_data["answer"] == self.ACCEPT


class OfferSeatsForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Hours to answer"),
        min_value=1,
        max_value=72,
        help_text=_("Never later than the departure. Seats not taken in time go to the next people."),
    )


class NoticeForm(forms.Form):
    """A message to everyone confirmed on the changed transports: one text per language, prefilled."""

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=name, required=False, initial=drafts.get(code, ""), widget=forms.Textarea(attrs={"rows": 5})
            )

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f"text_{code}") or "").strip() for code, _name in settings.LANGUAGES):
            raise forms.ValidationError(_("Write the message in at least one language."))
        return cleaned

    def texts(self):
        return {code: self.cleaned_data[f"text_{code}"] for code, _name in settings.LANGUAGES}
