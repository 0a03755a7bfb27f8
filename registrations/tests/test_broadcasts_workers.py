"""Exactly once with real worker processes (PostgreSQL): one killed mid-send, and two sending together.

Each test runs `manage.py db_worker` processes against the test database,
sending through the recording backends into a file, and counts the file.
"""

import os
import signal
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings

from portal.sms.backends.recording import recorded
from registrations.management.commands.bench_broadcast import (
    TEXTS,
    build_citizens,
    count_outbox,
    start_worker,
    stop_workers,
    worker_environment,
)
from registrations.models import Broadcast, Delivery
from registrations.services import crises
from registrations.services.broadcasts import send_broadcast

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes need PostgreSQL's row locks"),
]
PEOPLE = 300
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def broadcast(db):
    build_citizens(PEOPLE)
    officer = get_user_model().objects.create_superuser(email="hq.workers@example.gov.kz", password=None)
    crisis = crises.open_crisis(name="Iran and Israel, June", areas=[("IR", ""), ("IL", "")], opened_by=officer)
    return Broadcast.objects.create(crisis=crisis, texts=TEXTS, by_email=True, by_sms=True, created_by=officer)


def wait_for(condition, *, seconds, workers):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        for worker in workers:
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
        time.sleep(0.02)


def assert_each_person_got_one_message_per_channel(broadcast, outbox):
    expected = set(Delivery.objects.filter(broadcast=broadcast).values_list("channel", "pk"))
    assert len(expected) == 2 * PEOPLE
    assert count_outbox(expected, recorded(outbox)) == (0, 0)  # no duplicate, none missing
    for channel in ("email", "sms"):
        recipients = [recipient for kind, _reference, recipient in recorded(outbox) if kind == channel]
        assert len(recipients) == len(set(recipients)) == PEOPLE


def sent(broadcast):
    return Broadcast.objects.get(pk=broadcast.pk).status == "sent"


def test_a_worker_killed_mid_send_and_restarted_sends_nothing_twice_and_loses_nothing(broadcast, tmp_path):
    outbox = tmp_path / "outbox.tsv"
    # Slow enough to be killed in the middle; short claims so that the restart takes over soon.
    environment = worker_environment(
        outbox, BROADCAST_EMAIL_RATE_PER_SECOND=150, BROADCAST_SMS_RATE_PER_SECOND=150, BROADCAST_CLAIM_SECONDS=2
    )
    workers = [start_worker(environment)]
    try:
        with override_settings(TASKS=DATABASE_TASKS, BROADCAST_CLAIM_SECONDS=2):
            send_broadcast(broadcast=broadcast, sent_by=broadcast.created_by)
        wait_for(lambda: len(recorded(outbox)) >= PEOPLE // 2, seconds=60, workers=workers)
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        at_kill = len(recorded(outbox))
        assert at_kill < 2 * PEOPLE, "the worker finished before it was killed"
        workers.append(start_worker(environment))
        wait_for(lambda: sent(broadcast), seconds=90, workers=workers[1:])
    finally:
        stop_workers(workers)
    assert_each_person_got_one_message_per_channel(broadcast, outbox)


def test_two_workers_sending_the_same_broadcast_deliver_each_message_once(broadcast, tmp_path):
    outbox = tmp_path / "outbox.tsv"
    environment = worker_environment(outbox, BROADCAST_BATCH_SIZE=100)
    workers = [start_worker(environment), start_worker(environment)]
    try:
        with override_settings(TASKS=DATABASE_TASKS, BROADCAST_BATCH_SIZE=100):
            send_broadcast(broadcast=broadcast, sent_by=broadcast.created_by)
        wait_for(lambda: sent(broadcast), seconds=90, workers=workers)
    finally:
        stop_workers(workers)
    assert_each_person_got_one_message_per_channel(broadcast, outbox)
