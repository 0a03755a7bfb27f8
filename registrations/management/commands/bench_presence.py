"""Benchmark of the staff's presence queries on a million stops: `manage.py bench_presence` (or `make bench`).

Measured, not a test. The command never writes to the configured database: it
creates a throwaway one beside it, as the test runner does (test_<name> on
PostgreSQL, a temporary file on SQLite), fills it, measures, and drops it.

Each figure is the median of several runs, printed with its ratio to the same
measurement made earlier in the same process on the first --baseline stops
(same data spread, same machine, same warm caches). A ratio near 1 means the
cost does not grow with the table; a ratio near stops/baseline means it grows
linearly, like a full scan.
"""

import random
import resource
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from portal.geography import regions_of
from portal.second_factor.models import AuthenticatorDevice
from registrations.models import PRIVACY_NOTICE_VERSION, CitizenProfile, HouseholdMember, Stop, Trip
from registrations.models.trips import TripKind, TripStatus
from registrations.national_ids import make_kazakh_iin
from registrations.services import counts

# Where Kazakh citizens go, roughly: a long tail of ~60 countries; Iran and Israel ~5 % each.
COUNTRY_WEIGHTS = {"IR": 5, "IL": 5, "TR": 12, "RU": 11, "AE": 7, "CN": 6, "UZ": 5, "KG": 4, "DE": 4, "US": 4}
COUNTRY_WEIGHTS |= dict.fromkeys(["KR", "TH", "GE", "GB", "IT", "FR", "ES", "EG", "IN", "CZ"], 1.5)
LONG_TAIL = "PL MY VN JP SA QA AZ AM TJ TM MN HU AT NL BE CH SE FI NO LV LT EE UA BY CY GR BG RO RS ME HR PT IE CA AU"
COUNTRY_WEIGHTS |= dict.fromkeys(LONG_TAIL.split(), 0.5)
KIND_WEIGHTS = {
    TripKind.TOURISM: 45,
    TripKind.BUSINESS: 14,
    TripKind.STUDY: 8,
    TripKind.WORK: 10,
    TripKind.RESIDENCE: 15,
    TripKind.OTHER: 8,
}
BATCH = 5000


class Filler:
    """Adds citizens, households, trips and stops until the table holds the number of stops asked for."""

    def __init__(self, *, seed, today, now, write):
        self.rng = random.Random(seed)
        self.today, self.now, self.write = today, now, write
        self.countries = list(COUNTRY_WEIGHTS)
        self.country_weights = list(COUNTRY_WEIGHTS.values())
        # Each country's regions with a skewed popularity (capitals and hubs draw most people).
        self.regions = {}
        for code in self.countries:
            regions = [region for region, _name in regions_of(code)]
            self.rng.shuffle(regions)
            self.regions[code] = (regions, [1 / (rank + 1) for rank in range(len(regions))])
        self.stops = 0
        self.citizens = 0  # Numbers the citizens' email addresses and national IDs.
        self.no_password = make_password(None)

    def fill_until(self, target):
        started, reported = time.perf_counter(), self.stops
        while self.stops < target:
            # About two stops per citizen: a chunk of citizens gives about the stops still missing.
            self._add_citizens(min(BATCH, max(1, (target - self.stops) // 2)), target)
            if self.stops - reported >= 100_000 or self.stops >= target:
                reported = self.stops
                self.write(f"  {self.stops:>9,} stops  ({time.perf_counter() - started:.0f} s)")

    def _add_citizens(self, count, target):
        rng, today = self.rng, self.today
        User = get_user_model()
        first = self.citizens + 1
        users = User.objects.bulk_create(
            [
                User(email=f"bench.{n}@example.com", password=self.no_password, email_confirmed_at=self.now)
                for n in range(first, first + count)
            ],
            batch_size=BATCH,
        )
        self.citizens += count
        CitizenProfile.objects.bulk_create([self._profile(user, first + i) for i, user in enumerate(users)], BATCH)
        households = {
            user.pk: [
                HouseholdMember(
                    owner=user,
                    full_name=f"Member {n} of {user.pk}",
                    date_of_birth=today - timedelta(days=rng.randint(365, 70 * 365)),
                    relationship=rng.choice(["spouse", "child", "child", "parent"]),
                    citizenship="KZ" if rng.random() < 0.85 else "TR",
                )
                for n in range(rng.choice([0, 0, 0, 0, 1, 1, 2, 3]))
            ]
            for user in users
        }
        HouseholdMember.objects.bulk_create([m for members in households.values() for m in members], BATCH)

        plans = []
        for user in users:
            for _trip in range(rng.choice([1, 1, 2, 2, 3])):
                plans.append(self._plan(user, households[user.pk]))
                self.stops += len(plans[-1][1])
                if self.stops >= target:
                    break
            if self.stops >= target:
                break
        trips = Trip.objects.bulk_create([trip for trip, _stops, _travellers in plans], BATCH)
        Through = Trip.travellers.through
        Through.objects.bulk_create(
            [
                Through(trip_id=trip.pk, householdmember_id=member.pk)
                for trip, (_t, _s, travellers) in zip(trips, plans, strict=True)
                for member in travellers
            ],
            BATCH,
        )
        Stop.objects.bulk_create(
            [Stop(trip=trip, **stop) for trip, (_t, stops, _tr) in zip(trips, plans, strict=True) for stop in stops],
            BATCH,
        )

    def _profile(self, user, serial):
        rng = self.rng
        # National IDs are unique: 2,500 people per birth date, four serials apart (a serial whose
        # check digit fails moves to the next one).
        born = self.today - timedelta(days=19 * 365 + serial // 2500 * 7)
        female = rng.random() < 0.5
        return CitizenProfile(
            user=user,
            surname_latin=f"SURNAME{serial}",
            given_names_latin="AIGERIM" if female else "ASKAR",
            full_name_native=f"Фамилия{serial}",
            date_of_birth=born,
            national_id=make_kazakh_iin(born, female=female, serial=serial % 2500 * 4),
            passport_number=f"N{10_000_000 + serial}",
            passport_expires_on=self.today + timedelta(days=rng.randint(-30, 3650)),
            phone=f"+7701{rng.randint(10**6, 10**7 - 1)}",
            preferred_language=rng.choice(["ru", "kk", "en"]),
            preferred_channel="email",
            emergency_contact_name="Contact",
            emergency_contact_relation="mother",
            emergency_contact_phone="+77020000000",
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            privacy_consented_at=self.now,
        )

    def _plan(self, user, household):
        """A trip (not saved), its stops as dicts, and the household members who travel."""
        rng, today = self.rng, self.today
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        travellers = rng.sample(household, rng.randint(1, len(household))) if household and rng.random() < 0.5 else []
        stops = []
        if kind == TripKind.RESIDENCE:
            # Residents: one stay begun up to six years ago, without a departure date.
            stops.append(self._stop(0, today - timedelta(days=rng.randint(0, 2200)), None))
        else:
            arrival = today + timedelta(days=rng.randint(-400, 90))
            long_stay = kind in {TripKind.STUDY, TripKind.WORK}
            for position in range(rng.choices([1, 2, 3], weights=[65, 25, 10])[0]):
                departure = arrival + timedelta(days=rng.randint(30, 300) if long_stay else rng.randint(1, 21))
                stops.append(self._stop(position, arrival, departure))
                arrival = departure
        starts, ends = stops[0]["arrival_date"], stops[-1]["departure_date"]
        if rng.random() < 0.03:
            status = TripStatus.CANCELLED
        elif starts > today:
            status = TripStatus.PLANNED
        elif ends is not None and ends < today:
            status = TripStatus.ENDED
        else:
            status = TripStatus.CURRENT
        confirmed_days_ago = rng.randint(0, 720 if kind == TripKind.RESIDENCE else 120)
        trip = Trip(
            owner=user,
            kind=kind,
            status=status,
            cancelled_at=self.now if status == TripStatus.CANCELLED else None,
            last_confirmed_at=self.now - timedelta(days=confirmed_days_ago),
        )
        return trip, stops, travellers

    def _stop(self, position, arrival, departure):
        rng = self.rng
        country = rng.choices(self.countries, weights=self.country_weights)[0]
        regions, weights = self.regions[country]
        region = rng.choices(regions, weights=weights)[0] if regions and rng.random() < 0.92 else ""
        return {
            "position": position,
            "country": country,
            "region": region,
            "city": f"City {rng.randint(1, 4)} of {region or country}",
            "address": "Hotel",
            "arrival_date": arrival,
            "departure_date": departure,
        }


def median_seconds(action, runs):
    action()  # Warm-up: connection, caches, compiled templates.
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Command(BaseCommand):
    help = (
        "Fill a throwaway database with --stops stops (1,000,000 by default) and time the staff's counts "
        "query and the filtered presence list. Never touches the configured database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stops", type=int, default=1_000_000, help="stops to fill (default 1,000,000)")
        parser.add_argument(
            "--baseline", type=int, default=10_000, help="stops at the baseline measurement (default 10,000)"
        )
        parser.add_argument("--runs", type=int, default=5, help="runs per measurement; the median is printed")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, stops, baseline, runs, seed, **options):
        if not 0 < baseline < stops:
            raise CommandError("--baseline must be at least 1 and smaller than --stops.")
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        vendor = connection.vendor
        if vendor not in {"sqlite", "postgresql"}:
            raise CommandError(f"The benchmark knows SQLite and PostgreSQL, not {vendor}.")
        scratch = None
        if vendor == "sqlite":
            # On disk, as a deployment would be, rather than SQLite's default in-memory test database.
            scratch = Path(tempfile.mkdtemp(prefix="bench_presence_"))
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(scratch / "bench.sqlite3")
        configured = connection.settings_dict["NAME"]
        self.stdout.write(f"Creating a throwaway {vendor} database (the configured one, {configured}, is not touched)")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        self.stdout.write(f"  {connection.settings_dict['NAME']}")
        try:
            # Measured as in production: no query log, no template debugging.
            with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
                self._run(stops=stops, baseline=baseline, runs=runs, seed=seed)
        finally:
            connection.creation.destroy_test_db(configured, verbosity=0)
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
            self.stdout.write("Throwaway database dropped.")

    def _run(self, *, stops, baseline, runs, seed):
        now = timezone.now()
        today = timezone.localdate(now)
        client, page_name, page_url = self._staff_client()
        filler = Filler(seed=seed, today=today, now=now, write=self.stdout.write)
        measurements = {
            "(a) the board by country, as officers read it (counts.board: kept by the worker)": lambda: counts.board(
                today
            ),
            "(a1) the worker's recount of the board (off the request; after each burst of writes)": lambda: (
                counts.recount_board(day=today)
            ),
            "(a2) counts by region in Iran, today (presence_by_region)": lambda: counts.presence_by_region(
                Stop.objects.all(), "IR", today
            ),
            f"(b) {page_name} page, {page_url}, first look (city list and row count not yet shared)": lambda: (
                cache.clear(),
                self._get(client, page_url),
            ),
            f"(b2) {page_name} page, {page_url}": lambda: self._get(client, page_url),
            "(-) SELECT 1, a round trip for scale": self._select_one,
        }

        self.stdout.write(f"Filling the baseline: {baseline:,} stops")
        filler.fill_until(baseline)
        self._analyze()
        base = {name: median_seconds(action, runs) for name, action in measurements.items()}

        self.stdout.write(f"Filling up to {stops:,} stops")
        filler.fill_until(stops)
        self._analyze()
        self._describe(today)
        full = {name: median_seconds(action, runs) for name, action in measurements.items()}

        self.stdout.write("")
        self.stdout.write(
            f"{connection.vendor}: median of {runs} runs; ratio = time on {stops:,} stops / time on the first "
            f"{baseline:,} stops (same spread, same process). ~1: the cost does not grow with the table; "
            f"~{stops / baseline:,.0f}: it grows linearly."
        )
        for name in measurements:
            ratio = full[name] / base[name] if base[name] else float("nan")
            self.stdout.write(
                f"  {name}\n      {full[name] * 1000:10.2f} ms on {stops:,}   "
                f"{base[name] * 1000:8.2f} ms on {baseline:,}   ratio {ratio:6.1f}"
            )
        self._export(client)
        if connection.vendor == "postgresql":
            fields = [["country"], ["region"]]
            querysets = [
                Stop.objects.present(today),
                Stop.objects.present_in("IR", on=today),
            ]
            for grouping, queryset in zip(fields, querysets, strict=True):
                plan = counts.people_counts_queryset(queryset, grouping, now=now).explain(analyze=True)
                index_used = "registrations_presence_idx" in plan
                self.stdout.write(f"\nEXPLAIN ANALYZE, counts by {grouping[0]} (presence index used: {index_used}):")
                self.stdout.write(plan)

    def _export(self, client):
        """The CSV export of everybody present today: first byte, the 100,000th row, all rows, memory."""
        url = reverse("admin:registrations_presence_export")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        response = client.get(url)
        first = hundred_thousand = None
        lines = size = 0
        for chunk in response.streaming_content:
            if first is None:
                first = time.perf_counter() - started
            lines += chunk.count(b"\n")
            size += len(chunk)
            if hundred_thousand is None and lines > 100_000:
                hundred_thousand = time.perf_counter() - started
        total = time.perf_counter() - started
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        at_100k = f"{hundred_thousand:.1f} s" if hundred_thousand else "fewer rows"
        self.stdout.write(
            f"\n(c) CSV export of everybody present today, {url}: {lines - 1:,} rows, {size / 1e6:.1f} MB; "
            f"first byte {first * 1000:.0f} ms, 100,000th row {at_100k}, all {total:.1f} s "
            f"({(lines - 1) / total:,.0f} rows/s); peak memory grew {grown:.1f} MB"
        )

    def _staff_client(self):
        """A superuser's client with a session verified by a TOTP device, and the presence list's address."""
        user = get_user_model().objects.create_superuser(email="bench.officer@example.gov.kz", password=None)
        device = AuthenticatorDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        query = urlencode({"country": "IR"})
        return client, "presence list", f"{reverse('admin:registrations_presence_changelist')}?{query}"

    @staticmethod
    def _get(client, url):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    @staticmethod
    def _select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def _analyze(self):
        # Fresh planner statistics and visibility map, as autovacuum gives a long-lived table (it vacuums
        # after inserts too, PostgreSQL 13+): index-only scans, such as the city filter's, rely on it.
        # SQLite has ANALYZE, and nothing to vacuum for it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def _describe(self, today):
        stops = Stop.objects.count()
        present = Stop.objects.present(today).count()
        iran = Stop.objects.present_in("IR", on=today).count_people()
        self.stdout.write(
            f"Data: {stops:,} stops, {Trip.objects.count():,} trips, {CitizenProfile.objects.count():,} citizens, "
            f"{HouseholdMember.objects.count():,} household members; {present:,} stops present today, "
            f"{iran:,} people in Iran today."
        )
