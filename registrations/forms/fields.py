"""Form fields and widgets shared by the citizen's forms."""

from datetime import date

import phonenumbers
from django import forms
from django.conf import settings
from django.utils import formats
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
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
    """The browser's date picker (staff's forms); without one, the ISO format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# How a date format reads, for the hint beside a citizen's date field.
_DATE_ORDERS = {
    "%Y-%m-%d": _("year-month-day"),
    "%d.%m.%Y": _("day.month.year"),
    "%d/%m/%Y": _("day/month/year"),
}
# The example date of the hints: the 31st, so that day and month cannot be confused.
_EXAMPLE = date(2027, 3, 31)


def typed_date_format():
    """The format citizens type dates in on this page: the language's first input format (31.03.2027 in kk, ru)."""
    first = formats.get_format("DATE_INPUT_FORMATS")[0]
    return first if first in _DATE_ORDERS else "%Y-%m-%d"


def _date_hint():
    pattern = typed_date_format()
    return gettext("For example %(example)s (%(order)s).") % {
        "example": _EXAMPLE.strftime(pattern),
        "order": _DATE_ORDERS[pattern],
    }


date_hint = lazy(_date_hint, str)


class TypedDateInput(forms.DateInput):
    """A text field showing the date in the page language's order, the one its hint gives.

    Not the browser's date picker: it shows the browser's order (month first in
    some locales), which the hint could not match.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return value.strftime(typed_date_format())
        return super().format_value(value)


def date_field(label, *, required=True, help_text=None, autocomplete=None):
    attrs = {"autocomplete": autocomplete} if autocomplete else None
    return forms.DateField(
        label=label,
        required=required,
        widget=TypedDateInput(attrs=attrs),
        # Every order a hint may give, so a page in another language still reads what was typed.
        input_formats=list(_DATE_ORDERS),
        help_text=format_lazy("{} {}", help_text, date_hint()) if help_text else date_hint(),
    )
