"""Keeps each SMS in `portal.sms.outbox`, for tests (like Django's locmem email backend)."""

import itertools
from dataclasses import dataclass

from .base import BaseSmsBackend

_ids = itertools.count(1)


@dataclass
class SentSms:
    to: str
    body: str
    reference: str
    status_callback: str | None
    message_id: str


class SmsBackend(BaseSmsBackend):
    can_look_up = True

    def send(self, *, to, body, reference, status_callback=None):
        from .. import outbox

        message_id = f"locmem-{next(_ids)}"
        outbox.append(SentSms(to, body, reference, status_callback, message_id))
        return message_id

    def look_up(self, *, reference, to, body, since):
        from .. import outbox

        return next((sms.message_id for sms in outbox if sms.reference == reference), None)
