"""What leaves the portal: absolute links, signed links, and emails.

- `absolute_url`: every link in an email, a feed or the API is built on SITE_URL.
- `SignedLink`: every signed link (confirm an address, "still there?",
  subscriptions…) is made and read here, each purpose with its own salt and
  maximum age, so a token made for one purpose is refused by every other.
- `queue_email`: every email comes from one catalogue (EMAILS), is rendered
  in the recipient's language when it is asked for, and is sent by a
  background task (portal.tasks.send_email) once the transaction commits.
  A mail server that is down never fails the request that asked for the
  email; the task retries until it is back.
- One address is mailed at most EMAIL_RECIPIENT_LIMIT of the emails anyone
  can ask for (ON_REQUEST: sign-up, password reset, subscription…) per
  EMAIL_RECIPIENT_WINDOW seconds, whoever asks and from wherever: the rest
  are dropped, and logged by kind, without the address. Counted in the shared
  cache, by a keyed hash of the address.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac

# Every email the portal sends: its name → the templates `<path>_subject.txt` and `<path>.txt`.
EMAILS = {
    # registrations
    "confirm_email": "registrations/email/confirm_email",
    "account_exists": "registrations/email/account_exists",
    "password_reset": "registrations/email/password_reset",
    "still_there": "registrations/email/still_there",
    "crisis_broadcast": "registrations/email/crisis_broadcast",
    "seat_offer": "registrations/evacuations/email/seat_offer",
    "evacuation_notice": "registrations/evacuations/email/evacuation_notice",
    # advisories
    "confirm_subscription": "advisories/email/confirm_subscription",
    "major_update": "advisories/email/major_update",
}


# The emails anyone can make the portal send to an address they type: limited per recipient.
ON_REQUEST = frozenset({"confirm_email", "account_exists", "password_reset", "confirm_subscription"})

logger = logging.getLogger(__name__)


def absolute_url(path):
    """The path on the portal's public address (SITE_URL).

    Not the request's Host header: links in emails and feeds stay right behind
    a proxy, work where there is no request (tasks, cron), and cannot be
    steered by a forged Host.
    """
    return f"{settings.SITE_URL}{path}"


class LinkInvalid(Exception):
    """The token was altered, or made for another purpose."""


class LinkExpired(LinkInvalid):
    """The token is genuine but older than its purpose allows."""


@dataclass(frozen=True)
class SignedLink:
    """One purpose of signed links: its salt, and how long its tokens are good for.

    `max_age` is a setting's name in seconds, or a function returning a
    timedelta (both read at use, so tests and deployments can change them);
    None means no limit in time (the purpose then needs another end, such as
    the object the token names being gone).
    Only the value given travels in the link: make it an id, never a name,
    address or number.
    """

    salt: str
    max_age: str | Callable[[], timedelta] | None = None

    def make(self, value):
        return signing.dumps(value, salt=self.salt, compress=True)

    def read(self, token):
        """The value the token was made for; LinkExpired or LinkInvalid otherwise."""
        try:
            return signing.loads(token, salt=self.salt, max_age=self._max_age())
        except signing.SignatureExpired:
            raise LinkExpired from None
        except (signing.BadSignature, TypeError, ValueError):
            raise LinkInvalid from None

    def _max_age(self):
        if isinstance(self.max_age, str):
            return timedelta(seconds=getattr(settings, self.max_age))
        return self.max_age() if self.max_age else None


def render_email(name, *, language, context):
    """(subject, body) of the catalogue's email `name`, in `language`."""
    template = EMAILS[name]
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def recipient_allows(name, to):
    """Whether `to` may receive one more email `name` now (and count it); always, for emails nobody can ask for."""
    if name not in ON_REQUEST:
        return True
    window = settings.EMAIL_RECIPIENT_WINDOW
    digest = salted_hmac("portal.outbound.recipient", to.strip().lower()).hexdigest()[:32]
    key = f"outbound:recipient:{digest}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= settings.EMAIL_RECIPIENT_LIMIT


def queue_email(name, *, to, language, context, headers=None):
    """Render the email now, in the recipient's language; send it in the background after the commit.

    Returns whether it was queued: False when the recipient had their share of ON_REQUEST emails.
    """
    from .tasks import send_email

    if not recipient_allows(name, to):
        logger.warning("Email %r not queued: its recipient had their share of emails for now.", name)
        return False
    subject, body = render_email(name, language=language, context=context)
    message = {"name": name, "to": to, "subject": subject, "body": body, "headers": headers or {}}
    transaction.on_commit(lambda: send_email.enqueue(message=message))
    return True
