"""What run.py (make bench-web), faults.py (make bench-faults), topology.py and where_time_goes.py share.

They start the portal production-like on loopback (`fresh_portal`, then
`serve_portal`): DEBUG off, PostgreSQL (a throwaway database beside the
configured server), Redis (its own database number, flushed), demo data,
collected static files, gunicorn with sync workers. Nothing here reaches
beyond 127.0.0.1.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_BASE = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
# Our own Redis database: flushed at the start of every run, never anyone else's.
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "13"))
# With run.py --keep, the portal's variables (its keys) for where_time_goes.py and a look afterwards.
KEPT_ENV = Path(tempfile.gettempdir()) / "portal_bench_web.env.json"
KEPT_VARIABLES = (
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "IDENTIFIER_HMAC_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "STATIC_ROOT",
)
KEPT_STATIC = Path(tempfile.gettempdir()) / "portal_bench_web_static"

for url in (PG_BASE, REDIS_BASE):
    host = urlsplit(url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"Benchmarks only talk to loopback addresses, not {host}.")


def say(message):
    sys.stdout.write(f"{message}\n")
    sys.stdout.flush()


def load():
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    say("wrk is missing: apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True)
    return shutil.which("wrk")


def fresh_database(name):
    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_BASE}/{name}"


def drop_database(name):
    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scalar(database_url, sql):
    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute(sql).fetchone()[0]


def flush_redis():
    import redis

    redis.Redis.from_url(f"{REDIS_BASE}/{REDIS_DB}").flushdb()


def portal_env(database_url, port, **extra):
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "IDENTIFIER_HMAC_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database_url,
        "REDIS_URL": f"{REDIS_BASE}/{REDIS_DB}",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "portal.sms.backends.console.SmsBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout


def setup_portal(env, static_root):
    say("  migrate, demo data, collectstatic")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_data", "--force", capture=True)
    env["STATIC_ROOT"] = str(static_root)
    manage(env, "collectstatic", "--noinput", "-v0")


def fresh_portal(database, port, static_root, **extra):
    """The portal's environment on a throwaway `database`, our Redis database flushed, migrated, demo data loaded."""
    env = portal_env(fresh_database(database), port, **extra)
    flush_redis()
    setup_portal(env, static_root)
    return env


def keep_env(env):
    """Leave the portal's variables in KEPT_ENV, for where_time_goes.py (`kept_env`) and a look afterwards."""
    KEPT_ENV.write_text(json.dumps({name: env[name] for name in KEPT_VARIABLES}))


def kept_env():
    return json.loads(KEPT_ENV.read_text())


def bare_env(database_url):
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bare.settings",
        "PYTHONPATH": str(HERE),
        "PYTHONUNBUFFERED": "1",
    }
    return env


def setup_bare(env):
    subprocess.run([sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v0"], cwd=HERE, env=env, check=True)


def gunicorn(app, *, port, env, cwd, log, workers, timeout=30, extra=()):
    command = [
        str(BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--error-logfile",
        str(log),
        *extra,
    ]
    # The application's own log (Django's, on stderr) goes to the same file as gunicorn's.
    with open(log, "ab") as output:
        return subprocess.Popen(
            command, cwd=cwd, env=env, start_new_session=True, stdout=output, stderr=subprocess.STDOUT
        )


def serve_portal(env, *, port, log, workers, timeout=30):
    """gunicorn serving the portal on 127.0.0.1:`port`; returns the process once /health/ answers."""
    process = gunicorn(
        "portal.wsgi:application", port=port, env=env, cwd=ROOT, log=log, workers=workers, timeout=timeout
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health/")
    except BaseException:
        stop(process)
        raise
    return process


def wait_until_up(url, *, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def stop(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def error_lines(log):
    """The lines of a server's log that tell of an error: none when there is no log."""
    if not log.exists():
        return []
    return [line for line in log.read_text().splitlines() if "Traceback" in line or "ERROR" in line]


@contextmanager
def scratch_dir():
    path = Path(tempfile.mkdtemp(prefix="bench_web_"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def prepare(env):
    """Accounts, sessions and links for the load (prepare.py, in the portal's environment)."""
    output = subprocess.run(
        [sys.executable, str(HERE / "prepare.py")], cwd=ROOT, env=env, check=True, text=True, capture_output=True
    ).stdout
    return json.loads(output)


def trip_fields(*, arrival, departure, **changes):
    """The trip form of /en/accounts/trips/add/ with one stop, in Istanbul unless `changes` say otherwise."""
    fields = {
        "kind": "tourism",
        "phone_abroad": "",
        "stops-TOTAL_FORMS": "1",
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "1",
        "stops-MAX_NUM_FORMS": "20",
        "stops-0-country": "TR",
        "stops-0-region": "TR-34",
        "stops-0-city": "Istanbul",
        "stops-0-address": "Hotel",
        "stops-0-arrival_date": arrival,
        "stops-0-departure_date": departure,
        "action": "save",
    }
    fields.update(changes)
    return fields
