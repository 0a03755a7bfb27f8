"""The answer while the database is down or restarting: at once, and saying whether anything was saved.

While PostgreSQL is down, every request gets the 503 page at once
(templates/503.html, saying whether what was sent was saved) instead of
waiting for the connection pool's timeout, and `/health/` answers 503 so a load
balancer takes the node out. A request that met a connection dropped by a
restart, before it wrote anything, waits for the database to come back (at most
DATABASE_OUTAGE_GRACE_MS from the start of the outage) and runs once more: a
restart costs only the requests that were writing at that instant.

Django turns an exception into a response inside each middleware, so the
error handler (portal.views.server_error) marks the request and this
middleware, outermost but for SecurityMiddleware, decides what to do.
"""

import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.shortcuts import render
from django.utils import translation


def is_database_unavailable(exception):
    """Whether an exception says the database cannot be reached (down, restarting, no connection free)."""
    return isinstance(exception, OperationalError | InterfaceError)


class _WriteTracker:
    """An execute wrapper noting whether a statement that writes went through in this request."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.wrote and not sql.lstrip()[:6].upper().startswith(("SELECT", "SAVEPO", "RELEAS", "SET ", "SHOW")):
            self.wrote = True
        return result


class DatabaseOutage:
    """What this process knows of the database: up, or down since when (a probe looks again)."""

    PROBE_INTERVAL = 0.05

    def __init__(self):
        self._lock = threading.Lock()
        self.down_since = None
        self._last_probe = 0.0

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
                self._last_probe = self.down_since

    def came_back(self):
        with self._lock:
            was_down, self.down_since = self.down_since is not None, None
        if was_down and connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
            # The pool's own reconnection backs off (1 s, 2 s, 4 s…): start afresh instead.
            connection.close()
            connection.close_pool()

    def is_down(self):
        """False when up or back; True at once while down (a probe at most every PROBE_INTERVAL)."""
        if self.down_since is None:
            return False
        now = time.monotonic()
        if now - self._last_probe < self.PROBE_INTERVAL:
            return True
        self._last_probe = now
        if self.probe():
            self.came_back()
            return False
        return True

    def wait_until_back(self):
        """Wait for the database while within the grace period of this outage; whether it is back."""
        deadline = (self.down_since or time.monotonic()) + self.grace
        while True:
            if self.probe():
                self.came_back()
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


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
        if outage.down_since is not None:
            waited = time.monotonic() - outage.down_since < outage.grace and outage.wait_until_back()
            if not waited and outage.is_down():
                return unavailable_response(request)
        tracker = _WriteTracker()
        with connection.execute_wrapper(tracker):
            response = self.get_response(request)
            if getattr(request, "database_unavailable", False):
                if not outage.probe():
                    outage.went_down()  # down indeed, not a busy pool or a connection cut by a restart already over
                if not tracker.wrote and (outage.down_since is None or outage.wait_until_back()):
                    # Nothing was written: the same request once more, on a fresh connection.
                    request.database_unavailable = False
                    response = self.get_response(request)
                if getattr(request, "database_unavailable", False):
                    return unavailable_response(request, wrote=tracker.wrote)
        return response
