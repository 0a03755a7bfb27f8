"""create_first_superuser, run as the README says, names what is missing instead of a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

PROJECT = Path(__file__).resolve().parents[2]


def manage(*args, tmp_path, **env):
    """`python manage.py …` in a fresh interpreter with only these variables (no terminal, no password)."""
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    # Never the checkout's own db.sqlite3.
    clean["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**clean, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "k" * 60}, "FIELD_ENCRYPTION_KEYS and IDENTIFIER_HMAC_KEY are required"),
    ],
)
def test_without_the_production_variables_it_names_them(tmp_path, env, missing):
    result = manage("create_first_superuser", "--email", "chief@mfa.example", tmp_path=tmp_path, **env)

    assert result.returncode == 1
    assert missing in result.stderr
    assert "DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr


def test_on_a_database_without_its_tables_it_asks_for_migrate(tmp_path):
    result = manage("create_first_superuser", "--email", "chief@mfa.example", tmp_path=tmp_path, DEBUG="1")

    assert result.returncode == 1
    assert "run `python manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_without_a_password_or_a_terminal_it_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("PORTAL_SUPERUSER_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="set PORTAL_SUPERUSER_PASSWORD"):
        call_command("create_first_superuser", email="chief@mfa.example")
    assert not get_user_model().objects.exists()
