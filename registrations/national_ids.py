"""National identity numbers of the home country (settings.PORTAL_HOME_COUNTRY).

Each country plugs in a `NationalIdScheme`: what the number is called, how to
normalise it and how to check it against the holder's date of birth. Another
ministry adds its scheme to SCHEMES; a country without one gets a plain check.
"""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class NationalIdScheme:
    """A country's national ID: its name on forms and its check."""

    label = _("National identity number")
    help_text = _("As printed in your identity document.")
    max_length = 32
    input_mode = "text"

    def normalise(self, value):
        return re.sub(r"[\s-]", "", value or "").upper()

    def validate(self, value, *, date_of_birth):
        """Raise ValidationError unless `value` (normalised) is valid for this person."""
        if not re.fullmatch(r"[0-9A-Z]{4,32}", value):
            raise ValidationError(
                _("Enter the number with its letters and digits only, as in your document."), code="format"
            )


# Weights of the IIN's check digit: the first pass, then the second when the
# first gives 10 (Kazakhstan's rules of 2006 for the individual identification number).
_IIN_WEIGHTS = (range(1, 12), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
# The 7th digit: the century of birth (odd for men, even for women).
_IIN_CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_check_digit(first_eleven):
    """The 12th digit of an IIN starting with these 11 digits, or None if no IIN can start so."""
    digits = [int(character) for character in first_eleven]
    for weights in _IIN_WEIGHTS:
        remainder = sum(digit * weight for digit, weight in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


class KazakhIin(NationalIdScheme):
    label = _("IIN (individual identification number)")
    help_text = _("12 digits, on your identity card or passport. The first six are your date of birth, YYMMDD.")
    max_length = 12
    input_mode = "numeric"

    def validate(self, value, *, date_of_birth):
        if not re.fullmatch(r"\d{12}", value):
            raise ValidationError(
                _("An IIN has exactly 12 digits; you entered %(count)d characters. Check the number."),
                code="length",
                params={"count": len(value)},
            )
        if iin_check_digit(value[:11]) != int(value[11]):
            raise ValidationError(
                _("This is not a valid IIN: its last digit does not match the others. Check for a typing mistake."),
                code="checksum",
            )
        if date_of_birth is not None and not _iin_matches_birth_date(value, date_of_birth):
            raise ValidationError(
                _(
                    "This IIN belongs to someone born on another date: its first seven digits must match "
                    "your date of birth (%(date)s). Check both."
                ),
                code="birth_date",
                params={"date": date_of_birth.isoformat()},
            )


def _iin_matches_birth_date(iin, date_of_birth):
    century = _IIN_CENTURIES.get(iin[6])
    if century is None:
        return False
    try:
        encoded = date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return False
    return encoded == date_of_birth


def make_kazakh_iin(date_of_birth, *, female=False, serial=1):
    """A valid IIN for this birth date (demo data and tests); `serial` picks one of many."""
    century_digit = (date_of_birth.year - 1800) // 100 * 2 + 1 + int(female)
    while True:
        first_eleven = f"{date_of_birth:%y%m%d}{century_digit}{serial % 10000:04d}"
        check = iin_check_digit(first_eleven)
        if check is not None:
            return f"{first_eleven}{check}"
        serial += 1


SCHEMES = {"KZ": KazakhIin()}


def home_scheme():
    """The scheme of the portal's home country."""
    return SCHEMES.get(settings.PORTAL_HOME_COUNTRY, NationalIdScheme())
