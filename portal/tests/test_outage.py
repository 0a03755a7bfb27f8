"""While the database cannot be reached: the 503 page at once, saying whether what was sent was saved."""

import pytest
from django.db import OperationalError, connection

from portal import outage as outage_module
from portal.outage import _WriteTracker, outage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_up_again():
    outage.down_since = None
    yield
    outage.down_since = None


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # answered as in production, by the error handler
    return client


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


def test_a_statement_that_writes_is_noted_and_a_read_is_not():
    tracker = _WriteTracker()

    def execute(sql, params, many, context):
        return None

    tracker(execute, "SELECT 1", None, False, {})
    assert not tracker.wrote
    tracker(execute, 'INSERT INTO "registrations_trip" VALUES (1)', None, False, {})
    assert tracker.wrote


def test_the_pool_checks_each_connection_and_waits_briefly(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's")
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["pool"]["timeout"] < 1
    assert database["OPTIONS"]["connect_timeout"] <= 5
