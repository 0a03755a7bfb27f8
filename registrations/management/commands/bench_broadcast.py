"""Benchmark of a crisis broadcast to 100,000 people: `manage.py bench_broadcast` (or `make bench-broadcast`).

Measured, not a test, on PostgreSQL only (what a ministry runs). The command
never writes to the configured database: it creates a throwaway one beside it
(test_<name>), fills it with citizens present in Iran and Israel, opens a
crisis over both, sends one broadcast by email and SMS through the recording
backends (portal/sms/backends/recording.py: a file instead of a provider), with
two `manage.py db_worker` processes, and prints:

- the time until every delivery is queued (recipients resolved, rows created),
- the time until every delivery is recorded as handed over,
- deliveries per second, and the duplicates and missing messages (both must be 0).
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from portal.sms.backends.recording import recorded
from registrations.models import PRIVACY_NOTICE_VERSION, Broadcast, CitizenProfile, Delivery, Stop, Trip
from registrations.models.broadcasts import BroadcastStatus
from registrations.models.trips import TripKind, TripStatus
from registrations.national_ids import make_kazakh_iin
from registrations.services import crises
from registrations.services.broadcasts import send_broadcast

BATCH = 5000
PLACES = [
    ("IR", "IR-23", "Tehran"),
    ("IR", "IR-10", "Isfahan"),
    ("IL", "IL-TA", "Tel Aviv"),
    ("IL", "IL-JM", "Jerusalem"),
]
TEXTS = {
    "ru": "Посольство: оставайтесь в укрытии, документы держите при себе.",  # noqa: RUF001
    "kk": "Елшілік: баспанада болыңыз, құжаттарыңыз жаныңызда болсын.",
    "en": "Embassy: stay in shelter and keep your documents with you.",
}


def build_citizens(count, *, first=1, now=None):
    """`count` citizens with a profile and a current trip in Iran or Israel, fast: bulk inserts, no hashing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    unusable = make_password(None)
    languages = ["ru", "kk", "en"]
    User = get_user_model()
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        users = User.objects.bulk_create(
            [User(email=f"crisis.{n}@example.com", password=unusable, email_confirmed_at=now) for n in numbers]
        )
        CitizenProfile.objects.bulk_create(
            [
                CitizenProfile(
                    user=user,
                    surname_latin=f"SURNAME{n}",
                    given_names_latin="AIGERIM",
                    full_name_native=f"Фамилия{n}",
                    date_of_birth=today - timedelta(days=20 * 365 + n // 2500),
                    national_id=make_kazakh_iin(
                        today - timedelta(days=20 * 365 + n // 2500), female=True, serial=n % 2500 * 4
                    ),
                    passport_number=f"N{10_000_000 + n}",
                    passport_expires_on=today + timedelta(days=900),
                    phone=f"+7701{n:07d}",
                    preferred_language=languages[n % 3],
                    preferred_channel="email",
                    emergency_contact_name="Contact",
                    emergency_contact_relation="mother",
                    emergency_contact_phone="+77020000000",
                    privacy_notice_version=PRIVACY_NOTICE_VERSION,
                    privacy_consented_at=now,
                )
                for n, user in zip(numbers, users, strict=True)
            ]
        )
        trips = Trip.objects.bulk_create(
            [
                Trip(
                    owner=user,
                    kind=TripKind.WORK,
                    status=TripStatus.CURRENT,
                    # One in five has not confirmed for long: the first broadcast asks them where they are.
                    last_confirmed_at=now - timedelta(days=200 if n % 5 == 0 else 10),
                )
                for n, user in zip(numbers, users, strict=True)
            ]
        )
        Stop.objects.bulk_create(
            [
                Stop(
                    trip=trip,
                    country=PLACES[n % len(PLACES)][0],
                    region=PLACES[n % len(PLACES)][1],
                    city=PLACES[n % len(PLACES)][2],
                    arrival_date=today - timedelta(days=30),
                    departure_date=today + timedelta(days=30),
                )
                for n, trip in zip(numbers, trips, strict=True)
            ]
        )


def database_url():
    """The address of the database Django is connected to now (the throwaway one), for worker processes."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(outbox, **extra):
    """The environment of a db_worker sending through the recording backends into `outbox`."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        # Production-like (no query log), with this process's keys: the same links and signatures.
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "IDENTIFIER_HMAC_KEY": settings.IDENTIFIER_HMAC_KEY,
        "STATIC_MANIFEST": "0",
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "portal.sms.backends.recording.EmailBackend",
        "SMS_BACKEND": "portal.sms.backends.recording.SmsBackend",
        "OUTBOX_RECORDING_FILE": str(outbox),
        **{name: str(value) for name, value in extra.items()},
    }


def start_worker(environment):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", "-v0"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop_workers(workers):
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
    for worker in workers:
        worker.wait(timeout=30)


def delivery_of(channel, reference):
    """The delivery id a recorded message was for: an SMS's reference, or from an email's Message-ID."""
    match = re.search(r"delivery-(\d+)@", reference) if channel == "email" else re.fullmatch(r"\d+", reference)
    return int(match.group(1) if channel == "email" else match.group(0)) if match else None


def count_outbox(expected, lines):
    """(duplicates, missing) of the recorded `lines` against the `expected` (channel, delivery id) pairs."""
    counts = Counter((channel, delivery_of(channel, reference)) for channel, reference, _recipient in lines)
    duplicates = sum(count - 1 for count in counts.values() if count > 1)
    missing = len(expected - set(counts))
    return duplicates, missing


class Command(BaseCommand):
    help = (
        "Send a crisis broadcast to --people citizens (100,000 by default) by email and SMS through recording "
        "backends with two db_worker processes, in a throwaway PostgreSQL database, and time it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--channels", default="email,sms", help="email, sms or email,sms (default)")
        parser.add_argument("--timeout", type=int, default=600, help="seconds before giving up")

    def handle(self, *args, people, workers, channels, timeout, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The broadcast benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
        configured = connection.settings_dict["NAME"]
        self.stdout.write(f"Creating a throwaway database (the configured one, {configured}, is not touched)")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        outbox = Path(tempfile.mkdtemp(prefix="bench_broadcast_")) / "outbox.tsv"
        try:
            with override_settings(DEBUG=False, TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
                self._run(people=people, workers=workers, channels=channels.split(","), timeout=timeout, outbox=outbox)
        finally:
            connection.close()
            connection.creation.destroy_test_db(configured, verbosity=0)
            outbox.unlink(missing_ok=True)
            outbox.parent.rmdir()
            self.stdout.write("Throwaway database dropped.")

    def _run(self, *, people, workers, channels, timeout, outbox):
        started = time.perf_counter()
        build_citizens(people)
        officer = get_user_model().objects.create_superuser(email="bench.officer@example.gov.kz", password=None)
        crisis = crises.open_crisis(name="Iran and Israel, June", areas=[("IR", ""), ("IL", "")], opened_by=officer)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Built {people:,} citizens and a crisis of {crisis.people.count():,} people "
            f"in {time.perf_counter() - started:.0f} s."
        )
        broadcast = Broadcast.objects.create(
            crisis=crisis, texts=TEXTS, by_email="email" in channels, by_sms="sms" in channels, created_by=officer
        )
        environment = worker_environment(
            outbox, BROADCAST_EMAIL_RATE_PER_SECOND=0, BROADCAST_SMS_RATE_PER_SECOND=0, BROADCAST_CLAIM_SECONDS=60
        )
        pool = [start_worker(environment) for _worker in range(workers)]
        try:
            clicked = time.perf_counter()
            send_broadcast(broadcast=broadcast, sent_by=officer)  # Autocommit: the tasks are queued now.
            queued_in = self._wait(lambda: Broadcast.objects.get(pk=broadcast.pk).queued_at, clicked, timeout, pool)
            total = Delivery.objects.filter(broadcast=broadcast).count()
            self.stdout.write(f"Queued {total:,} deliveries in {queued_in:.1f} s; sending…")
            recorded_in = self._wait(lambda: self._lines(outbox) >= total, clicked, timeout, pool)
            self._wait(
                lambda: Broadcast.objects.get(pk=broadcast.pk).status == BroadcastStatus.SENT, clicked, timeout, pool
            )
        finally:
            stop_workers(pool)
        expected = set(Delivery.objects.filter(broadcast=broadcast).values_list("channel", "pk"))
        duplicates, missing = count_outbox(expected, recorded(outbox))
        sending = recorded_in - queued_in
        self.stdout.write("")
        self.stdout.write(f"people                       {people:>10,}")
        self.stdout.write(f"deliveries                   {len(expected):>10,}  ({', '.join(channels)})")
        self.stdout.write(f"workers                      {workers:>10}")
        self.stdout.write(f"queued after                 {queued_in:>10.1f} s  (target < 60 s)")
        self.stdout.write(f"all recorded after           {recorded_in:>10.1f} s  (target < 120 s)")
        self.stdout.write(f"deliveries per second        {len(expected) / recorded_in:>10,.0f}  (from the click)")
        self.stdout.write(f"  while sending              {len(expected) / max(sending, 0.001):>10,.0f}")
        self.stdout.write(f"duplicates                   {duplicates:>10}")
        self.stdout.write(f"missing                      {missing:>10}")

    @staticmethod
    def _lines(outbox):
        try:
            with open(outbox, "rb") as file:
                return sum(1 for _line in file)
        except FileNotFoundError:
            return 0

    def _wait(self, condition, since, timeout, pool):
        while not condition():
            if time.perf_counter() - since > timeout:
                raise CommandError(f"Gave up after {timeout} s.")
            for worker in pool:
                if worker.poll() is not None:
                    raise CommandError(f"A worker stopped: {worker.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
        return time.perf_counter() - since
