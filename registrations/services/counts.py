"""The staff's counts: how many of our people are where on a day, of which kind of stay, and how fresh.

Reads only. Every function takes the stops the staff member may see (for a
mission officer, their jurisdiction: Stop.objects.visible_to(user))
and aggregates in the database: one query per table, whatever the number of
stops. People are counted as Stop.objects.count_people() counts them: each
citizen once, plus each household member travelling once.

A person is counted once in a place's total, even with two stops there on the
same day. In the split by kind of stay, a person with two overlapping trips of
different kinds counts under each kind; freshness takes their most recently
confirmed trip.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_countries import countries

from portal.geography import region_name

from ..models import Stop, Trip
from ..models.trips import FRESH_DAYS, RECENT_DAYS, TripKind

# The kinds of stay, in the order the tables show them.
KINDS = [(kind.value, kind.label) for kind in TripKind]


class PlaceNames:
    """The names of a row's `country` and `region` codes, in the reader's language: every board's rows share them."""

    @property
    def country_name(self):
        return countries.name(self.country) if self.country else ""

    @property
    def region_name(self):
        return region_name(self.region) if self.region else ""


@dataclass
class PresenceRow(PlaceNames):
    """The people present in one place (a country, a region or a city) on a day."""

    country: str
    region: str = ""
    city: str = ""
    people: int = 0
    household_members: int = 0
    by_kind: list = field(default_factory=list)  # [(kind, label, people)] in KINDS order
    fresh: int = 0  # confirmed within FRESH_DAYS
    recent: int = 0  # confirmed within RECENT_DAYS, but not FRESH_DAYS
    stale: int = 0  # confirmed longer ago


def _people(prefix, condition=None):
    """Two distinct counts, citizens and household members, under `condition` (a Q on the stop)."""
    return {
        f"{prefix}_citizens": Count("trip__owner", filter=condition, distinct=True),
        f"{prefix}_members": Count("trip__travellers", filter=condition, distinct=True),
    }


def _aggregates(now):
    aggregates = _people("all")
    for kind, _label in KINDS:
        aggregates |= _people(kind, Q(trip__kind=kind))
    # Cumulative, so that each person counts once, by their freshest trip.
    aggregates |= _people("fresh", Q(trip__last_confirmed_at__gte=now - timedelta(days=FRESH_DAYS)))
    aggregates |= _people("recent", Q(trip__last_confirmed_at__gte=now - timedelta(days=RECENT_DAYS)))
    return aggregates


def _row(values, **place):
    def people(prefix):
        return values[f"{prefix}_citizens"] + values[f"{prefix}_members"]

    total, fresh, recent = people("all"), people("fresh"), people("recent")
    return PresenceRow(
        **place,
        people=total,
        household_members=values["all_members"],
        by_kind=[(kind, label, people(kind)) for kind, label in KINDS],
        fresh=fresh,
        recent=recent - fresh,
        stale=total - recent,
    )


def people_counts_queryset(stops, fields, *, now):
    """The query behind every table: one row of counts per value of `fields` (e.g. ["country"])."""
    return stops.order_by().values(*fields).annotate(**_aggregates(now))


def people_counts(stops, fields, *, now):
    """A dict of counts per value of `fields`, or one dict for all of `stops` when `fields` is empty.

    Measured at a million stops on PostgreSQL (make bench): these sixteen
    COUNT(DISTINCT) take a second or two, and a rewrite in two hashed steps
    (one row per place and person, then sums) took twice as long, spilling to
    disk. So headquarters' board is counted by the task worker, not by a
    request (board() below).
    """
    if not fields:
        return [stops.aggregate(**_aggregates(now))]
    return [dict(row) for row in people_counts_queryset(stops, fields, now=now)]


def _grouped(stops, fields, *, now, **place):
    rows = people_counts(stops, fields, now=now)
    return [_row(values, **place, **{name: values[name] for name in fields}) for values in rows]


def _most_people_first(rows, key):
    return sorted(rows, key=lambda row: (-row.people, key(row)))


def presence_by_country(stops, on, *, now=None):
    """People present on the day `on` in each country, the most populous first."""
    rows = _grouped(stops.present(on), ["country"], now=now or timezone.now())
    return _most_people_first(rows, lambda row: str(row.country_name))


def presence_total(stops, on, *, now=None):
    """Everybody present somewhere abroad on the day `on`, each person once (travel days included)."""
    (values,) = people_counts(stops.present(on), [], now=now or timezone.now())
    return _row(values, country="")


def presence_in(stops, country, on, region=None, *, now=None):
    """The totals of one country (or one of its regions, "" for none given) on the day `on`."""
    in_place = stops.present_in(country, on=on)
    if region is not None:
        # "" means the stops whose citizen gave no region, which present_in(region="") would not pick.
        in_place = in_place.filter(region=region)
    (values,) = people_counts(in_place, [], now=now or timezone.now())
    return _row(values, country=country, region=region or "")


def presence_by_region(stops, country, on, *, now=None):
    """People present on the day `on` in each region of `country` ("" when the citizen gave none)."""
    rows = _grouped(stops.present_in(country, on=on), ["region"], now=now or timezone.now(), country=country)
    return _most_people_first(rows, lambda row: (not row.region, row.region_name))


def presence_by_city(stops, country, region, on, *, now=None):
    """People present on the day `on` in each city of `country`'s `region` ("" for stops without a region)."""
    in_region = stops.present_in(country, on=on).filter(region=region)
    rows = _grouped(in_region, ["city"], now=now or timezone.now(), country=country, region=region)
    return _most_people_first(rows, lambda row: row.city)


# Headquarters' board of today, kept by the task worker.
#
# Counting everybody present at a million stops takes a second or more, and in a
# crisis every officer reloads the board. So the board is counted by the task
# worker and kept in the shared cache: a write to trips, stops or travellers asks
# for a recount (at most one waiting at a time, run STAFF_COUNTS_RECOUNT_DELAY
# seconds later so that a burst of registrations is counted once), and the board
# shows what was counted, with when. Reading it costs one cache read. Nobody
# looking at the board: nothing is counted.


def _board_key(day):
    return f"staff-counts:board:all:{day.isoformat()}"


def _queued_key(day):
    return f"staff-counts:recount-queued:{day.isoformat()}"


def board(day):
    """Headquarters' counts by country for `day`: {"rows", "total", "counted_at"}, as last counted."""
    snapshot = cache.get(_board_key(day))
    if snapshot is None:
        return recount_board(day=day)  # the first look of the day (or a cache emptied): counted now, once
    if snapshot["counted_at"] < timezone.now() - timedelta(seconds=settings.STAFF_COUNTS_CACHE_SECONDS):
        request_recount(day)  # changes no write announced (bulk loads, time passing): counted again soon
    return snapshot


def recount_board(*, day):
    """Count everybody present on `day` and keep it as the board (the task worker's job)."""
    cache.delete(_queued_key(day))  # a write from now on asks again
    stops = Stop.objects.all()
    snapshot = {
        "rows": presence_by_country(stops, day),
        "total": presence_total(stops, day),
        "counted_at": timezone.now(),
    }
    cache.set(_board_key(day), snapshot, 2 * 24 * 3600)
    return snapshot


def request_recount(day):
    """Ask the task worker to recount the board, once its transaction commits; one request waits at a time."""
    delay = settings.STAFF_COUNTS_RECOUNT_DELAY
    if not cache.add(_queued_key(day), 1, timeout=delay + 60):
        return

    def enqueue():
        from ..tasks.counts import recount_board_task

        task = recount_board_task
        if task.get_backend().supports_defer and delay:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        task.enqueue(day.isoformat())

    transaction.on_commit(enqueue)


def register_changed(sender, **kwargs):
    """A trip, stop or traveller changed: today's board (if anyone looks at it) is recounted."""
    day = timezone.localdate()
    if cache.get(_board_key(day)) is not None:
        request_recount(day)


def watch_the_register():
    """Connect register_changed to the writes that change who is where (called once, by the app's ready())."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in (Trip, Stop):
        post_save.connect(register_changed, sender=model, dispatch_uid=f"counts-save-{model.__name__}")
        post_delete.connect(register_changed, sender=model, dispatch_uid=f"counts-delete-{model.__name__}")
    m2m_changed.connect(register_changed, sender=Trip.travellers.through, dispatch_uid="counts-travellers")
