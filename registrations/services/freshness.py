"""Keeping registrations fresh: "are you still there?" reminders and their one-click answers."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.outbound import absolute_url, send_templated_email

from ..models import Trip
from .accounts import _send_in_language

_PRESENCE_SALT = "registrations.still-there"


class PresenceLinkInvalid(Exception):
    """The link was altered, has expired, or its trip is gone."""


def confirm_presence(*, trip):
    """The citizen says they are still there; idempotent."""
    trip.last_confirmed_at = timezone.now()
    trip.save(update_fields=["last_confirmed_at", "updated_at"])
    return trip


def make_presence_token(trip):
    # Only the trip's number travels in the link: no name, address or ID.
    return signing.dumps(trip.pk, salt=_PRESENCE_SALT, compress=True)


def trip_for_presence_token(token):
    try:
        trip_pk = signing.loads(
            token, salt=_PRESENCE_SALT, max_age=timedelta(days=settings.REGISTRATION_RECONFIRM_AFTER_DAYS)
        )
    except signing.BadSignature:
        raise PresenceLinkInvalid from None
    trip = Trip.objects.not_cancelled().filter(pk=trip_pk).first()
    if trip is None:
        raise PresenceLinkInvalid
    return trip


def send_presence_reminders(*, now=None):
    """Ask residents and long stays not confirmed for N days whether they are still there; return how many."""
    now = now or timezone.now()
    stale = now - timedelta(days=settings.REGISTRATION_RECONFIRM_AFTER_DAYS)
    candidates = (
        Trip.objects.current_or_upcoming(today=timezone.localdate(now))
        .filter(last_confirmed_at__lte=stale)
        .exclude(reminder_sent_at__gt=stale)
        .select_related("owner__citizen_profile")
        .prefetch_related("stops")
    )
    sent = 0
    for trip in candidates:
        if not trip.needs_reconfirmation(now):
            continue
        with transaction.atomic():
            Trip.objects.filter(pk=trip.pk).update(reminder_sent_at=now)
            transaction.on_commit(lambda trip=trip: _send_presence_reminder(trip=trip))
        sent += 1
    return sent


def _send_presence_reminder(*, trip):
    profile = getattr(trip.owner, "citizen_profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    stop = trip.stop_on(timezone.localdate())
    _send_in_language(
        language,
        lambda: send_templated_email(
            to=trip.owner.email,
            template="registrations/email/still_there",
            context={
                "confirm_url": absolute_url(
                    reverse("registrations:still_there", kwargs={"token": make_presence_token(trip)})
                ),
                "place": stop,
                "last_confirmed_at": trip.last_confirmed_at,
                "dashboard_url": absolute_url(reverse("registrations:account")),
            },
        ),
    )
