"""Background work of evacuations: the SMS beside each offer and notice email (emails go through portal.tasks)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from portal import sms
from portal.tasks import retry_delay

logger = logging.getLogger(__name__)


@task()
def send_sms(*, to, body, attempt=1):
    """Send one SMS; while the provider says "try later", try again with a growing delay.

    A refused number is logged and dropped: the email carries the same
    message. Logs never name the recipient.
    """
    try:
        sms.send(to=to, body=body)
    except sms.PermanentSmsError as error:
        logger.warning("Evacuation SMS refused by the provider: %s", error.reason)
    except sms.TemporarySmsError as error:
        if attempt >= settings.EMAIL_SEND_ATTEMPTS or not send_sms.get_backend().supports_defer:
            raise
        delay = retry_delay(attempt)
        logger.warning("Evacuation SMS not sent (attempt %d, %s); trying again in %d s.", attempt, error.reason, delay)
        send_sms.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            to=to, body=body, attempt=attempt + 1
        )
