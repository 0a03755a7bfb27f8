"""docs/production.md on one machine: two app servers, two task workers, one PostgreSQL, one Redis.

Starts the portal production-like (DEBUG off) twice, on 127.0.0.1:8711 and
:8712 (gunicorn, two processes each), and two `manage.py db_worker`, all on one
throwaway database and Redis database 12; then checks that
1. a publication (made in another process, as the scheduled publication is)
   shows at once through both servers, which had both kept the old pages;
2. a citizen signed in through one server registers a trip through the other;
3. a broadcast is sent once to each person by the two workers together, and
   the personal check-in link opens through either server.
Prints what it saw and exits 1 if anything differs. Everything on loopback.

  .venv/bin/python scripts/bench_web/topology.py
"""

import argparse
import http.client
import json
import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import common
from common import say

SERVERS = {"A": 8711, "B": 8712}
DATABASE = "portal_topology"


class Browser:
    """Cookies across both servers, as a browser behind one public address has them."""

    def __init__(self):
        self.cookies = {}

    def request(self, server, method, path, fields=None):
        conn = http.client.HTTPConnection("127.0.0.1", SERVERS[server], timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, text, response.headers


def hidden(text, name):
    match = re.search(rf'name="{name}" value="([^"]+)"', text)
    return match.group(1) if match else ""


def shell(env, code):
    """Python run by `manage.py shell` in another process: what cron, an officer's click or a worker does."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=common.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py shell failed:\n{result.stderr[-2000:]}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


PUBLISH = """
from django.contrib.auth import get_user_model
from advisories.models import Advisory
from advisories import services
User = get_user_model()
advisory = Advisory.objects.get(country="IR")
level = advisory.current_edition.level
draft = services.create_draft(advisory=advisory, author=User.objects.get(email="editor@example.com"))
draft.level = 3 if level == 4 else 4
draft.change_note = "Changed in the topology check."
draft.is_major = True
draft.save()
services.publish_edition(edition=draft, publisher=User.objects.get(email="publisher@example.com"))
print(draft.level)
"""

BROADCAST = """
import json
from django.contrib.auth import get_user_model
from registrations.models import Broadcast, Crisis
from registrations.services.broadcasts import send_broadcast
crisis = Crisis.objects.filter(closed_at__isnull=True).first()
hq = get_user_model().objects.get(email="hq@example.com")
broadcast = Broadcast.objects.create(
    crisis=crisis, texts={"en": "Topology check: are you safe?"}, by_email=True, by_sms=False, created_by=hq)
send_broadcast(broadcast=broadcast, sent_by=hq)
print(json.dumps({"broadcast": broadcast.pk}))
"""

BROADCAST_STATE = """
import json
from collections import Counter
from portal.sms.backends.recording import recorded
from registrations.management.commands.bench_broadcast import delivery_of
from registrations.models import Delivery
from registrations.services.broadcasts import checkin_link
deliveries = Delivery.objects.filter(broadcast_id={pk})
pending = deliveries.filter(status__in=["queued", "sending"]).count()
references = Counter(delivery_of(channel, reference) for channel, reference, recipient in recorded())
mine = list(deliveries.values_list("pk", flat=True))
person = deliveries.values_list("person_id", flat=True).first()
print(json.dumps({{
    "deliveries": len(mine), "pending": pending,
    "recorded": sum(1 for pk in mine if references.get(pk)),
    "twice": sum(1 for pk in mine if references.get(pk, 0) > 1),
    "link": checkin_link(person, language="en") if person else "",
}}))
"""


def check(results, name, ok, detail):
    results.append(ok)
    say(f"  [{'ok' if ok else 'DIFFERENT'}] {name}: {detail}")


def main():
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    say(f"topology on loopback, {common.load()}")
    common.REDIS_DB = 12
    processes = []
    results = []
    with common.scratch_dir() as scratch:
        try:
            outbox = scratch / "outbox.tsv"
            env = common.fresh_portal(
                DATABASE,
                SERVERS["A"],
                scratch / "static",
                EMAIL_BACKEND="portal.sms.backends.recording.EmailBackend",
                SMS_BACKEND="portal.sms.backends.recording.SmsBackend",
                OUTBOX_RECORDING_FILE=str(outbox),
                TASKS_BACKEND="database",
            )
            for name, port in SERVERS.items():
                processes.append(common.serve_portal(env, port=port, log=scratch / f"app-{name}.log", workers=2))
            for number in (1, 2):
                log = open(scratch / f"worker-{number}.log", "w")  # noqa: SIM115 - closed with the process
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "manage.py", "db_worker"],
                        cwd=common.ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            say("Two app servers (A :8711, B :8712, 2 processes each), two task workers, one PostgreSQL, one Redis.")

            say("1. A publication, made in another process")
            anonymous = Browser()
            pages = ["/en/advisories/ir/", "/en/advisories/", "/api/v1/advisories/IR/"]
            for _ in range(3):  # every process of both servers keeps the pages
                for server in SERVERS:
                    for page in pages:
                        anonymous.request(server, "GET", page)
            level = int(shell(env, PUBLISH))
            for server in SERVERS:
                _status, country, _h = anonymous.request(server, "GET", "/en/advisories/ir/")
                _status, api, _h = anonymous.request(server, "GET", "/api/v1/advisories/IR/")
                api_level = json.loads(api).get("level")
                check(
                    results,
                    f"server {server} shows the new level at once",
                    f"Level {level}" in country and api_level == level,
                    f"country page {'new' if f'Level {level}' in country else 'OLD'}, API level {api_level}",
                )

            say("2. A citizen signs in through A and registers a trip through B")
            citizen = Browser()
            _s, login, _h = citizen.request("A", "GET", "/en/accounts/login/")
            status, _t, headers = citizen.request(
                "A",
                "POST",
                "/en/accounts/login/",
                {
                    "csrfmiddlewaretoken": hidden(login, "csrfmiddlewaretoken"),
                    "username": "citizen@example.com",
                    "password": "demo-portal-2026",
                },
            )
            check(results, "signed in through A", status == 302, f"{status} → {headers.get('Location')}")
            _s, form, _h = citizen.request("B", "GET", "/en/accounts/trips/add/")
            today = time.strftime("%Y-%m-%d")
            fields = common.trip_fields(
                arrival=today,
                departure="",
                csrfmiddlewaretoken=hidden(form, "csrfmiddlewaretoken"),
                submission_token=hidden(form, "submission_token"),
                kind="business",
                **{
                    "stops-0-country": "GE",
                    "stops-0-region": "GE-TB",
                    "stops-0-city": "Topologyville",
                    "stops-0-address": "",
                },
            )
            status, _t, headers = citizen.request("B", "POST", "/en/accounts/trips/add/", fields)
            check(results, "trip registered through B", status == 302, f"{status} → {headers.get('Location')}")
            for server in SERVERS:
                _s, dashboard, _h = citizen.request(server, "GET", "/en/accounts/")
                check(results, f"the trip is on the dashboard through {server}", "Topologyville" in dashboard, "")

            say("3. A crisis broadcast, sent by the two workers")
            broadcast = json.loads(shell(env, BROADCAST))["broadcast"]
            deadline = time.monotonic() + 90
            state = {}
            while time.monotonic() < deadline:
                state = json.loads(shell(env, BROADCAST_STATE.format(pk=broadcast)))
                if state["deliveries"] and not state["pending"]:
                    break
                time.sleep(2)
            check(
                results,
                "each person's message handed over once",
                state.get("deliveries") and state["recorded"] == state["deliveries"] and state["twice"] == 0,
                f"{state.get('deliveries')} deliveries, {state.get('recorded')} recorded, {state.get('twice')} twice",
            )
            workers = [
                number
                for number in (1, 2)
                if "broadcast" in (scratch / f"worker-{number}.log").read_text().lower()
                or (scratch / f"worker-{number}.log").stat().st_size > 0
            ]
            say(f"  workers that logged work: {workers}")
            path = re.sub(r"^https?://[^/]+", "", state.get("link", ""))
            for server in SERVERS:
                status, page, _h = Browser().request(server, "GET", path)
                check(results, f"the check-in link opens through {server}", status == 200, f"{status} {path[:40]}…")
        finally:
            for process in processes:
                common.stop(process)
            common.drop_database(DATABASE)
    say(f"{results.count(True)} checks the same through both servers, {results.count(False)} different")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
