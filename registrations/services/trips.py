"""Writes about trips and their stops: register, edit, end early, cancel, keep statuses current, delete when expired."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CitizenProfile, Stop, Trip
from ..models.trips import TripStatus
from .crises import add_trip_to_open_crises

logger = logging.getLogger(__name__)


class TripNotUnderWay(Exception):
    """A trip that has not started cannot end early: it can be cancelled."""


def create_trip(*, owner, kind, travellers, phone_abroad, stops, submission_token=None):
    """Create a trip with its stops (dicts of Stop fields, in travel order); return (trip, created).

    A second submission of the same form (same token) returns the first trip:
    the unique constraint decides, even when both requests arrive together,
    so the first submission costs no lookup of its own.
    """
    try:
        with transaction.atomic():
            trip = Trip(owner=owner, kind=kind, phone_abroad=phone_abroad, submission_token=submission_token)
            # The owner is the signed-in citizen: no query to ask whether they exist.
            trip.full_clean(exclude=["owner"], validate_constraints=False)
            trip.save()
            if travellers:
                trip.travellers.add(*travellers)
            _replace_stops(trip, stops, new=True)
            add_trip_to_open_crises(trip)
    except IntegrityError:
        first = None
        if submission_token is not None:
            first = Trip.objects.filter(owner=owner, submission_token=submission_token).first()
        if first is None:
            raise
        return first, False
    return trip, True


def update_trip(*, trip, kind, travellers, phone_abroad, stops):
    with transaction.atomic():
        trip.kind = kind
        trip.phone_abroad = phone_abroad
        # Editing the dates is confirming them.
        trip.last_confirmed_at = timezone.now()
        if trip.status == TripStatus.ENDED:
            trip.status = TripStatus.CURRENT  # recomputed from the new dates below
        trip.full_clean(exclude=["owner"], validate_constraints=False)
        trip.save()
        trip.travellers.set(travellers)
        _replace_stops(trip, stops)
        add_trip_to_open_crises(trip)
    return trip


def trip_warnings(trip, *, today=None):
    """Things worth telling the citizen about a trip just saved that do not stop it being registered.

    Three queries at most, whatever the number of stops or of the citizen's other trips: the
    trip's stops (none if the service left them loaded), whether another trip overlaps it,
    and the passport's expiry date.
    """
    today = today or timezone.localdate()
    warnings = []
    prefetch_related_objects([trip], "stops")
    others = Trip.objects.filter(owner_id=trip.owner_id).not_cancelled().exclude(pk=trip.pk)
    if others.overlapping(trip).exists():
        warnings.append(_("This trip overlaps another of your trips. If one of them has changed, edit or cancel it."))
    passport_expires_on = (
        CitizenProfile.objects.filter(user_id=trip.owner_id).values_list("passport_expires_on", flat=True).first()
    )
    if passport_expires_on and trip.outlasts_passport(passport_expires_on, today=today):
        warnings.append(
            _("Your passport expires on %(date)s, before this trip ends. Renew it in time.")
            % {"date": passport_expires_on.isoformat()}
        )
    return warnings


def _replace_stops(trip, stops, *, new=False):
    # Stops have no identity of their own yet: the form's list replaces them.
    if not new:
        trip.stops.all().delete()
    new_stops = [Stop(trip=trip, position=position, **fields) for position, fields in enumerate(stops)]
    for stop in new_stops:
        # Stop.clean applies the dates rule in Python; the database's check constraint enforces it again.
        stop.full_clean(exclude=["trip"], validate_constraints=False)
    Stop.objects.bulk_create(new_stops)
    # The stops just written, loaded once (one query, whatever their number): the status below, the
    # crisis check and the warnings read them from here.
    if hasattr(trip, "_prefetched_objects_cache"):
        trip._prefetched_objects_cache.pop("stops", None)
    prefetch_related_objects([trip], "stops")
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
