"""Form fields and widgets shared by the citizen's forms."""

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class PhoneNumberField(forms.CharField):
    """Any country's phone number, typed as people type it, stored in E.164 (+77011234567).

    Numbers without a "+" are read as numbers of the home country.
    """

    default_error_messages = {
        "invalid": _("Enter the number with its country code, e.g. +7 701 123 4567 or +90 532 123 4567."),
    }

    def __init__(self, *, autocomplete="tel", **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": autocomplete}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        try:
            number = phonenumbers.parse(value, settings.PORTAL_HOME_COUNTRY)
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class DateInput(forms.DateInput):
    """The browser's date picker; without one, the ISO format the hint asks for."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text=None, autocomplete=None):
    attrs = {"autocomplete": autocomplete} if autocomplete else None
    hint = _("For example 2027-03-31 (year-month-day).")
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(attrs=attrs),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"],
        help_text=format_lazy("{} {}", help_text, hint) if help_text else hint,
    )
