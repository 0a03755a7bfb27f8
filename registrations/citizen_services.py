"""Writes about a citizen's own records: profile, household, trips, freshness, retention, closing the account."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.outbound import absolute_url, send_templated_email

from .models import PRIVACY_NOTICE_VERSION, CitizenProfile, HouseholdMember, Stop, Trip
from .models.trips import TripStatus
from .services import _send_in_language

logger = logging.getLogger(__name__)

_PRESENCE_SALT = "registrations.still-there"


class TripNotUnderWay(Exception):
    """A trip that has not started cannot end early: it can be cancelled."""


class PresenceLinkInvalid(Exception):
    """The link was altered, has expired, or its trip is gone."""


# Profile and household ----------------------------------------------------


def save_profile(*, profile, needs_consent, privacy_consent):
    """Save a profile filled in by its owner, stamping the consents they just gave."""
    now = timezone.now()
    if not (profile.medical_needs or profile.mobility_needs or needs_consent):
        profile.needs_consent_at = None
    elif needs_consent and profile.needs_consent_at is None:
        profile.needs_consent_at = now
    if privacy_consent:
        profile.privacy_notice_version = PRIVACY_NOTICE_VERSION
        profile.privacy_consented_at = now
    profile.full_clean()
    profile.save()
    return profile


def save_household_member(*, member, needs_consent):
    if not needs_consent:
        member.needs = ""
        member.needs_consent_at = None
    elif member.needs_consent_at is None:
        member.needs_consent_at = timezone.now()
    member.full_clean()
    member.save()
    return member


# Trips ---------------------------------------------------------------------


def create_trip(*, owner, kind, travellers, phone_abroad, stops, submission_token=None):
    """Create a trip with its stops (dicts of Stop fields, in travel order); return (trip, created).

    A second submission of the same form (same token) returns the first trip:
    the unique constraint decides even when both requests arrive together.
    """
    if submission_token is not None:
        existing = Trip.objects.filter(owner=owner, submission_token=submission_token).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            trip = Trip(owner=owner, kind=kind, phone_abroad=phone_abroad, submission_token=submission_token)
            trip.full_clean(validate_constraints=False)
            trip.save()
            trip.travellers.set(travellers)
            _replace_stops(trip, stops)
    except IntegrityError:
        if submission_token is None:
            raise
        return Trip.objects.get(owner=owner, submission_token=submission_token), False
    return trip, True


def update_trip(*, trip, kind, travellers, phone_abroad, stops):
    with transaction.atomic():
        trip.kind = kind
        trip.phone_abroad = phone_abroad
        # Editing the dates is confirming them.
        trip.last_confirmed_at = timezone.now()
        if trip.status == TripStatus.ENDED:
            trip.status = TripStatus.CURRENT  # recomputed from the new dates below
        trip.full_clean(validate_constraints=False)
        trip.save()
        trip.travellers.set(travellers)
        _replace_stops(trip, stops)
    return trip


def _replace_stops(trip, stops):
    # Stops have no identity of their own yet: the form's list replaces them.
    trip.stops.all().delete()
    new_stops = [Stop(trip=trip, position=position, **fields) for position, fields in enumerate(stops)]
    for stop in new_stops:
        stop.full_clean(exclude=["trip"])
    Stop.objects.bulk_create(new_stops)
    if hasattr(trip, "_prefetched_objects_cache"):
        trip._prefetched_objects_cache.pop("stops", None)
    status = trip.status_on(timezone.localdate())
    if status != trip.status:
        trip.status = status
        trip.save(update_fields=["status", "updated_at"])


def end_trip_early(*, trip):
    """The citizen has left (or leaves today): stops after today go, the current one ends today."""
    today = timezone.localdate()
    if trip.status_on(today) != TripStatus.CURRENT:
        raise TripNotUnderWay
    with transaction.atomic():
        trip.stops.filter(arrival_date__gt=today).delete()
        trip.stops.filter(departure_date__isnull=True).update(departure_date=today)
        trip.stops.filter(departure_date__gt=today).update(departure_date=today)
        trip.status = TripStatus.ENDED
        trip.save(update_fields=["status", "updated_at"])
    return trip


def cancel_trip(*, trip):
    if trip.status != TripStatus.CANCELLED:
        trip.status = TripStatus.CANCELLED
        trip.cancelled_at = timezone.now()
        trip.save(update_fields=["status", "cancelled_at", "updated_at"])
    return trip


# Freshness -----------------------------------------------------------------


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


# Retention and the citizen's rights ----------------------------------------


def delete_expired_trips(*, now=None):
    """Delete trips (with their stops) ended or cancelled more than TRIP_RETENTION_DAYS ago; return how many."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = Trip.objects.expired(now=now)
        count = expired.count()
        expired.delete()
    # A number only: no personal data in logs.
    logger.info("Deleted %d expired trips.", count)
    return count


def update_trip_statuses(*, today=None):
    return Trip.objects.update_statuses(today=today or timezone.localdate())


def delete_account(*, user):
    """Delete the account and everything attached: profile, household, trips, stops."""
    with transaction.atomic():
        # Household members are tied to trips by a many-to-many table; delete the trips first.
        Trip.objects.filter(owner=user).delete()
        HouseholdMember.objects.filter(owner=user).delete()
        CitizenProfile.objects.filter(user=user).delete()
        user.delete()
