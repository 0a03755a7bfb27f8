from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries


def _country_choices():
    # Built per form so the names follow the page's language and sort in it.
    return [("", _("All countries")), *countries]


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send a link to this address to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Choose “All countries” to hear about every major change."),
    )
    # The page's language: the emails are written in it.
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("language", translation.get_language())
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()

    def clean_country(self):
        return self.cleaned_data["country"].upper()
