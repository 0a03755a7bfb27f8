"""How long a session lasts: idle and absolute lifetimes, citizens' and staff's, and when its owner signed in."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

# When the session's owner signed in, and when the session was last seen (Unix seconds).
SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN_AT = "portal_last_seen_at"


def mark_signed_in(request):
    """Record that the session's owner has just signed in (with their password)."""
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = int(time.time())


def signed_in_within(request, seconds):
    """Whether the session's owner signed in less than `seconds` ago."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    return signed_in_at is not None and time.time() - signed_in_at <= seconds


def lifetimes(user):
    """(idle, absolute) maximum ages of the user's sessions, in seconds."""
    if user.is_staff:
        return settings.STAFF_SESSION_IDLE_AGE, settings.STAFF_SESSION_MAX_AGE
    return settings.SESSION_COOKIE_AGE, settings.SESSION_MAX_AGE


class SessionLifetimeMiddleware:
    """A session ends after its idle age without a request, and after its absolute age whatever happens.

    Citizens: SESSION_COOKIE_AGE idle, SESSION_MAX_AGE in all; staff, shorter:
    STAFF_SESSION_IDLE_AGE and STAFF_SESSION_MAX_AGE. The sign-in view records
    the time of the sign-in in the session (a session signed in some other way
    counts from its first request). The idle deadline moves with each request,
    saved at most once a minute rather than at every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        now = int(time.time())
        session = request.session
        idle, absolute = lifetimes(request.user)
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.setdefault(LAST_SEEN_AT, now)
        if now - signed_in_at > absolute or now - last_seen_at > idle:
            logout(request)
            return
        if session.get_expiry_age() != idle or now - last_seen_at >= min(60, idle):
            session[LAST_SEEN_AT] = now
            # The session's row (and its cookie) now expire `idle` seconds from this request.
            session.set_expiry(idle)
