"""Twilio, through its official client: sending, looking a message up, and reading its webhooks.

Settings: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM (a Messaging Service
SID "MG…" or a number), SMS_TIMEOUT. Twilio signs each webhook request with the
auth token (X-Twilio-Signature over the URL it called and the POST fields); the
URL is rebuilt on SITE_URL, the address Twilio was given.
"""

import re
from datetime import timedelta

from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from .. import PermanentSmsError, TemporarySmsError
from .base import BaseSmsBackend

# Twilio's message statuses that end a delivery, as ours.
RECEIPT_OUTCOMES = {"delivered": "delivered", "read": "delivered", "undelivered": "failed", "failed": "failed"}
# Numbers in Twilio's error texts ("The 'To' number +7701… is not valid") stay out of our records.
_NUMBER = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def make_http_client():
    """Twilio's own HTTP client with our timeout (tests replace this function)."""
    return TwilioHttpClient(timeout=settings.SMS_TIMEOUT)


def reason_of(error):
    if isinstance(error, TwilioRestException):
        return _NUMBER.sub("…", f"Twilio {error.code or error.status}: {error.msg}")
    return _NUMBER.sub("…", f"Twilio: {type(error).__name__}: {error}")


class SmsBackend(BaseSmsBackend):
    has_receipts = True
    can_look_up = True

    def __init__(self):
        self.configured = bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM)
        self.client = None
        if self.configured:
            self.client = Client(
                settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=make_http_client()
            )

    def _sender(self):
        if settings.TWILIO_FROM.startswith("MG"):
            return {"messaging_service_sid": settings.TWILIO_FROM}
        return {"from_": settings.TWILIO_FROM}

    def send(self, *, to, body, reference, status_callback=None):
        if not self.configured:
            raise PermanentSmsError("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM).")
        extra = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, body=body, **self._sender(), **extra)
        except TwilioRestException as error:
            # 429: too many requests; 5xx: Twilio's trouble. Anything else is about this message.
            if error.status == 429 or error.status >= 500:
                raise TemporarySmsError(reason_of(error)) from None
            raise PermanentSmsError(reason_of(error)) from None
        except (OSError, TwilioException) as error:  # requests' connection errors and timeouts are OSErrors
            raise TemporarySmsError(reason_of(error)) from None
        return message.sid

    def look_up(self, *, reference, to, body, since):
        """Twilio has no idempotency key for messages: find ours among the latest to that number, by body.

        The body holds the person's own link, so it is unique per person and broadcast.
        """
        if not self.configured:
            return None
        try:
            messages = self.client.messages.list(to=to, limit=20)
        except (OSError, TwilioException) as error:
            raise TemporarySmsError(reason_of(error)) from None
        earliest = since - timedelta(minutes=1)  # Twilio's clock and ours differ a little.
        for message in messages:
            if message.body == body and (message.date_created is None or message.date_created >= earliest):
                return message.sid
        return None


def is_genuine(*, url, params, signature):
    """Whether a webhook request was signed by Twilio with our auth token."""
    if not (settings.TWILIO_AUTH_TOKEN and signature):
        return False
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params, signature)


def parse_receipt(params):
    """(message id, "delivered" / "failed" / None for an intermediate status, reason) of a status callback."""
    outcome = RECEIPT_OUTCOMES.get(params.get("MessageStatus", ""))
    reason = ""
    if outcome == "failed":
        reason = f"Twilio {params.get('ErrorCode') or params.get('MessageStatus')}: {params.get('MessageStatus')}"
    return params.get("MessageSid", ""), outcome, reason


def parse_inbound(params):
    """(message id, sender's number, text) of an incoming SMS."""
    return params.get("MessageSid", ""), params.get("From", ""), params.get("Body", "")
