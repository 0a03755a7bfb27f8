"""The answer while the database is down or restarting: at once, and saying whether anything was saved.

While PostgreSQL is down, every request gets the 503 page at once
(templates/503.html, saying whether what was sent was saved) instead of
waiting for the connection pool's timeout, and `/health/` answers 503 so a load
balancer takes the node out. A request that met a connection dropped by a
restart waits for the database to come back and runs once more, unless what it
wrote may have been kept (a view marked runs_twice_safely runs again even then):
a restart costs only the requests cut at their commit.
Requests wait while the database's server still answers (shutting down or
starting up: a restart), each at most DATABASE_RESTART_WAIT_MS; when nothing
answers at all, only during DATABASE_OUTAGE_GRACE_MS from the start of the
outage, then the 503 page comes at once.

Django turns an exception into a response inside each middleware, so the
error handler (portal.views.server_error) marks the request and this
middleware, outermost but for SecurityMiddleware, decides what to do.
"""

import logging
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.shortcuts import render
from django.utils import translation

logger = logging.getLogger(__name__)


def runs_twice_safely(view):
    """Mark a view whose second run of one request changes nothing more (its submission token sees to it).

    When a restart cuts the connection after such a view committed (while it
    reads what to show next), the request runs again and the citizen sees the
    page they would have, instead of "part of it may have been saved".
    """
    view.runs_twice_safely = True
    return view


def _runs_twice_safely(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and getattr(match.func, "runs_twice_safely", False)


def is_database_unavailable(exception):
    """Whether an exception says the database cannot be reached (down, restarting, no connection free)."""
    return isinstance(exception, OperationalError | InterfaceError)


class _WriteTracker:
    """An execute wrapper telling whether what this request wrote may have been kept.

    A write in autocommit mode is kept at once; one inside a transaction only once
    the transaction commits (on_commit says so). When a statement fails because the
    connection was cut, PostgreSQL rolls its transaction back: nothing of it was
    kept, and the request may run again. A connection cut at COMMIT itself leaves
    it unknown, so that is "may have been kept".
    """

    _READS = ("SELECT", "SAVEPO", "RELEAS", "SET ", "SHOW")

    def __init__(self):
        self.kept = False
        self.uncommitted = False
        self.cut_in_statement = False

    @property
    def may_have_kept(self):
        return self.kept or (self.uncommitted and not self.cut_in_statement)

    def __call__(self, execute, sql, params, many, context):
        try:
            result = execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            self.cut_in_statement = True
            raise
        self.cut_in_statement = False  # the last statement's fate is what matters
        if not sql.lstrip()[:6].upper().startswith(self._READS):
            connection = context["connection"]
            if connection.in_atomic_block:
                self.uncommitted = True
                connection.on_commit(self._committed)
            else:
                self.kept = True
        return result

    def _committed(self):
        self.kept = True
        self.uncommitted = False


class DatabaseOutage:
    """What this process knows of the database: up; or down since when, and whether its server still answers."""

    PROBE_INTERVAL = 0.05

    def __init__(self):
        self._lock = threading.Lock()
        self.down_since = None
        self._last_probe = 0.0
        self._restarting = False
        self._answered_at = 0.0  # when the server last answered (refusing), in this outage

    @property
    def grace(self):
        return settings.DATABASE_OUTAGE_GRACE_MS / 1000

    def probe(self):
        """A fresh connection outside the pool, with a short timeout: can the database be reached now?"""
        try:
            with connection._nodb_cursor() if connection.vendor != "postgresql" else _direct_cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return False
        except Exception as error:  # psycopg's own errors, outside Django's wrappers
            if type(error).__module__.startswith("psycopg"):
                return False
            raise
        return True

    def went_down(self):
        with self._lock:
            if self.down_since is None:
                self.down_since = time.monotonic()
                self._last_probe = self._answered_at = self.down_since
                self._note_answer(self.down_since)

    def came_back(self):
        with self._lock:
            was_down, self.down_since = self.down_since is not None, None
        if was_down:
            renew_pool()

    def state(self):
        """Whether the database is "up", "restarting" (its server answers but refuses) or "down".

        Looks again at most every PROBE_INTERVAL; in between, what the last look found.
        """
        if self.down_since is None:
            return "up"
        now = time.monotonic()
        if now - self._last_probe >= self.PROBE_INTERVAL:
            self._last_probe = now
            if self.probe():
                self.came_back()
                return "up"
            self._note_answer(now)
        return "restarting" if self._restarting else "down"

    def _note_answer(self, now):
        self._restarting = server_answers()
        if self._restarting:
            self._answered_at = now

    def is_down(self):
        """False when up or back; True at once while down."""
        return self.state() != "up"

    def wait_until_back(self, waiting_since):
        """Wait for the database while it may be back soon; whether it is back.

        While its server answers (a restart: shutting down, then starting up), a
        request waits up to DATABASE_RESTART_WAIT_MS from waiting_since; while
        nothing answers, only until DATABASE_OUTAGE_GRACE_MS after the outage
        began or the server last answered: then not at all.
        """
        while True:
            state = self.state()
            if state == "up":
                return True
            if state == "restarting":
                limit = waiting_since + settings.DATABASE_RESTART_WAIT_MS / 1000
            else:  # silent: stopped, or between the two halves of a restart
                limit = max(self.down_since or waiting_since, self._answered_at) + self.grace
            if time.monotonic() >= limit:
                return False
            time.sleep(self.PROBE_INTERVAL)


def renew_pool():
    """A new connection pool: the old one holds connections a restart cut, and its own reconnection
    backs off (1 s, 2 s, 4 s…), so requests would time out waiting for it although the database is back."""
    # In an atomic block the connection is the block's (a test's transaction; a request's have ended by now).
    if connection.in_atomic_block:
        return
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
        connection.close()
        connection.close_pool()


def server_answers():
    """Whether the database server takes connections on its port (it does while it restarts, and refuses them).

    A socket, not a query: the server's refusal ("the database system is starting up")
    has no error code a client sees, and its words follow the server's language.
    """
    if connection.vendor != "postgresql":
        return False
    host = (connection.settings_dict["HOST"] or "/var/run/postgresql").split(",")[0]
    port = int(str(connection.settings_dict["PORT"] or 5432).split(",")[0])
    try:
        if host.startswith("/"):
            with socket.socket(socket.AF_UNIX) as unix_socket:
                unix_socket.settimeout(0.2)
                unix_socket.connect(f"{host}/.s.PGSQL.{port}")
        else:
            socket.create_connection((host, port), timeout=0.2).close()
    except OSError:
        return False
    return True


class _direct_cursor:
    """A cursor on a new psycopg connection made from the default database's settings (no pool)."""

    def __enter__(self):
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params["connect_timeout"] = 1
        self.conn = psycopg.connect(**params, autocommit=True)
        return self.conn.cursor()

    def __exit__(self, *exc):
        self.conn.close()


outage = DatabaseOutage()


def unavailable_response(request, *, wrote=False):
    """The 503 page, in the request's language, without touching the database."""
    language = translation.get_language_from_request(request, check_path=True)
    submitted = request.method not in ("GET", "HEAD", "OPTIONS")
    with translation.override(language):
        response = render(
            request,
            "503.html",
            {"submitted": submitted, "maybe_saved": submitted and wrote, "LANGUAGE_CODE": language},
            status=503,
        )
    response["Retry-After"] = "10"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        arrived = time.monotonic()
        if outage.down_since is not None and not outage.wait_until_back(arrived):
            logger.warning("503: the database is down (%s)", outage.state())
            return unavailable_response(request)
        tracker = _WriteTracker()
        with connection.execute_wrapper(tracker):
            response = self.get_response(request)
            if getattr(request, "database_unavailable", False):
                response = self._once_more(request, tracker)
        return response

    def _once_more(self, request, tracker):
        """After the database failed the request: run it again if it kept nothing and the database is back."""
        if outage.probe():
            renew_pool()  # a connection cut by a restart already over, or a pool still reconnecting
        else:
            outage.went_down()
        may_run_again = not tracker.may_have_kept or _runs_twice_safely(request)
        if may_run_again and (outage.down_since is None or outage.wait_until_back(time.monotonic())):
            request.database_unavailable = False
            response = self.get_response(request)
            if not request.database_unavailable:
                return response
        reason = "what it wrote may have been kept" if tracker.may_have_kept else f"the database is {outage.state()}"
        logger.warning("503: the database failed the request; %s", reason)
        return unavailable_response(request, wrote=tracker.may_have_kept)
