"""`make bench-web`: the portal against a bare Django app, production-like, interleaved, on loopback.

Starts the portal (DEBUG off, PostgreSQL, Redis, demo data, gunicorn sync
workers) and the bare app of bare/ (startproject's settings, a "hello" view and
a one-row INSERT view) the same way, drives both with wrk, round after round
(bare, portal pages, bare again…), and prints for each page the median over the
rounds of req/s, p50 and p99 latency, errors, bytes per response and the ratio
to the bare app measured in the same run. Writes print rows created against
requests acknowledged. A measurement, not a test: nothing fails a build.

  .venv/bin/python scripts/bench_web/run.py [--duration 5] [--rounds 3] [--only trip]
"""

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode

import common
from common import say

PORTAL_PORT, BARE_PORT = 8701, 8702
DEMO_PASSWORD = "demo-portal-2026"
PORTAL_DB, BARE_DB = "portal_bench_web", "portal_bench_web_bare"
FORM = "application/x-www-form-urlencoded"
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,*/*"}

PUBLIC_PAGES = [
    ("home", "/en/"),
    ("advisories index", "/en/advisories/"),
    ("advisory: Iran", "/en/advisories/ir/"),
    ("embassies", "/en/embassies/"),
    ("world map SVG", "/en/advisories/map.svg"),
    ("feeds and data page", "/en/advisories/data/"),
    ("privacy notice", "/en/privacy/"),
    ("advisories index (ru)", "/ru/advisories/"),
    ("Atom feed, all", "/advisories/feed/"),
    ("Atom feed, Iran", "/advisories/ir/feed/"),
    ("CAP feed", "/advisories/cap.xml"),
    ("CAP alert, Iran", "/advisories/ir/cap.xml"),
    ("JSON API advisories", "/api/v1/advisories/"),
    ("JSON API Iran", "/api/v1/advisories/IR/"),
    ("JSON API missions", "/api/v1/missions/"),
    ("sign-in page (GET)", "/en/accounts/login/"),
]


@dataclass
class Scenario:
    name: str
    port: int
    requests: list  # dicts: method, path, headers, body
    expected: int
    connections: int
    baseline: str = ""  # the name of the bare scenario it is compared with
    rows_sql: str = ""  # rows this scenario creates: counted before and after each run
    database: str = ""
    results: list = field(default_factory=list)
    acknowledged: int = 0
    rows: int = 0


def lua_string(text):
    level = "=" * 3
    return f"[{level}[{text}]{level}]"


def lua_table(requests, expected):
    entries = []
    for r in requests:
        headers = ", ".join(f"[ {lua_string(k)} ] = {lua_string(v)}" for k, v in r.get("headers", {}).items())
        body = f", body = {lua_string(r['body'])}" if r.get("body") else ""
        entries.append(
            f"{{method = {lua_string(r['method'])}, path = {lua_string(r['path'])}, headers = {{{headers}}}{body}}}"
        )
    joined = ",\n  ".join(entries)
    return f"requests = {{\n  {joined}\n}}\nexpected = {expected}\n"


def write_script(scenario, directory):
    path = directory / f"{abs(hash(scenario.name))}.lua"
    path.write_text(lua_table(scenario.requests, scenario.expected) + (common.HERE / "load.lua").read_text())
    return path


def run_wrk(wrk, scenario, script, *, duration, threads=2):
    url = f"http://127.0.0.1:{scenario.port}"
    command = [
        wrk,
        f"-t{threads}",
        f"-c{scenario.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed on {scenario.name}: {done.stdout[-500:]} {done.stderr[-500:]}")
    return json.loads(line.removeprefix("BENCHJSON "))


def cookie(session, secret):
    return f"sessionid={session}; csrftoken={secret}"


def form_post(path, fields, *, session=None, secret):
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie(session, secret) if session else f"csrftoken={secret}",
        "Accept-Encoding": "gzip, deflate, br",
    }
    body = urlencode({**fields, "csrfmiddlewaretoken": secret}, safe="{}")
    return {"method": "POST", "path": path, "headers": headers, "body": body}


def get(path, **headers):
    return {"method": "GET", "path": path, "headers": {**BROWSER_HEADERS, **headers}}


def scenarios(data):
    anonymous = [
        Scenario(
            name, PORTAL_PORT, [{"method": "GET", "path": path, "headers": BROWSER_HEADERS}], 200, 32, "bare hello"
        )
        for name, path in PUBLIC_PAGES
    ]
    trip_fields = common.trip_fields(
        arrival=data["arrival"],
        departure=data["departure"],
        submission_token="{{UUID}}",
        **{"stops-0-address": "Hotel Bosphorus"},
    )
    trip_requests = [
        form_post("/en/accounts/trips/add/", trip_fields, session=session, secret=secret)
        for session, secret in data["trip_sessions"]
    ]
    signin_secret = "s" * 32
    signin_requests = [
        form_post("/en/accounts/login/", {"username": email, "password": DEMO_PASSWORD}, secret=signin_secret)
        for email in data["signin_emails"]
    ]
    staff_session, staff_secret = data["staff"]
    staff_board = [
        {
            "method": "GET",
            "path": "/admin/",
            "headers": {**BROWSER_HEADERS, "Cookie": cookie(staff_session, staff_secret)},
        }
    ]
    writes = [
        Scenario(
            "citizen adds a trip (64 conn.)",
            PORTAL_PORT,
            trip_requests,
            302,
            64,
            "bare INSERT (64 conn.)",
            "SELECT count(*) FROM registrations_trip",
            PORTAL_DB,
        ),
        Scenario("sign-in, argon2id (32 conn.)", PORTAL_PORT, signin_requests, 302, 32, "bare INSERT (64 conn.)"),
    ]
    if data["checkins"]:
        checkin_requests = [
            form_post(
                f"/en/accounts/crisis/{link['token']}/",
                {f"status_{link['person']}": "safe", "submission_token": "{{UUID}}"},
                secret="c" * 32,
            )
            for link in data["checkins"]
        ]
        writes.append(
            Scenario(
                "crisis check-in (64 conn.)",
                PORTAL_PORT,
                checkin_requests,
                200,
                64,
                "bare INSERT (64 conn.)",
                "SELECT count(*) FROM registrations_checkin",
                PORTAL_DB,
            )
        )
    writes.append(Scenario("staff counts board, /admin/ (32 conn.)", PORTAL_PORT, staff_board, 200, 32, "bare hello"))
    bare = {
        "bare hello": Scenario(
            "bare hello", BARE_PORT, [{"method": "GET", "path": "/hello/", "headers": BROWSER_HEADERS}], 200, 32
        ),
        "bare INSERT (64 conn.)": Scenario(
            "bare INSERT (64 conn.)",
            BARE_PORT,
            [
                {
                    "method": "POST",
                    "path": "/insert/",
                    "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                    "body": "a=1",
                }
            ],
            200,
            64,
            rows_sql="SELECT count(*) FROM bare_greeting",
            database=BARE_DB,
        ),
    }
    return anonymous, writes, bare


def check_once(scenario):
    """One request before the load: the page answers what the load expects (and decompresses)."""
    r = scenario.requests[0]
    body = r.get("body", "").replace("{{UUID}}", "00000000-0000-4000-8000-000000000001").encode() or None
    request = urllib.request.Request(
        f"http://127.0.0.1:{scenario.port}{r['path']}", data=body, method=r["method"], headers=r.get("headers", {})
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            status, encoding, content = response.status, response.headers.get("Content-Encoding"), response.read()
    except urllib.error.HTTPError as error:
        status, encoding, content = error.code, error.headers.get("Content-Encoding"), error.read()
    if encoding == "gzip":
        content = gzip.decompress(content)
    if status != scenario.expected:
        say(f"  ! {scenario.name}: {r['method']} {r['path']} answered {status}, not {scenario.expected}")
        say("    " + content[:300].decode(errors="replace").replace("\n", " "))
        return False
    return True


def measure(wrk, scenario, script, duration):
    before = common.scalar(database_url(scenario.database), scenario.rows_sql) if scenario.rows_sql else 0
    result = run_wrk(wrk, scenario, script, duration=duration)
    if scenario.rows_sql:
        time.sleep(0.2)
        scenario.rows += common.scalar(database_url(scenario.database), scenario.rows_sql) - before
    scenario.acknowledged += result["ok"]
    scenario.results.append(result)
    return result


def database_url(name):
    return f"{common.PG_BASE}/{name}"


def summary(scenario):
    results = scenario.results
    rate = statistics.median(r["requests"] / (r["duration_us"] / 1e6) for r in results)
    errors = sum(r["unexpected"] + r["connect"] + r["read"] + r["write"] + r["timeout"] for r in results)
    requests = sum(r["requests"] for r in results)
    return {
        "rate": rate,
        "p50": statistics.median(r["p50_us"] for r in results) / 1000,
        "p99": statistics.median(r["p99_us"] for r in results) / 1000,
        "max": max(r["max_us"] for r in results) / 1000,
        "errors": errors,
        "requests": requests,
        "kb": statistics.median(r["bytes"] / max(r["requests"], 1) for r in results) / 1024,
        "other": next((r["other_status"] for r in results if r["other_status"]), 0),
    }


def print_table(groups, bare, args):
    say("")
    say(
        f"make bench-web: gunicorn {args.workers} sync workers per app, wrk 2 threads, {args.duration} s per run, "
        f"{args.rounds} interleaved rounds (median), {common.load()} at the end"
    )
    header = f"{'':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'KB/resp':>8} {'ratio':>6}  vs"
    say(header)
    say("-" * len(header))
    for scenario in bare.values():
        if not scenario.results:
            continue
        s = summary(scenario)
        say(f"{scenario.name:44} {s['rate']:8.0f} {s['p50']:8.1f} {s['p99']:8.1f} {s['errors']:7d} {s['kb']:8.1f}")
    for title, group in groups:
        say(f"{title}:")
        for scenario in group:
            if not scenario.results:
                continue
            s = summary(scenario)
            base = summary(bare[scenario.baseline])["rate"]
            status = f" (other status {s['other']})" if s["other"] else ""
            say(
                f"  {scenario.name:42} {s['rate']:8.0f} {s['p50']:8.1f} {s['p99']:8.1f} {s['errors']:7d} "
                f"{s['kb']:8.1f} {s['rate'] / base:6.2f}  {scenario.baseline}{status}"
            )
    say("")
    say("Writes: requests acknowledged (the expected answer) against rows created, over all rounds.")
    say("  wrk stops with requests in flight: the server completes them, wrk never reads their answers, so")
    say("  rows may exceed the acknowledged by at most connections x runs; fewer rows would be a lost write.")
    for scenario in [*(s for _t, g in groups for s in g), *bare.values()]:
        if scenario.rows_sql and scenario.results:
            in_flight = scenario.connections * len(scenario.results)
            extra = scenario.rows - scenario.acknowledged
            verdict = f"no acknowledged write lost ({extra} in flight, at most {in_flight})"
            if extra < 0:
                verdict = f"LOST {-extra} ACKNOWLEDGED WRITES"
            elif extra > in_flight:
                verdict = f"{extra} rows more than acknowledged, more than could be in flight ({in_flight})"
            say(f"  {scenario.name:42} acknowledged {scenario.acknowledged:7d}   rows {scenario.rows:7d}   {verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers per app (default 4)")
    parser.add_argument("--only", default="", help="only scenarios whose name contains this")
    parser.add_argument("--keep", action="store_true", help="leave the databases for a look afterwards")
    args = parser.parse_args()
    if not (1 <= args.duration <= 60 and 1 <= args.rounds <= 10):
        raise SystemExit("--duration 1..60 s and --rounds 1..10: every load here is bounded.")

    wrk = common.ensure_wrk()
    say(f"make bench-web, {common.load()} at the start")
    portal = bare_server = None
    with common.scratch_dir() as scratch:
        try:
            say(f"Portal: a throwaway PostgreSQL database, Redis database {common.REDIS_DB}")
            env = common.fresh_portal(PORTAL_DB, PORTAL_PORT, common.KEPT_STATIC if args.keep else scratch / "static")
            data = common.prepare(env)
            if args.keep:
                common.keep_env(env)
                say(f"  the portal's variables: {common.KEPT_ENV}")
            say("Bare app: its own throwaway database")
            benv = common.bare_env(common.fresh_database(BARE_DB))
            common.setup_bare(benv)

            portal = common.serve_portal(env, port=PORTAL_PORT, log=scratch / "portal.log", workers=args.workers)
            bare_server = common.gunicorn(
                "bare.wsgi:application",
                port=BARE_PORT,
                env=benv,
                cwd=common.HERE,
                log=scratch / "bare.log",
                workers=args.workers,
            )
            common.wait_until_up(f"http://127.0.0.1:{BARE_PORT}/hello/")

            anonymous, writes, bare = scenarios(data)
            groups = [("Public pages and machine outputs (32 connections)", anonymous), ("Citizens and staff", writes)]
            for _title, group in groups:
                group[:] = [s for s in group if args.only.lower() in s.name.lower()]
            for scenario in [*bare.values(), *(s for _t, g in groups for s in g)]:
                scenario.script = write_script(scenario, scratch)
                if not check_once(scenario):
                    scenario.skip = True
            for scenario in [s for _t, g in groups for s in g]:
                if getattr(scenario, "skip", False):
                    say(f"  skipped: {scenario.name}")
            # Warm every worker's caches and connections.
            for scenario in [*bare.values(), *(s for _t, g in groups for s in g)]:
                if (
                    not getattr(scenario, "skip", False)
                    and scenario.expected == 200
                    and scenario.requests[0]["method"] == "GET"
                ):
                    run_wrk(wrk, scenario, scenario.script, duration=1)

            for round_number in range(1, args.rounds + 1):
                say(f"Round {round_number}/{args.rounds} ({common.load()})")
                for _title, group in groups:
                    runnable = [s for s in group if not getattr(s, "skip", False)]
                    if not runnable:
                        continue
                    baselines = list(dict.fromkeys(s.baseline for s in runnable))
                    for name in baselines:
                        measure(wrk, bare[name], bare[name].script, args.duration)
                    for scenario in runnable:
                        result = measure(wrk, scenario, scenario.script, args.duration)
                        say(f"  {scenario.name:42} {result['requests'] / (result['duration_us'] / 1e6):8.0f} req/s")
                    for name in baselines:
                        measure(wrk, bare[name], bare[name].script, args.duration)
            print_table(groups, bare, args)
        finally:
            common.stop(portal)
            common.stop(bare_server)
            for log in ("portal.log", "bare.log"):
                errors = common.error_lines(scratch / log)
                if errors:
                    say(f"{log}: {len(errors)} error lines, the last: {errors[-1][:200]}")
            if not args.keep:
                common.drop_database(PORTAL_DB)
                common.drop_database(BARE_DB)


if __name__ == "__main__":
    sys.exit(main())
