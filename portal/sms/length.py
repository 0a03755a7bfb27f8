"""How long a text is as an SMS, counted as a phone counts it.

GSM 03.38's 7-bit alphabet fits 160 characters in one message and 153 in each
part of a longer one (7 go to the header that joins the parts); its extension
characters (€ [ ] { } | ^ ~ \\ and form feed) take two places each. One character
outside the alphabet (any Cyrillic or Kazakh letter, an emoji) turns the whole
message into UCS-2: 70 in one message, 67 per part, and characters beyond the
Basic Multilingual Plane (emoji) take two.
"""

import math
from dataclasses import dataclass

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int


def sms_length(text):
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text):
        units = sum(2 if char in GSM_EXTENSION else 1 for char in text)
        single, part, encoding = GSM_SINGLE, GSM_PART, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "UCS-2"
    parts = 1 if units <= single else math.ceil(units / part)
    return SmsLength(encoding=encoding, units=units, parts=parts)
