"""Test-only environment, loaded by pytest (`-p portal.testing`) before Django
reads its settings, so that `pytest` works with nothing exported."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret-" + "x" * 40)
# Tests render templates without running collectstatic first.
os.environ.setdefault("STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM calls a
# test makes around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
