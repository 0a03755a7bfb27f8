"""Fixtures shared by every app's tests, above all the real browser."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# MD5 costs microseconds where the portal's argon2id costs tens of milliseconds
# and 19 MiB per hash, and the suite hashes a password for nearly every user it
# makes. The real hashers stay behind it, so their hashes still verify.
FAST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's
# hosts at start-up; this machine's network refuses them.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A phone: the narrowest screen the portal promises to work on.
PHONE_VIEWPORT = {"width": 360, "height": 740}


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher(django_test_environment):
    """Every test hashes with MD5, the live server's thread included (settings are per process).

    Yields the hashers of portal/settings.py, which a test marked
    ``real_password_hasher`` gets back.
    """
    from django.conf import settings
    from django.test import override_settings

    real_hashers = list(settings.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=[FAST_PASSWORD_HASHER, *real_hashers]):
        yield real_hashers


@pytest.fixture(autouse=True)
def _real_password_hasher(request, _fast_password_hasher):
    if request.node.get_closest_marker("real_password_hasher") is None:
        yield
        return
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=_fast_password_hasher):
        yield


@pytest.fixture
def database_outage(client):
    """For tests of the database failing: the process knows of no outage before or after, and the
    client gets what a browser would (the error handler's page), not the exception."""
    from portal.outage import outage

    outage.__init__()
    client.raise_request_exception = False
    yield outage
    outage.__init__()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server; with an in-memory SQLite database, one request at a time.

    With an in-memory SQLite database, the live server's threads all use the
    test's own database connection. Django's threaded test server handles
    Chromium's parallel requests (a page, its jsi18n, its favicon) on that one
    sqlite3 connection at once, which Python's sqlite3 module does not
    survive: it corrupted memory and crashed a test process now and then
    (a segfault, or ContextVar.get returning a stray object). Without
    threads, Django answers "Connection: close", so no keep-alive blocks it.
    """
    from django.core.servers.basehttp import WSGIServer
    from pytest_django.live_server_helper import LiveServer

    class OneRequestAtATimeServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The server's thread already uses these connections (LiveServerThread.run).
            super().__init__(*args, **kwargs)

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    if server.thread.connections_override:
        server.thread.server_class = OneRequestAtATimeServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)."
        if os.environ.get("CI"):
            pytest.fail(f"{message} In CI a skipped browser test is a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class BrowserPage:
    """A Playwright page on the live server that remembers what went wrong.

    Every request to another host and every console error (a CSP violation
    shows up as one) fails the test at teardown.
    """

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.foreign_requests = []
        self.console_errors = []
        own_host = urlsplit(self.base_url).netloc
        page.on(
            "request",
            lambda request: (
                self.foreign_requests.append(request.url)
                if urlsplit(request.url).scheme in {"http", "https"} and urlsplit(request.url).netloc != own_host
                else None
            ),
        )
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def fits_its_width(self):
        """Whether the page needs no sideways scrolling, measured once it has loaded with its stylesheets:
        measured earlier, Django admin's min-width of 980 px is there before responsive.css lifts it."""
        self.page.wait_for_load_state("load")
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def __getattr__(self, name):
        return getattr(self.page, name)


def _new_page(browser, live_server, *, javascript=True):
    context = browser.new_context(viewport=PHONE_VIEWPORT, java_script_enabled=javascript, locale="en-GB")
    context.set_default_timeout(10_000)
    return context, BrowserPage(context.new_page(), live_server.url)


def _check_page(browser_page):
    assert browser_page.foreign_requests == [], "pages must load nothing from another host"
    assert browser_page.console_errors == [], "the browser reported errors (CSP violations show up here)"


@pytest.fixture
def page(browser, live_server, transactional_db, settings):
    """A phone-sized browser tab with JavaScript on."""
    settings.SITE_URL = live_server.url
    context, browser_page = _new_page(browser, live_server)
    yield browser_page
    context.close()
    _check_page(browser_page)


@pytest.fixture
def page_without_js(browser, live_server, transactional_db, settings):
    """A phone-sized browser tab with JavaScript off: every page must still work."""
    settings.SITE_URL = live_server.url
    context, browser_page = _new_page(browser, live_server, javascript=False)
    yield browser_page
    context.close()
    _check_page(browser_page)


@pytest.fixture
def last_link_in_mail(mailoutbox):
    """The last http(s) link of the last email sent."""

    def find(pattern=r"https?://\S+"):
        assert mailoutbox, "no email was sent"
        links = re.findall(pattern, mailoutbox[-1].body)
        assert links, f"no link in the email: {mailoutbox[-1].body}"
        return links[-1]

    return find


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /kk/ activates Kazakh for the thread; the next test must not inherit it."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
