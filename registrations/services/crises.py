"""Crises: open and close them, keep their people in step with the register, estimates, retention.

The people concerned by a crisis are those present in its area today
(`Stop.objects.present`, the register's one presence rule): each citizen
once, and each household member travelling with them. They become
CrisisPerson rows when the crisis opens, when a trip into the area is
registered or changed while it is open, and again whenever a broadcast is
sent (so someone whose trip has since begun is reached too).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Crisis, CrisisArea, CrisisCount, CrisisPerson, Estimate, Stop, Trip
from ..models.crises import CrisisStatus

logger = logging.getLogger(__name__)

BATCH = 2000


def area_condition(crisis, prefix=""):
    """A Q on Stop (or on a model with country/region fields, under `prefix`) for the crisis's area."""
    condition = Q(pk__in=[])
    whole_countries = []
    for country, region in crisis.areas.values_list("country", "region"):
        if region:
            condition |= Q(**{f"{prefix}country": country, f"{prefix}region": region})
        else:
            whole_countries.append(country)
    if whole_countries:
        condition |= Q(**{f"{prefix}country__in": whole_countries})
    return condition


def open_crisis(*, name, areas, opened_by, public_notice=""):
    """Open a crisis over `areas` ([(country, region or "")]) and put everyone present there on its board."""
    with transaction.atomic():
        crisis = Crisis(name=name, public_notice=public_notice, opened_by=opened_by, status=CrisisStatus.OPEN)
        crisis.full_clean()
        crisis.save()
        for country, region in areas:
            area = CrisisArea(crisis=crisis, country=country, region=region or "")
            area.full_clean(exclude=["crisis"])
            area.save()
        sync_people(crisis)
    return crisis


def sync_people(crisis, *, today=None, trips=None):
    """Add everyone present in the crisis's area today (of `trips` only, if given) who is not on its board yet.

    Idempotent and safe to run concurrently: the unique constraints decide,
    and rows already there are left as they are. Returns how many joined.
    """
    if not crisis.is_open:
        return 0
    stops = Stop.objects.present(today).filter(area_condition(crisis))
    if trips is not None:
        stops = stops.filter(trip__in=trips)
    places = {}  # trip id → (owner id, country, region, city) of its first stop in the area today
    for trip_id, owner_id, country, region, city in stops.order_by("trip_id", "position", "arrival_date").values_list(
        "trip_id", "trip__owner_id", "country", "region", "city"
    ):
        places.setdefault(trip_id, (owner_id, country, region, city))
    if not places:
        return 0
    now = timezone.now()
    people = {}
    for owner_id, country, region, city in places.values():
        people.setdefault(("citizen", owner_id), (owner_id, None, country, region, city))
    travellers = Trip.travellers.through.objects.filter(trip_id__in=list(places)).values_list(
        "trip_id", "householdmember_id"
    )
    for trip_id, member_id in travellers:
        owner_id, country, region, city = places[trip_id]
        people.setdefault(("member", member_id), (owner_id, member_id, country, region, city))
    before = crisis.people.count()
    rows = [
        CrisisPerson(
            crisis=crisis,
            citizen_id=owner_id,
            member_id=member_id,
            country=country,
            region=region,
            city=city,
            joined_at=now,
        )
        for owner_id, member_id, country, region, city in people.values()
    ]
    CrisisPerson.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return crisis.people.count() - before


def add_trip_to_open_crises(trip):
    """A trip registered or changed: its people join every open crisis whose area it is in today."""
    for crisis in Crisis.objects.open().prefetch_related("areas"):
        sync_people(crisis, trips=[trip])


def close_crisis(*, crisis):
    """Close the crisis: its check-in links stop working; its data is deleted CRISIS_RETENTION_DAYS later."""
    if crisis.is_open:
        crisis.status = CrisisStatus.CLOSED
        crisis.closed_at = timezone.now()
        crisis.save(update_fields=["status", "closed_at"])
    return crisis


def set_estimate(*, crisis, country, people, source):
    estimate, _created = Estimate.objects.update_or_create(
        crisis=crisis, country=country, defaults={"people": people, "source": source}
    )
    return estimate


def purge_closed_crises(*, now=None):
    """Delete the personal data of crises closed more than CRISIS_RETENTION_DAYS ago, keeping their counts.

    Answers, notes, help requests, deliveries, SMS received and the people
    on the board go; CrisisCount rows (people by country, region and last
    status) stay. Returns how many crises were purged.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CRISIS_RETENTION_DAYS)
    purged = 0
    for crisis in Crisis.objects.filter(status=CrisisStatus.CLOSED, closed_at__lt=cutoff, purged_at__isnull=True):
        with transaction.atomic():
            counts = crisis.people.order_by().values("country", "region", "status").annotate(people=Count("id"))
            CrisisCount.objects.bulk_create(
                [CrisisCount(crisis=crisis, **row) for row in counts], ignore_conflicts=True
            )
            from ..models import InboundMessage

            InboundMessage.objects.filter(person__crisis=crisis).delete()
            # Deleting the people cascades to their check-ins, help requests (and notes) and deliveries.
            crisis.people.all().delete()
            crisis.purged_at = now
            crisis.save(update_fields=["purged_at"])
        purged += 1
    # Counts only: no personal data in logs.
    logger.info("Deleted the personal data of %d closed crises.", purged)
    return purged
