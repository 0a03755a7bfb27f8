"""While the database cannot be reached: the 503 page at once, saying whether what was sent was saved."""

import contextlib
import socket

import pytest
from django.db import OperationalError, connection, connections

from portal import outage as outage_module
from portal.outage import _WriteTracker, outage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_outage")]


@pytest.fixture
def database_down(monkeypatch, settings):
    """Every query fails as with PostgreSQL stopped, and a probe finds it still down."""
    settings.DATABASE_OUTAGE_GRACE_MS = 0

    def refuse(*args, **kwargs):
        raise OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 refused')

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(outage_module.DatabaseOutage, "probe", lambda self: False)


def test_a_page_that_needs_the_database_answers_503_saying_the_portal_is_briefly_unavailable(client, database_down):
    response = client.get("/en/advisories/")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "The portal is briefly unavailable" in response.text
    assert "Please try again in a few minutes" in response.text


def test_a_form_sent_while_the_database_is_down_is_said_not_to_be_saved(client, database_down):
    response = client.post("/en/accounts/login/", {"username": "a@example.com", "password": "whatever-it-is"})

    assert response.status_code == 503
    assert "What you sent was not saved" in response.text


def test_the_page_speaks_the_language_of_the_address(client, database_down):
    response = client.get("/ru/advisories/")

    assert response.status_code == 503
    assert '<html lang="ru">' in response.text


def test_health_answers_503_at_once_while_the_database_is_down(client, database_down):
    first = client.get("/health/")
    second = client.get("/health/")  # the outage is known: not even a query

    assert first.status_code == second.status_code == 503
    assert first.json() == {"status": "database unavailable"}


def test_once_the_outage_is_known_requests_are_answered_without_waiting_for_the_database(
    client, database_down, monkeypatch
):
    client.get("/health/")
    assert outage.down_since is not None
    monkeypatch.setattr(outage_module, "DatabaseOutageMiddleware", None)  # nothing else is needed below

    response = client.get("/en/advisories/")

    assert response.status_code == 503


def test_a_request_cut_off_by_a_restart_runs_again_once_the_database_is_back(client, monkeypatch, settings):
    settings.DATABASE_OUTAGE_GRACE_MS = 1000
    real_cursor = connection.cursor
    failures = []

    def restart_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("terminating connection due to administrator command")
        return real_cursor(*args, **kwargs)

    monkeypatch.setattr(connection, "cursor", restart_once)
    monkeypatch.setattr(outage_module.DatabaseOutage, "probe", lambda self: True)
    monkeypatch.setattr(outage_module.DatabaseOutage, "came_back", lambda self: setattr(self, "down_since", None))

    response = client.get("/health/")
    assert response.status_code == 503  # /health/ itself never waits: the load balancer must know

    failures.clear()
    response = client.get("/en/advisories/")
    assert response.status_code == 200
    assert failures == [1]
    assert outage.down_since is None


def _run(tracker, sql, *, fails=False):
    def execute(sql, params, many, context):
        if fails:
            raise OperationalError("terminating connection due to administrator command")

    with contextlib.suppress(OperationalError):
        tracker(execute, sql, None, False, {"connection": connections["default"]})


def test_a_write_outside_a_transaction_is_kept_at_once_and_a_read_keeps_nothing(monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    tracker = _WriteTracker()

    _run(tracker, "SELECT 1")
    assert not tracker.may_have_kept
    _run(tracker, 'UPDATE "django_session" SET "expire_date" = now()')
    assert tracker.may_have_kept


def test_a_transaction_cut_in_a_statement_kept_nothing_so_the_request_may_run_again(
    django_capture_on_commit_callbacks,
):
    tracker = _WriteTracker()
    with django_capture_on_commit_callbacks() as never_run:  # the transaction is cut: it never commits
        _run(tracker, 'INSERT INTO "registrations_trip" VALUES (1)')
        _run(tracker, 'INSERT INTO "registrations_stop" VALUES (1)', fails=True)

    assert never_run
    assert not tracker.may_have_kept


def test_a_committed_transaction_is_kept_and_one_cut_at_commit_may_have_been(django_capture_on_commit_callbacks):
    committed, cut_at_commit = _WriteTracker(), _WriteTracker()
    with django_capture_on_commit_callbacks(execute=True):
        _run(committed, 'INSERT INTO "registrations_trip" VALUES (1)')
    with django_capture_on_commit_callbacks():  # COMMIT failed: no statement failed, yet nothing says it was kept
        _run(cut_at_commit, 'INSERT INTO "registrations_trip" VALUES (1)')

    assert committed.kept
    assert cut_at_commit.may_have_kept and not cut_at_commit.kept


def test_the_pool_checks_each_connection_and_waits_briefly(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's")
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["pool"]["timeout"] < 1
    assert database["OPTIONS"]["connect_timeout"] <= 5


@pytest.fixture
def database_back_after(monkeypatch):
    """The database comes back at the n-th look; the looks are counted and nothing really sleeps."""
    looks, naps = [], []

    def arrange(n, *, server_answers):
        def probe(self):
            looks.append(1)
            return len(looks) >= n

        monkeypatch.setattr(outage_module.DatabaseOutage, "probe", probe)
        monkeypatch.setattr(outage_module.DatabaseOutage, "came_back", lambda self: setattr(self, "down_since", None))
        monkeypatch.setattr(outage_module, "server_answers", lambda: server_answers)
        monkeypatch.setattr(outage_module.time, "sleep", lambda seconds: naps.append(seconds))
        return naps

    return arrange


def _outage_began(seconds_ago):
    outage.down_since = outage._last_probe = outage._answered_at = outage_module.time.monotonic() - seconds_ago


def test_a_request_during_a_long_restart_waits_for_the_database_while_its_server_answers(
    client, settings, database_back_after
):
    settings.DATABASE_OUTAGE_GRACE_MS = 1000
    settings.DATABASE_RESTART_WAIT_MS = 3000
    naps = database_back_after(3, server_answers=True)  # "the database system is starting up"
    _outage_began(seconds_ago=5)  # longer ago than the grace: the restart is slow

    response = client.get("/en/advisories/")

    assert response.status_code == 200
    assert naps  # it waited instead of answering 503
    assert outage.down_since is None


def test_while_nothing_answers_requests_get_the_503_page_without_waiting_once_the_grace_is_over(
    client, settings, database_back_after
):
    settings.DATABASE_OUTAGE_GRACE_MS = 1000
    settings.DATABASE_RESTART_WAIT_MS = 3000
    naps = database_back_after(1000, server_answers=False)  # stopped: the port refuses connections
    _outage_began(seconds_ago=5)

    response = client.get("/en/advisories/")

    assert response.status_code == 503
    assert naps == []


def test_a_server_that_takes_connections_is_told_from_a_port_nobody_listens_on(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the database server is PostgreSQL's")
    assert outage_module.server_answers()

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # bound, never listening: connections are refused
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(port))
        assert not outage_module.server_answers()
