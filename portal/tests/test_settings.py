"""Settings come from the environment and refuse values they cannot read."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env_bool, env_int, env_list

PROJECT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'pool': db.get('OPTIONS', {}).get('pool'), "
    "'conn_max_age': db['CONN_MAX_AGE'], 'secure_cookies': settings.SESSION_COOKIE_SECURE, "
    "'ssl_redirect': settings.SECURE_SSL_REDIRECT, 'hsts': settings.SECURE_HSTS_SECONDS, "
    "'hosts': settings.ALLOWED_HOSTS, 'home': settings.PORTAL_HOME_COUNTRY, "
    "'email': settings.EMAIL_BACKEND}))"
)


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    clean["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_the_portal_refuses_to_start_without_a_secret_key_unless_debug():
    refused = load_settings(DEBUG="0")
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr

    assert load_settings(DEBUG="1").returncode == 0


def test_production_refuses_to_start_without_the_identifier_keys():
    refused = load_settings(SECRET_KEY="k" * 60)

    assert refused.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and IDENTIFIER_HMAC_KEY are required" in refused.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("SESSION_COOKIE_AGE", "eight hours"),
        ("PORTAL_HOME_COUNTRY", "Kazakhstan"),
        ("SITE_URL", "portal.example"),
    ],
)
def test_a_malformed_variable_stops_the_start_and_is_named(variable, value):
    result = load_settings(**{"DEBUG": "1", variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.splitlines()[-1]


def test_development_defaults_use_sqlite_and_print_emails():
    values = json.loads(load_settings(DEBUG="1").stdout)

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["email"].endswith("console.EmailBackend")
    assert values["home"] == "KZ"
    assert values["secure_cookies"] is False


def test_postgresql_urls_use_psycopgs_connection_pool():
    values = json.loads(
        load_settings(
            DEBUG="1", DATABASE_URL="postgres://portal@db.internal:5432/portal", DATABASE_POOL_MAX_SIZE="25"
        ).stdout
    )

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["pool"]["max_size"] == 25
    # Django refuses persistent connections together with the pool.
    assert values["conn_max_age"] == 0


def test_an_https_site_gets_secure_cookies_redirects_and_hsts():
    values = json.loads(
        load_settings(
            SECRET_KEY="k" * 60,
            FIELD_ENCRYPTION_KEYS="EK1AzJHkpGlCYVkdyBBuWMljgELTCeyRIFY0LZjpU90=",
            IDENTIFIER_HMAC_KEY="h" * 40,
            SITE_URL="https://consular.example.gov.kz",
        ).stdout
    )

    assert values["secure_cookies"] is True
    assert values["ssl_redirect"] is True
    assert values["hsts"] >= 31_536_000
    assert values["hosts"] == ["consular.example.gov.kz"]
    assert values["email"].endswith("smtp.EmailBackend")


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("NUMBER", "12")
    monkeypatch.setenv("ITEMS", " a, b ,,c ")
    assert env_bool("FLAG") is True
    assert env_int("NUMBER", 0) == 12
    assert env_list("ITEMS") == ["a", "b", "c"]
    assert env_int("UNSET_NUMBER", 7) == 7

    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")
