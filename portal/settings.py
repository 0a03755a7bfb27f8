"""Settings for the consular registration portal.

Everything that differs between a laptop and a ministry's servers is read from
the environment (see .env.example for every variable). The helpers below fail
loudly, naming the variable, when a value cannot be understood: a typo in a
deployment must stop the start-up, not silently pick a default.
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from bootstrap_wrapper import get_bootstrap_dir
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_float(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, e.g. 0.5; got {raw!r}.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value "
            "(manage.py shell -c 'from django.core.management.utils import "
            "get_random_secret_key as k; print(k())'), or set DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

# The public address of the portal. Emails and feeds need absolute links, and
# whether it is https decides the cookie, redirect and HSTS settings below.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) address; got {SITE_URL!r}.")
USE_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [_site.hostname, *(["localhost"] if DEBUG else [])])
CSRF_TRUSTED_ORIGINS = [SITE_URL]

# National ID and passport numbers are encrypted at rest (portal/encryption.py).
# FIELD_ENCRYPTION_KEYS: Fernet keys, comma-separated; the first encrypts, all
# decrypt (rotation). IDENTIFIER_HMAC_KEY: the key of the lookup hash.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
IDENTIFIER_HMAC_KEY = env_str("IDENTIFIER_HMAC_KEY")
if not (FIELD_ENCRYPTION_KEYS and IDENTIFIER_HMAC_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS and IDENTIFIER_HMAC_KEY are required unless DEBUG=1 (see .env.example)."
        )
    # Development only: keys derived from the development SECRET_KEY.
    import base64
    import hashlib

    FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [
        base64.urlsafe_b64encode(hashlib.sha256(f"fernet:{SECRET_KEY}".encode()).digest()).decode()
    ]
    IDENTIFIER_HMAC_KEY = IDENTIFIER_HMAC_KEY or hashlib.sha256(f"hmac:{SECRET_KEY}".encode()).hexdigest()

# The country whose citizens register here: it decides the national ID check.
PORTAL_HOME_COUNTRY = env_str("PORTAL_HOME_COUNTRY", "KZ").upper()
if not re.fullmatch(r"[A-Z]{2}", PORTAL_HOME_COUNTRY):
    raise ImproperlyConfigured(
        f"PORTAL_HOME_COUNTRY must be an ISO 3166-1 alpha-2 code such as KZ; got {PORTAL_HOME_COUNTRY!r}."
    )

# The <sender> of our CAP alerts: globally unique, so by default our host name.
PORTAL_CAP_SENDER = env_str("PORTAL_CAP_SENDER", _site.hostname)
if not re.fullmatch(r"[^\s,<&]+", PORTAL_CAP_SENDER):
    raise ImproperlyConfigured(f"PORTAL_CAP_SENDER must contain no spaces, commas, < or &; got {PORTAL_CAP_SENDER!r}.")

INSTALLED_APPS = [
    # Translated model fields (advisories' texts in kk, ru, en); before the admin, as it asks.
    "modeltranslation",
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's form widget templates, for FORM_RENDERER below.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Email providers' backends and their delivery-receipt webhooks (broadcasts).
    "anymail",
    "django_otp",
    # Only for its TOTP code, borrowed by our device (portal.second_factor), and its migrations.
    "django_otp.plugins.otp_totp",
    # The staff's authenticator apps, their secrets encrypted at rest.
    "portal.second_factor",
    "axes",
    "django_ratelimit",
    "registrations",
    "advisories",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # While the database is down: the 503 page at once (and one more try for a request a restart cut off).
    "portal.outage.DatabaseOutageMiddleware",
    # The anonymous public pages kept whole (PUBLIC_PAGES): a kept page skips everything below.
    "portal.public_pages.PublicPageCacheMiddleware",
    # A NUL byte in the path or query string: 400 before any view or query.
    "portal.security.RefuseNulBytesMiddleware",
    "portal.security.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends sessions idle or old for too long (citizens' and staff's lifetimes), before the second factor is read.
    "portal.sessions.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers a rate-limited request with our 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into a 429 page.
    "axes.middleware.AxesMiddleware",
]

# The project's templates for widgets too, and a BoundField writing valid HTML (portal/form_rendering.py).
FORM_RENDERER = "portal.form_rendering.FormRenderer"

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite beside manage.py by default, so the portal runs with nothing else
# installed; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool keeps connections warm during a surge of sign-ins; Django
    # requires persistent connections to be off when the pool is on.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Each connection is checked as it leaves the pool (psycopg_pool.ConnectionPool.check_connection,
    # an empty query): after a database restart the dead ones are dropped there, not met by a request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # Seconds to give up connecting to a database host that does not answer at all.
    _options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 2)
    _options["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        # Seconds a request waits for a connection: short, so that nothing hangs while the database is
        # down (portal.outage answers with the 503 page instead).
        "timeout": env_float("DATABASE_POOL_TIMEOUT", 0.5),
    }
# Milliseconds, from the first failure, during which requests wait for a database that does not
# answer at all (stopped, or between the two halves of a restart) before the 503 page comes at once.
DATABASE_OUTAGE_GRACE_MS = env_int("DATABASE_OUTAGE_GRACE_MS", 800)
# Milliseconds a request waits while the database's server answers but refuses (shutting down, starting
# up: a restart). A restart takes about 0.2 s on a quiet machine and 1.4 s on a loaded one; /health/
# never waits, so a load balancer still learns at once.
DATABASE_RESTART_WAIT_MS = env_int("DATABASE_RESTART_WAIT_MS", 3000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "registrations.User"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins for a locked-out (account, IP address) pair.
    "axes.backends.AxesStandaloneBackend",
    # Refuses inactive accounts, so deactivating a staff member ends their sessions.
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "registrations:login"
LOGIN_REDIRECT_URL = "registrations:account"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "portal.hashers.OwaspArgon2PasswordHasher",
    # Kept so that hashes made by Django's default parameters still verify
    # (and are upgraded at the next sign-in).
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long the link in a sign-up email stays valid.
EMAIL_CONFIRMATION_MAX_AGE = env_int("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 3600)

# Repeated failed sign-ins lock the pair of account and IP address, never the
# IP alone: citizens abroad share mobile carriers' and hotels' addresses.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form's field is "username" even though it holds the email.
AXES_USERNAME_FORM_FIELD = "username"
# Axes would otherwise log each attempt with the email address typed, and keep
# a table of every successful sign-in: personal data we have no use for.
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registrations/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Only what identifies the attempt; no passwords or form data in the records.
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
# The address as accounts store it (stripped, lowercase): changing its letter case gives no fresh attempts.
AXES_USERNAME_CALLABLE = "registrations.services.accounts.lockout_username"
# A lock lasts AXES_COOLOFF_TIME from the failure that locked it: attempts during the lock, even right
# ones, do not extend it, so a neighbour on the same address cannot keep a citizen out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# Staff's second factor: TOTP apps show this name beside the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Consular Portal")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
]
LOCALE_PATHS = [
    BASE_DIR / "locale",
    # Django's own messages that its catalogue lacks for Kazakh (validators,
    # form errors); kept apart because makemessages does not extract them.
    BASE_DIR / "locale_django",
]
# Our own date and time formats where Django's are missing or wrong (kk: Kazakh order, 24-hour clock).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

# Texts staff write for the public (advisory editions, missions) have a value per language
# (django-modeltranslation: summary_kk, summary_ru, summary_en). A missing one falls back to
# the first of these languages that has one, and the page marks it with its lang.
CONTENT_LANGUAGE_FALLBACK = env_list("CONTENT_LANGUAGE_FALLBACK", ["ru", "kk", "en"])
if not set(CONTENT_LANGUAGE_FALLBACK) <= {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(
        f"CONTENT_LANGUAGE_FALLBACK must list codes of LANGUAGES (en, ru, kk); got {CONTENT_LANGUAGE_FALLBACK!r}."
    )
MODELTRANSLATION_LANGUAGES = ("kk", "ru", "en")
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": tuple(CONTENT_LANGUAGE_FALLBACK)}


def MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME(verbose_name, language):
    """The label of a text's column, "summary (Kazakh)", translated when shown.

    modeltranslation's default joins the two once, in English, at start-up.
    """
    return format_lazy("{} ({})", verbose_name, dict(LANGUAGES)[language])


STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap's compiled files come from a PyPI wheel, served by whitenoise:
    # no CDN, no Node.
    ("bootstrap", get_bootstrap_dir()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# Redis in production: rate limits and cached public pages must be shared
# by every process. Without REDIS_URL each process keeps its own memory
# cache, which is fine for one development server (portal.W001 warns otherwise).
REDIS_URL = env_str("REDIS_URL")
# django-ratelimit only knows django-redis; Django's own RedisCache has the
# atomic incr it needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if REDIS_URL:
    # Django's RedisCache, keeping its Redis client instead of building one per call (portal/redis_cache.py).
    CACHES = {"default": {"BACKEND": "portal.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-ratelimit refuses a per-process cache outright; portal.W001 warns in production.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

# Sign-up and password reset are limited per client address (one shared
# address serves a whole hotel or carrier, so the limits are generous).
RATELIMIT_VIEW = "portal.views.rate_limited"
RATELIMIT_IP_META_KEY = "portal.client_ip.client_ip"
SIGNUP_RATE = env_str("SIGNUP_RATE", "30/h")
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "10/h")
SUBSCRIPTION_RATE = env_str("SUBSCRIPTION_RATE", "20/h")
# Saves of the profile form allowed per account (it takes a national ID).
PROFILE_RATE = env_str("PROFILE_RATE", "20/h")
# Emails anyone can ask for (sign-up, reset, subscription) one address receives per window, whoever asks.
EMAIL_RECIPIENT_LIMIT = env_int("EMAIL_RECIPIENT_LIMIT", 5)
EMAIL_RECIPIENT_WINDOW = env_int("EMAIL_RECIPIENT_WINDOW", 3600)

# Background tasks run by `manage.py db_worker` from the database queue;
# tests set TASKS_BACKEND=immediate to run them in-process.
# "rq": the tasks wait in Redis (REDIS_URL) instead, for ministries whose broadcasts would
# load the database queue too much; run them with `manage.py rqworker default --with-scheduler`
# (the scheduler runs the delayed ones: retries and the broadcasts' watch).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
_task_backend = env_str("TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}; got {_task_backend!r}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend], "QUEUES": ["default"]}}
if _task_backend == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

# Freshness and retention of citizens' records (days).
REGISTRATION_RECONFIRM_AFTER_DAYS = env_int("REGISTRATION_RECONFIRM_AFTER_DAYS", 90)
TRIP_RETENTION_DAYS = env_int("TRIP_RETENTION_DAYS", 30)
# Days after a crisis closes before its answers, notes and help requests are deleted (its counts stay).
CRISIS_RETENTION_DAYS = env_int("CRISIS_RETENTION_DAYS", 90)
# The crisis board reloads its numbers this often (seconds) when JavaScript is on.
CRISIS_BOARD_REFRESH_SECONDS = env_int("CRISIS_BOARD_REFRESH_SECONDS", 10)
# The chase list: people not answered this many hours after the first message (the page can ask for another).
CRISIS_CHASE_AFTER_HOURS = env_int("CRISIS_CHASE_AFTER_HOURS", 6)
# Rows on the chase list's page; the CSV has them all.
CRISIS_CHASE_PAGE_SIZE = env_int("CRISIS_CHASE_PAGE_SIZE", 200)
# Headquarters' board by country is counted by the task worker STAFF_COUNTS_RECOUNT_DELAY seconds after
# a registration (a burst is counted once), and at least every STAFF_COUNTS_CACHE_SECONDS while someone
# looks at it; a mission officer's board is shared STAFF_COUNTS_CACHE_SECONDS.
STAFF_COUNTS_CACHE_SECONDS = env_int("STAFF_COUNTS_CACHE_SECONDS", 60)
STAFF_COUNTS_RECOUNT_DELAY = env_int("STAFF_COUNTS_RECOUNT_DELAY", 2)

# The anonymous public pages kept whole in each process's memory, by URL name (portal.public_pages):
# none may show personal data or a CSRF token (a response that sets a cookie or uses one is never kept).
PUBLIC_PAGES = (
    [
        "home",
        "privacy",
        "accessibility",
        "advisories:index",
        "advisories:country",
        "advisories:missions",
        "advisories:map",
        "advisories:outputs",
        "advisory_data:feed",
        "advisory_data:country_feed",
        "advisory_data:cap_feed",
        "advisory_data:cap_alert",
        "advisory_data:api_advisories",
        "advisory_data:api_advisory",
        "advisory_data:api_missions",
    ]
    if env_bool("PUBLIC_PAGES_CACHE", True)
    else []
)
# What the public pages show: a write to a model of these modules makes every kept page out of date at
# once (through the shared cache), and these functions give the data's version, read from the database
# at most every PUBLIC_PAGES_VERSION_SECONDS (so a change made behind the ORM's back shows within that).
PUBLIC_PAGES_DATA_MODULES = ["advisories.models"]
PUBLIC_PAGES_VERSION = ["advisories.caching.advisories_version", "advisories.caching.missions_version"]
PUBLIC_PAGES_VERSION_SECONDS = env_int("PUBLIC_PAGES_VERSION_SECONDS", 2)
# Seconds a process keeps a page at most (a country page says the time it was made).
PUBLIC_PAGES_MAX_AGE = env_int("PUBLIC_PAGES_MAX_AGE", 60)
PUBLIC_PAGES_MAX_ENTRIES = env_int("PUBLIC_PAGES_MAX_ENTRIES", 2000)
PUBLIC_PAGES_MAX_BYTES = env_int("PUBLIC_PAGES_MAX_BYTES", 64 * 1024 * 1024)

# Broadcasts (registrations/tasks/broadcasts.py).
# A person gets their preferred language when the broadcast has a text in it, else the
# first of these languages that it has.
BROADCAST_LANGUAGE_FALLBACK = env_list("BROADCAST_LANGUAGE_FALLBACK", ["ru", "kk", "en"])
if not set(BROADCAST_LANGUAGE_FALLBACK) <= {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(
        f"BROADCAST_LANGUAGE_FALLBACK must list codes of LANGUAGES (en, ru, kk); got {BROADCAST_LANGUAGE_FALLBACK!r}."
    )
# Messages handed to the provider per second and channel, across all workers when REDIS_URL is set
# (each process counts alone otherwise).
BROADCAST_RATE_PER_SECOND = {
    "email": env_int("BROADCAST_EMAIL_RATE_PER_SECOND", 50),
    "sms": env_int("BROADCAST_SMS_RATE_PER_SECOND", 10),
}
# Tries of one message while the provider answers "try later" (1, 2, 4… minutes apart, at most an hour).
BROADCAST_SEND_ATTEMPTS = env_int("BROADCAST_SEND_ATTEMPTS", 8)
# Deliveries one background task sends before the rest is left to the others.
BROADCAST_BATCH_SIZE = env_int("BROADCAST_BATCH_SIZE", 1000)
# Seconds a worker's claim on a delivery lasts. Longer than the slowest provider call
# (EMAIL_TIMEOUT, SMS_TIMEOUT): a delivery still claimed after it belongs to a dead worker.
BROADCAST_CLAIM_SECONDS = env_int("BROADCAST_CLAIM_SECONDS", 120)
# Minutes after sending without a single delivery receipt before the broadcast shows an alarm.
BROADCAST_RECEIPT_ALARM_MINUTES = env_int("BROADCAST_RECEIPT_ALARM_MINUTES", 15)

# SMS (portal/sms): the backend, like EMAIL_BACKEND. Console prints them (development);
# portal.sms.backends.twilio.SmsBackend sends them through Twilio.
SMS_BACKEND = env_str(
    "SMS_BACKEND", "portal.sms.backends.console.SmsBackend" if DEBUG else "portal.sms.backends.twilio.SmsBackend"
)
# Parts one SMS may take (a Cyrillic part holds 67 characters, a Latin one 153).
SMS_MAX_PARTS = env_int("SMS_MAX_PARTS", 2)
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 20)
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
# The sender: a Messaging Service SID (MG…), or a phone number in E.164.
TWILIO_FROM = env_str("TWILIO_FROM")
# The recording backends (portal/sms/backends/recording.py) append every message to this file:
# benchmarks and the worker-kill tests count what left, across processes.
OUTBOX_RECORDING_FILE = env_str("OUTBOX_RECORDING_FILE")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# Tries of an email while the mail server is unreachable (1, 2, 4… minutes apart, at most an hour): about 9 hours.
EMAIL_SEND_ATTEMPTS = env_int("EMAIL_SEND_ATTEMPTS", 15)
# django-anymail's settings, from ANYMAIL_<NAME> variables (ANYMAIL_WEBHOOK_SECRET,
# ANYMAIL_MAILGUN_API_KEY…) when EMAIL_BACKEND is one of its providers' backends.
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Consular portal <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Portal administrators", address) for address in env_list("ADMINS")]

# Security headers. Cookies, redirects and HSTS follow the scheme of SITE_URL.
SESSION_COOKIE_SECURE = USE_HTTPS
CSRF_COOKIE_SECURE = USE_HTTPS
SECURE_SSL_REDIRECT = USE_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if USE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", USE_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours append to X-Forwarded-For (0: use REMOTE_ADDR), and the addresses (or networks)
# they connect from: the header is believed only from those. The proxy must overwrite X-Forwarded-For
# (or append to what it received, as each of ours does), never pass on a client's header as its own.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES", ["127.0.0.1", "::1"])
try:
    TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(address, strict=False) for address in TRUSTED_PROXY_ADDRESSES]
except ValueError:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_ADDRESSES must be IP addresses or networks, comma-separated; got {TRUSTED_PROXY_ADDRESSES!r}."
    ) from None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Citizens' sessions end after SESSION_COOKIE_AGE seconds without a request, and SESSION_MAX_AGE after
# signing in whatever happens; staff's sooner (portal.sessions.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_MAX_AGE = env_int("SESSION_MAX_AGE", 24 * 3600)
STAFF_SESSION_IDLE_AGE = env_int("STAFF_SESSION_IDLE_AGE", 30 * 60)
STAFF_SESSION_MAX_AGE = env_int("STAFF_SESSION_MAX_AGE", 10 * 3600)
# A staff member without a second-factor device enrols one only this soon after signing in with the password.
STAFF_ENROL_WITHIN_SECONDS = env_int("STAFF_ENROL_WITHIN_SECONDS", 10 * 60)
# Browser features no page of ours uses, switched off (the Permissions-Policy header).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
}
LANGUAGE_COOKIE_SECURE = USE_HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Everything comes from our own host: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry paths only; we keep personal data out of paths.
        "django.request": {"level": "WARNING"},
        "django.security": {"level": "WARNING"},
        # Axes' messages name the account; counts are in the database instead.
        "axes": {"level": "ERROR"},
    },
}
