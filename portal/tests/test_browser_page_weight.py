"""Page weight: what a browser downloads on a first visit to each public page, served as in production.

The live server answers here as the portal does in production: static files
collected with the hashed, compressed storage and served by WhiteNoise, the
public pages kept and compressed by portal.public_pages. A fresh browser
context per page is a first visit (empty cache); every response is counted as
transferred (encoded body and headers), the map and every stylesheet, script
and icon included.
"""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.test import override_settings

import advisories.demo
from conftest import PHONE_VIEWPORT, BrowserPage

pytestmark = pytest.mark.browser

# The budget for a first visit, on any public page.
BUDGET = 100 * 1024

PUBLIC_PAGES = [
    "/en/",
    "/en/advisories/",
    "/ru/advisories/",
    "/kk/advisories/",
    "/en/advisories/ir/",
    "/en/advisories/il/",
    "/en/embassies/",
    "/en/advisories/data/",
    "/en/privacy/",
    "/en/accessibility/",
    "/en/accounts/login/",
    "/en/accounts/signup/",
]


@pytest.fixture
def served_as_in_production(live_server, tmp_path, settings):
    """The live server's application swapped for the portal's own, with collected, compressed static files."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
        httpd = live_server.thread.httpd
        original = httpd.get_app()
        httpd.set_app(WSGIHandler())
        try:
            yield
        finally:
            httpd.set_app(original)


def transferred_on_first_visit(page, path):
    """Bytes the browser received for `path` and everything it loaded, each response's headers included."""
    responses = []
    page.page.on("requestfinished", lambda request: responses.append(request))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    total = 0
    for request in responses:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total, [request.url for request in responses]


def test_every_public_page_weighs_at_most_100_kb_on_a_first_visit(browser, live_server, served_as_in_production):
    advisories.demo.load(stdout=io.StringIO())
    weights = {}
    for path in PUBLIC_PAGES:
        context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-GB")
        try:
            page = BrowserPage(context.new_page(), live_server.url)
            total, urls = transferred_on_first_visit(page, path)
            assert any(url.endswith(".css") for url in urls), f"{path}: no stylesheet loaded"
            weights[path] = total
        finally:
            context.close()

    heavy = {path: weight for path, weight in weights.items() if weight > BUDGET}
    assert heavy == {}, f"over {BUDGET} bytes on a first visit: {heavy} (all: {weights})"
