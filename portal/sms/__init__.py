"""Text messages, sent through a backend named in settings (SMS_BACKEND), as Django does for email.

- `get_backend()`: an instance of settings.SMS_BACKEND (or of the dotted path given).
- `send(to=…, body=…)`: one message through the configured backend; returns the provider's id.
- Backends raise `TemporarySmsError` ("try again later": the provider is down, busy,
  rate-limiting) or `PermanentSmsError` (this message will never go: a refused number),
  each with the provider's reason, and nothing else.
- `sms_length(text)`: how a phone counts the text (portal/sms/length.py).

Backends (portal/sms/backends/): console (development), locmem (tests: `portal.sms.outbox`),
recording (benchmarks and multi-process tests: a file), twilio (production).
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .length import SmsLength, sms_length

__all__ = [
    "PermanentSmsError",
    "SmsError",
    "SmsLength",
    "TemporarySmsError",
    "get_backend",
    "outbox",
    "receipts_by_channel",
    "send",
    "sms_length",
]

# The locmem backend's messages, like django.core.mail.outbox; tests empty it.
outbox = []


class SmsError(Exception):
    """The provider did not take the message; `reason` is its own words (no phone number in it)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = str(reason)[:300]


class TemporarySmsError(SmsError):
    """Worth trying again later."""


class PermanentSmsError(SmsError):
    """Never worth trying again."""


def get_backend(path=None, **kwargs):
    return import_string(path or settings.SMS_BACKEND)(**kwargs)


def receipts_by_channel():
    """{"email": bool, "sms": bool}: whether the configured backends report delivery.

    Email: only django-anymail's provider backends do (through their tracking
    webhooks); SMTP hands a message to a server and hears nothing more.
    SMS: the backend class says so (Twilio's status callbacks).
    """
    return {
        "email": settings.EMAIL_BACKEND.startswith("anymail."),
        "sms": import_string(settings.SMS_BACKEND).has_receipts,
    }


def send(*, to, body, reference="", status_callback=None):
    """Send one SMS now through the configured backend; the provider's message id."""
    return get_backend().send(to=to, body=body, reference=reference, status_callback=status_callback)
