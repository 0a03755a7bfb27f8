"""Where a request's time goes: pyinstrument over N requests to the portal, in-process, production settings.

Uses the database and keys a `run.py --keep` left (portal_bench_web). For each
path: the mean time per request through the whole middleware stack, the SQL
queries and Redis calls per request, and (with --tree) pyinstrument's call tree.

  .venv/bin/python scripts/bench_web/where_time_goes.py /en/advisories/ /api/v1/missions/ --tree
  .venv/bin/python scripts/bench_web/where_time_goes.py --trip --checkin --tree
"""

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import common


def setup_django():
    """The portal in this process, on what `run.py --keep` left, with production settings."""
    if not common.KEPT_ENV.exists():
        raise SystemExit(f"{common.KEPT_ENV} is missing: run scripts/bench_web/run.py --keep first.")
    os.environ.update(common.kept_env())
    os.environ.update(
        DEBUG="0", ALLOWED_HOSTS="127.0.0.1,testserver", LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="portal.settings"
    )
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8701")
    os.chdir(common.ROOT)
    import django

    django.setup()


def trip_request(client_user):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    data = common.trip_fields(
        arrival=(today + timedelta(days=10)).isoformat(),
        departure=(today + timedelta(days=20)).isoformat(),
        submission_token=str(uuid.uuid4()),
    )
    # The redirect is not followed, so the "trip registered" message would pile up in the cookie, one a
    # request; a citizen's browser shows it on the next page. wrk, in make bench-web, never sends it back.
    client_user.cookies.pop("messages", None)
    return client_user.post("/en/accounts/trips/add/", data, HTTP_HOST="127.0.0.1")


def _recorder(queries):
    """An execute wrapper appending (seconds, SQL) of each query to `queries`."""

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    return record


def checkin_request(client, link):
    """One person's answer through the check-in link, as the page posts it (a new submission each time)."""
    data = {f"status_{link['person']}": "safe", "submission_token": str(uuid.uuid4())}
    return client.post(f"/en/accounts/crisis/{link['token']}/", data, HTTP_HOST="127.0.0.1")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--tree", action="store_true", help="pyinstrument's call tree")
    parser.add_argument("--flat", type=int, default=0, help="cProfile's N functions of most cumulative time")
    parser.add_argument("--trip", action="store_true", help="profile the trip write")
    parser.add_argument("--checkin", action="store_true", help="profile the crisis check-in write")
    parser.add_argument(
        "--staff", action="store_true", help="GET the paths as the demo superuser, second factor passed"
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    if args.staff:
        from django.contrib.auth import get_user_model
        from django_otp import DEVICE_ID_SESSION_KEY

        from portal.second_factor.models import AuthenticatorDevice

        officer = get_user_model().objects.get(email="officer@example.com")
        client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = AuthenticatorDevice.objects.filter(user=officer).first().persistent_id
        session.save()
    actions = [(path, lambda path=path: client.get(path, HTTP_HOST="127.0.0.1")) for path in args.paths]
    if args.trip:
        from django.contrib.auth import get_user_model

        citizen = Client()
        citizen.force_login(
            get_user_model().objects.get(email="bench.web.1@example.com"),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        actions.append(("trip write", lambda: trip_request(citizen)))
    if args.checkin:
        import prepare

        link, answerer = prepare.checkin_links()[0], Client()
        actions.append(("check-in write", lambda: checkin_request(answerer, link)))
    for name, action in actions:
        response = action()
        for _ in range(3):
            action()
        # Not CaptureQueriesContext: each request starts by emptying the connection's query log.
        queries = []
        with connection.execute_wrapper(_recorder(queries)):
            action()
        # Timed without the profiler, whose sampling would count in the mean; profiled afterwards.
        started = time.perf_counter()
        for _ in range(args.n):
            action()
        elapsed = (time.perf_counter() - started) / args.n
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(args.n):
            action()
        profiler.stop()
        size = len(response.content) if not response.streaming else 0
        common.say(
            f"{name}: {elapsed * 1000:.2f} ms/request, {len(queries)} queries, status {response.status_code}, "
            f"{size} bytes, Content-Encoding {response.get('Content-Encoding', '-')}"
        )
        for seconds, sql in queries:
            common.say(f"    {seconds * 1000:.2f} ms {sql[:160]}")
        if args.tree:
            common.say(profiler.output_text(unicode=True, color=False, show_all=True, time="percent_of_total"))
        if args.flat:
            import cProfile
            import pstats

            with cProfile.Profile() as cprofile:
                for _ in range(args.n):
                    action()
            pstats.Stats(cprofile).sort_stats("cumulative").print_stats(args.flat)


if __name__ == "__main__":
    main()
