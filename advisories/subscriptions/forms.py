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
        # The column's length (and RFC 5321's limit of an address): longer is the form's error, not a 500.
        max_length=254,
        help_text=_("We send a link to this address to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Choose “All countries” to hear about every major change."),
    )
    # The emails are written in it; the page's language is chosen to begin with.
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("Advice not yet translated is sent in another language, with a line saying so."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("language", (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0])
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()

    def clean_country(self):
        return self.cleaned_data["country"].upper()
