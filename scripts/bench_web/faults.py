"""`make bench-faults`: citizens register trips under load while PostgreSQL restarts, then stops for 10 s.

The portal runs production-like (DEBUG off, gunicorn sync workers, Redis) on a
PostgreSQL cluster of its own (15/faults on port 5439, created when missing),
so nobody else's database is restarted. Threads of citizens POST the trip form
(signed in, CSRF, a fresh submission token each time) and a load balancer's
probe reads /health/ every 100 ms, and a watcher connects to PostgreSQL every
10 ms to time how long it really took no query. Timeline: load; restart; load;
stop for --outage seconds; start; load. Printed per phase (a request counts in
the phase it was answered in): requests, failures, the failure window, the
worst latency, how fast failures were answered, what /health/ said; at the end
the writes acknowledged (302) against the rows the database holds for the
tokens sent, and the portal's 503 answers by reason. Everything on 127.0.0.1,
bounded in time and count.

  .venv/bin/python scripts/bench_web/faults.py [--citizens 16] [--outage 10]
"""

import argparse
import collections
import http.client
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import common
from common import say

PORT = 8703
CLUSTER = ("15", "faults")
PG_PORT = 5439
DATABASE = "portal_bench_faults"
MAX_REQUESTS = 200_000


@dataclass
class Outcome:
    started: float
    ended: float
    status: int
    token: str = ""

    @property
    def latency(self):
        return self.ended - self.started


@dataclass
class Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    writes: list = field(default_factory=list)
    health: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def add(self, kind, outcome):
        with self.lock:
            getattr(self, kind).append(outcome)


def pg_ctl(action):
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, action]
    subprocess.run(command, check=True, capture_output=True)


def ensure_cluster():
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    if not any(line.split()[:2] == list(CLUSTER) for line in clusters.splitlines()):
        say(f"Creating PostgreSQL cluster {'/'.join(CLUSTER)} on port {PG_PORT} (trust on loopback)")
        subprocess.run(
            ["pg_createcluster", *CLUSTER, "-p", str(PG_PORT), "--", "--auth=trust"], check=True, capture_output=True
        )
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, "start"], capture_output=True)
    for _ in range(50):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT)]).returncode == 0:
            return
        time.sleep(0.2)
    raise SystemExit("the faults cluster did not start")


def request(method, path, *, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0  # no answer at all
    finally:
        conn.close()


def citizen(log, session, secret, fields, deadline, counter):
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={session}; csrftoken={secret}",
    }
    while time.monotonic() < deadline and counter[0] < MAX_REQUESTS:
        counter[0] += 1
        token = str(uuid.uuid4())
        body = urlencode({**fields, "submission_token": token, "csrfmiddlewaretoken": secret})
        started = time.monotonic()
        status = request("POST", "/en/accounts/trips/add/", body=body, headers=headers)
        log.add("writes", Outcome(started, time.monotonic(), status, token))


def health_probe(log, deadline):
    while time.monotonic() < deadline:
        started = time.monotonic()
        status = request("GET", "/health/", timeout=15)
        log.add("health", Outcome(started, time.monotonic(), status))
        time.sleep(0.1)


def database_watch(log, deadline):
    """What the database itself answers, every 10 ms: "up", "refusing" (its server answers no) or "silent"."""
    last = None
    while time.monotonic() < deadline:
        try:
            with common.psycopg.connect(
                f"host=127.0.0.1 port={PG_PORT} user=postgres dbname=postgres", connect_timeout=1
            ):
                state = "up"
        except common.psycopg.OperationalError as error:
            state = "silent" if "refused" in str(error) else "refusing"
        if state != last:
            log.add("events", (time.monotonic(), state))
            last = state
        time.sleep(0.01)


def unavailability(events, start, end):
    """Seconds the database did not take queries between start and end, and of those, when nothing answered."""
    down = silent = 0.0
    ordered = sorted(events)
    for (moment, state), (following, _next) in zip(ordered, [*ordered[1:], (end, None)], strict=True):
        span = max(0.0, min(following, end) - max(moment, start))
        if state != "up":
            down += span
        if state == "silent":
            silent += span
    return down, silent


def phase_report(name, outcomes, start, end, expected):
    # By the moment each request was answered: one sent just before a fault and failed by it is the fault's.
    chosen = [o for o in outcomes if start <= o.ended < end]
    failed = [o for o in chosen if o.status != expected]
    line = f"  {name:34} {len(chosen):6d} requests  {len(failed):5d} failed"
    if failed:
        window = max(o.ended for o in failed) - min(o.started for o in failed)
        p50, worst = statistics.median(o.latency for o in failed) * 1000, max(o.latency for o in failed) * 1000
        line += f"  failure window {window:5.2f} s  failures answered in p50 {p50:6.0f} ms / max {worst:6.0f} ms"
        statuses = sorted({o.status for o in failed})
        line += f"  statuses {statuses}"
    if chosen:
        line += f"  worst latency {max(o.latency for o in chosen) * 1000:6.0f} ms"
    say(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=16, help="concurrent citizens writing (default 16)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--outage", type=int, default=10, help="seconds PostgreSQL stays stopped (default 10)")
    parser.add_argument("--steady", type=int, default=6, help="seconds of load between faults (default 6)")
    args = parser.parse_args()
    if not (1 <= args.citizens <= 64 and 1 <= args.outage <= 60 and 2 <= args.steady <= 60):
        raise SystemExit("--citizens 1..64, --outage 1..60, --steady 2..60: every load here is bounded.")

    say(f"make bench-faults, {common.load()} at the start")
    ensure_cluster()
    common.PG_BASE = f"postgres://postgres@127.0.0.1:{PG_PORT}"
    server = None
    with common.scratch_dir() as scratch:
        try:
            env = common.fresh_portal(DATABASE, PORT, scratch / "static")
            data = common.prepare(env)
            server = common.serve_portal(env, port=PORT, log=scratch / "portal.log", workers=args.workers, timeout=60)
            database_url = env["DATABASE_URL"]
            rows_before = common.scalar(database_url, "SELECT count(*) FROM registrations_trip")
            fields = common.trip_fields(arrival=data["arrival"], departure=data["departure"])
            log = Log()
            steady, outage = args.steady, args.outage
            total = 3 * steady + outage + 15
            origin = time.monotonic()
            deadline = origin + total
            counter = [0]
            threads = [
                threading.Thread(target=citizen, args=(log, session, secret, fields, deadline, counter), daemon=True)
                for session, secret in data["trip_sessions"][: args.citizens]
            ]
            threads.append(threading.Thread(target=health_probe, args=(log, deadline), daemon=True))
            threads.append(threading.Thread(target=database_watch, args=(log, deadline), daemon=True))
            for thread in threads:
                thread.start()

            marks = {"start": origin}
            time.sleep(steady)
            say(f"  restart ({common.load()})")
            marks["restart"] = time.monotonic()
            pg_ctl("restart")
            marks["restarted"] = time.monotonic()
            time.sleep(steady)
            say(f"  stop for {outage} s ({common.load()})")
            marks["stop"] = time.monotonic()
            pg_ctl("stop")
            marks["stopped"] = time.monotonic()
            time.sleep(max(0.0, outage - (marks["stopped"] - marks["stop"])))
            marks["start_again"] = time.monotonic()
            pg_ctl("start")
            marks["started"] = time.monotonic()
            for thread in threads:
                thread.join(timeout=total + 60)
            end = time.monotonic()

            time.sleep(1)
            acknowledged = {o.token for o in log.writes if o.status == 302}
            sent = [o.token for o in log.writes]
            saved = set()
            with common.psycopg.connect(database_url, autocommit=True) as conn:
                for start in range(0, len(sent), 5000):
                    chunk = sent[start : start + 5000]
                    rows = conn.execute(
                        "SELECT submission_token::text FROM registrations_trip "
                        "WHERE submission_token = ANY(%s::uuid[])",
                        [chunk],
                    ).fetchall()
                    saved |= {row[0] for row in rows}
                rows_after = conn.execute("SELECT count(*) FROM registrations_trip").fetchone()[0]

            say("")
            say(
                f"make bench-faults: gunicorn {args.workers} sync workers, {args.citizens} citizens writing trips, "
                f"/health/ every 100 ms; {common.load()} at the end"
            )
            restart = marks["restarted"] - marks["restart"]
            stopped, starting = marks["start_again"] - marks["stop"], marks["started"] - marks["start_again"]
            say(f"  restart took {restart:.2f} s (pg_ctlcluster); stopped {stopped:.1f} s; start took {starting:.2f} s")
            down, silent = unavailability(log.events, marks["restart"], marks["stop"])
            say(f"  during the restart the database took no query for {down:.2f} s ({silent:.2f} s of it silent)")
            down, silent = unavailability(log.events, marks["start_again"], end)
            say(f"  while starting again it took no query for {down:.2f} s ({silent:.2f} s of it silent)")
            say("Trip writes (expected 302):")
            phase_report("before the restart", log.writes, marks["start"], marks["restart"], 302)
            phase_report("restart, and after it", log.writes, marks["restart"], marks["stop"], 302)
            phase_report("database stopped", log.writes, marks["stop"], marks["start_again"], 302)
            phase_report("database starting, and after it", log.writes, marks["start_again"], end, 302)
            say("/health/ (expected 200):")
            phase_report("restart, and after it", log.health, marks["restart"], marks["stop"], 200)
            phase_report("database stopped", log.health, marks["stop"], marks["start_again"], 200)
            phase_report("database starting, and after it", log.health, marks["start_again"], end, 200)
            lost = acknowledged - saved
            unacknowledged_saved = saved - acknowledged
            say(
                f"Writes: {len(sent)} sent, {len(acknowledged)} acknowledged, {len(saved)} rows for the tokens sent "
                f"({rows_after - rows_before} new trips in all); acknowledged but missing: {len(lost)}; "
                f"saved without acknowledgement: {len(unacknowledged_saved)}"
            )
        finally:
            common.stop(server)
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, "start"], capture_output=True)
            log_path = scratch / "portal.log"
            if log_path.exists():
                lines = log_path.read_text().splitlines()
                tracebacks = sum("Traceback" in line for line in lines)
                say(f"portal.log: {tracebacks} tracebacks; the 503 answers by reason:")
                marker = "portal.outage 503: "
                reasons = collections.Counter(line.split(marker, 1)[1] for line in lines if marker in line)
                for reason, count in reasons.most_common():
                    say(f"  {count:6d}  {reason}")
            common.drop_database(DATABASE)


if __name__ == "__main__":
    sys.exit(main())
