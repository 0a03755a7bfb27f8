"""Keeping registrations fresh: "are you still there?" reminders and their one-click answers."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from portal.outbound import LinkInvalid, SignedLink, absolute_url, queue_email

from ..models import Trip

# Only the trip's number travels in the link: no name, address or ID. Good until the next reminder is due.
PRESENCE_LINK = SignedLink(
    salt="registrations.still-there", max_age=lambda: timedelta(days=settings.REGISTRATION_RECONFIRM_AFTER_DAYS)
)


class PresenceLinkInvalid(Exception):
    """The link was altered, has expired, or its trip is gone."""


def confirm_presence(*, trip):
    """The citizen says they are still there; idempotent."""
    trip.last_confirmed_at = timezone.now()
    trip.save(update_fields=["last_confirmed_at", "updated_at"])
    return trip


def make_presence_token(trip):
    return PRESENCE_LINK.make(trip.pk)


def trip_for_presence_token(token):
    try:
        trip_pk = PRESENCE_LINK.read(token)
    except LinkInvalid:
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
            _send_presence_reminder(trip=trip)
        sent += 1
    return sent


def _send_presence_reminder(*, trip):
    profile = getattr(trip.owner, "citizen_profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    with translation.override(language):
        confirm_path = reverse("registrations:still_there", kwargs={"token": make_presence_token(trip)})
        dashboard_path = reverse("registrations:account")
    queue_email(
        "still_there",
        to=trip.owner.email,
        language=language,
        context={
            "confirm_url": absolute_url(confirm_path),
            "place": trip.stop_on(timezone.localdate()),
            "last_confirmed_at": trip.last_confirmed_at,
            "dashboard_url": absolute_url(dashboard_path),
        },
    )
