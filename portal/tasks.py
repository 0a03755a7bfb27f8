"""Background work every app shares: sending the emails of portal.outbound's catalogue."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def is_temporary(error):
    """A server that is down, times out or answers 4xx is worth trying again; a 5xx or a refused address is not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, OSError)  # smtplib's other errors are OSErrors too


def send_message(message):
    """Send one rendered email (portal.outbound.queue_email's dict) now."""
    EmailMessage(
        message["subject"], message["body"], settings.DEFAULT_FROM_EMAIL, [message["to"]], headers=message["headers"]
    ).send()


def retry_delay(attempt):
    """Seconds before attempt `attempt + 1`: 1, 2, 4… minutes, at most an hour."""
    return min(60 * 2 ** (attempt - 1), 3600)


@task()
def send_email(*, message, attempt=1):
    """Send one email; while the mail server is unreachable, try again later with a growing delay.

    After EMAIL_SEND_ATTEMPTS attempts the task fails and stays in the task
    table for the IT team. Logs name the email's kind, never its recipient.
    """
    try:
        send_message(message)
    except OSError as error:
        if (
            not is_temporary(error)
            or attempt >= settings.EMAIL_SEND_ATTEMPTS
            or not send_email.get_backend().supports_defer
        ):
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "Email %r not sent (attempt %d, %s); trying again in %d s.",
            message["name"],
            attempt,
            type(error).__name__,
            delay,
        )
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            message=message, attempt=attempt + 1
        )
