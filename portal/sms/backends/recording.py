"""Record every message in a file instead of sending it: benchmarks and tests across processes.

Both an SMS backend and an email backend live here, writing to the same file
(settings.OUTBOX_RECORDING_FILE), one line per message handed over:
"<channel>\\t<reference>\\t<recipient>\\n". Each line is one write(2) to a file
opened with O_APPEND, so lines from several worker processes never interleave
and a line written survives the process being killed a moment later: the file
is what a provider would have received. `look_up` answers "was this handed
over?" from the file, as a provider's API answers it (exactly-once recovery).
The file holds addresses and numbers: use it only with throwaway data.
"""

import itertools
import os

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from .base import BaseSmsBackend

_ids = itertools.count(1)


def record(channel, reference, recipient):
    line = f"{channel}\t{reference}\t{recipient}\n".encode()
    descriptor = os.open(settings.OUTBOX_RECORDING_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def recorded(path=None):
    """Every recorded message as (channel, reference, recipient), in the order handed over."""
    try:
        with open(path or settings.OUTBOX_RECORDING_FILE, encoding="utf-8") as file:
            return [tuple(line.rstrip("\n").split("\t")) for line in file if line.endswith("\n")]
    except FileNotFoundError:
        return []


def _look_up(channel, reference):
    for recorded_channel, recorded_reference, _recipient in recorded():
        if recorded_channel == channel and recorded_reference == reference:
            return f"recorded-{channel}-{reference}"
    return None


class SmsBackend(BaseSmsBackend):
    can_look_up = True

    def send(self, *, to, body, reference, status_callback=None):
        record("sms", reference, to)
        return f"recorded-sms-{reference}"

    def look_up(self, *, reference, to, body, since):
        return _look_up("sms", reference)


class EmailBackend(BaseEmailBackend):
    """The reference of an email is its Message-ID header."""

    def send_messages(self, email_messages):
        for message in email_messages:
            record("email", message.extra_headers.get("Message-ID", ""), ",".join(message.to))
        return len(email_messages)

    def look_up(self, reference):
        return _look_up("email", reference)
