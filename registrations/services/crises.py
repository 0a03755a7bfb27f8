"""Crises: open and close them, keep their people in step with the register, estimates, retention.

The people concerned by a crisis are those present in its area today
(`Stop.objects.present`, the register's one presence rule): each citizen
once, and each household member travelling with them. They become
CrisisPerson rows when the crisis opens, when a trip into the area is
registered or changed while it is open, and again whenever a broadcast is
sent (so someone whose trip has since begun is reached too).
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django_countries import countries

from portal.geography import region_name

from ..models import Crisis, CrisisArea, CrisisCount, CrisisPerson, Estimate, Stop, Trip
from ..models.crises import CrisisStatus, PersonStatus
from .counts import PlaceNames

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
    """A trip registered or changed: its people join every open crisis whose area it is in today.

    One small query (the open crises' areas in the trip's countries, usually none), whatever the
    number of open crises or of the trip's stops; only a crisis whose area holds one of its stops
    syncs, and sync_people applies the presence rule.
    """
    places = {(stop.country.code, stop.region) for stop in trip.stops.all()}
    areas = CrisisArea.objects.filter(
        crisis__status=CrisisStatus.OPEN, country__in=sorted({country for country, _region in places})
    ).values_list("crisis_id", "country", "region")
    # area_condition's rule: the whole country (an area without a region), or the stop's region of it.
    crisis_ids = {crisis_id for crisis_id, country, region in areas if not region or (country, region) in places}
    if crisis_ids:
        for crisis in Crisis.objects.filter(pk__in=sorted(crisis_ids)):
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


# The board ---------------------------------------------------------------------------------------------------------

# The board's columns, in the order an officer reads them.
BOARD_STATUSES = [
    PersonStatus.SAFE,
    PersonStatus.NEEDS_HELP,
    PersonStatus.WANTS_TO_LEAVE,
    PersonStatus.NOT_ANSWERED,
    PersonStatus.UNREACHABLE,
    PersonStatus.LEFT_AREA,
]


@dataclass
class BoardRow(PlaceNames):
    """The people of a crisis in one place (a country, a region or a city), by their current status."""

    country: str = ""
    region: str = ""
    city: str = ""
    people: int = 0
    by_status: dict = field(default_factory=dict)  # status → people
    estimated: int | None = None  # staff's estimate of citizens present (countries only)

    def cells(self):
        """[(status, label, people)] in BOARD_STATUSES order."""
        return [(status.value, status.label, self.by_status.get(status.value, 0)) for status in BOARD_STATUSES]


def _status_counts():
    return {status.value: Count("id", filter=Q(status=status)) for status in BOARD_STATUSES}


def board(crisis, user, *, country=None, region=None):
    """(rows, total): the crisis's people the user may see, by country; or by region of `country`;
    or by city of `country`'s `region` ("" for people whose region is unknown). Two queries."""
    people = crisis.people.visible_to(user)
    fields = ["country"]
    if country:
        people = people.filter(country=country)
        fields = ["region"]
        if region is not None:
            people = people.filter(region=region)
            fields = ["city"]
    place = {"country": country or "", "region": region or ""}
    rows = []
    for values in people.order_by().values(*fields).annotate(total=Count("id"), **_status_counts()):
        row_place = {**place, **{name: values[name] for name in fields}}
        rows.append(_row(values, **row_place))
    total = _row(people.aggregate(total=Count("id"), **_status_counts()), **place)
    if not country:
        estimates = dict(crisis.estimates.values_list("country", "people"))
        for row in rows:
            row.estimated = estimates.get(row.country)
        total.estimated = sum(estimates.get(row.country, 0) for row in rows) if estimates else None
    rows.sort(key=lambda row: (-row.people, row.city or row.region or row.country))
    return rows, total


def _row(values, **place):
    return BoardRow(
        **place,
        people=values["total"] or 0,
        by_status={status.value: values[status.value] or 0 for status in BOARD_STATUSES},
    )


def chase_list(crisis, user, *, hours, now=None):
    """People still not answered `hours` after their (or their citizen's) first message: the call centre's list."""
    now = now or timezone.now()
    citizen_messaged_at = CrisisPerson.objects.filter(
        crisis=OuterRef("crisis"), citizen=OuterRef("citizen"), member__isnull=True
    ).values("first_messaged_at")[:1]
    # The phone given for the citizen's latest trip, for the call centre.
    phone_abroad = (
        Trip.objects.filter(owner=OuterRef("citizen")).exclude(phone_abroad="").order_by("-created_at")
    ).values("phone_abroad")[:1]
    return (
        crisis.people.visible_to(user)
        .filter(status=PersonStatus.NOT_ANSWERED)
        .annotate(messaged_at=Subquery(citizen_messaged_at), phone_abroad=Subquery(phone_abroad))
        .filter(messaged_at__lte=now - timedelta(hours=hours))
        .select_related("citizen__citizen_profile", "member")
        .order_by("country", "region", "city", "citizen_id", "member_id")
    )


def hxl_rows(crisis, user):
    """Counts per region for partners, with no personal data: affected, reached (answered), in need."""
    answered = ~Q(status__in=[PersonStatus.NOT_ANSWERED, PersonStatus.UNREACHABLE])
    in_need = Q(status__in=[PersonStatus.NEEDS_HELP, PersonStatus.WANTS_TO_LEAVE])
    return (
        crisis.people.visible_to(user)
        .order_by("country", "region")
        .values("country", "region")
        .annotate(affected=Count("id"), reached=Count("id", filter=answered), in_need=Count("id", filter=in_need))
    )


@dataclass
class PublicNotice:
    """An open crisis's notice to the public, with where it is."""

    name: str
    notice: str
    opened_at: object
    places: list


def public_notices():
    """The notices of the open crises that have one, newest first: what the home page tells anyone (two queries).

    Only the crisis's name, its public notice and its area: never anything about the people on its board.
    """
    crises = Crisis.objects.open().exclude(public_notice="").prefetch_related("areas").order_by("-opened_at", "-id")
    return [
        PublicNotice(
            name=crisis.name,
            notice=crisis.public_notice,
            opened_at=crisis.opened_at,
            places=[
                f"{region_name(area.region)}, {countries.name(area.country)}"
                if area.region
                else countries.name(area.country)
                for area in crisis.areas.all()
            ],
        )
        for crisis in crises
    ]
