import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/{lang}/",
    "/{lang}/privacy/",
    "/{lang}/accessibility/",
    "/{lang}/advisories/",
    "/{lang}/embassies/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/password/reset/",
]


class _References(HTMLParser):
    """Collects what a page would load or link to, and inline code."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.headings = []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1
        if "style" in attrs:
            self.style_attributes += 1
        if tag == "h1":
            self._heading = ""

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data

    def handle_endtag(self, tag):
        if tag == "h1" and self._heading is not None:
            self.headings.append(" ".join(self._heading.split()))
            self._heading = None


def parse(html):
    references = _References()
    references.feed(html)
    return references


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_public_pages_load_only_from_our_host_and_have_no_inline_code(client, path, lang):
    response = client.get(path.format(lang=lang))

    assert response.status_code == 200
    page = parse(response.text)
    foreign = [url for url in page.urls if urlsplit(url).netloc or url.startswith("//")]
    assert foreign == []
    assert page.inline_scripts == 0
    assert page.style_attributes == 0
    assert len(page.headings) == 1, "one h1 per page"
    assert f'<html lang="{lang}">' in response.text


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_home_page_is_translated(client, lang):
    english = parse(client.get("/en/").text).headings[0]

    heading = parse(client.get(f"/{lang}/").text).headings[0]

    with translation.override(lang):
        assert heading == translation.gettext("Travelling or living abroad? Let your embassy know.")
    assert heading != english


def test_the_bare_address_sends_each_visitor_to_their_language(client):
    assert client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9"})["Location"] == "/ru/"
    assert client.get("/", headers={"accept-language": "kk"})["Location"] == "/kk/"
    assert client.get("/", headers={"accept-language": "de"})["Location"] == "/en/"


def test_security_headers(client):
    response = client.get("/en/")

    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_unknown_page_gets_our_404_in_the_visitors_language(client):
    response = client.get("/ru/no-such-page/")

    assert response.status_code == 404
    with translation.override("ru"):
        assert translation.gettext("Page not found") in response.text


def test_server_error_page_needs_no_request_context():
    request = RequestFactory().get("/en/")

    with translation.override("en"):
        response = server_error(request)

    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


def test_health_check_reports_the_database(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_bootstrap_comes_from_our_own_static_files(client):
    html = client.get("/en/").text

    stylesheet = re.search(r'href="([^"]*bootstrap[^"]*\.css)"', html).group(1)
    assert stylesheet.startswith("/static/")
