"""The anonymous public pages, kept whole and compressed; never a page with a CSRF token or personal data."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisories.tests.factories import make_mission, make_published_advisory
from portal.public_pages import pages
from registrations.tests.factories import make_user

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _no_kept_pages():
    pages.clear()
    yield
    pages.clear()


def text_of(response):
    body = response.content
    return (gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body).decode()


@pytest.mark.parametrize(
    "url", ["/en/", "/en/advisories/", "/ru/advisories/ir/", "/en/embassies/", "/advisories/feed/", "/api/v1/missions/"]
)
def test_an_anonymous_public_page_is_compressed_and_has_no_csrf_token_or_cookie(client, url):
    make_published_advisory("IR", level=3)
    make_mission("IR", "Tehran")

    response = client.get(url, **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in text_of(response)


def test_a_browser_that_does_not_accept_gzip_gets_the_same_page_plain(client):
    compressed = client.get("/en/advisories/", **GZIP)
    plain = client.get("/en/advisories/")

    assert plain.get("Content-Encoding") is None
    assert plain.content.decode() == text_of(compressed)


def test_a_kept_page_costs_no_query(client):
    client.get("/en/advisories/", **GZIP)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/advisories/", **GZIP)

    assert response.status_code == 200
    assert len(queries) == 0


def test_a_signed_in_citizen_never_gets_a_kept_or_compressed_page(client):
    client.get("/en/advisories/", **GZIP)  # kept for everyone else
    client.force_login(make_user("citizen@example.com"))

    response = client.get("/en/advisories/", **GZIP)

    assert response.get("Content-Encoding") is None
    assert "Sign out" in response.text
    assert "csrfmiddlewaretoken" in response.text


@pytest.mark.parametrize("url", ["/en/accounts/login/", "/en/accounts/signup/"])
def test_a_page_with_a_form_that_needs_a_csrf_token_is_neither_kept_nor_compressed(client, url):
    first = client.get(url, **GZIP)
    second = client.get(url, **GZIP)

    assert first.get("Content-Encoding") is None
    assert second.get("Content-Encoding") is None
    assert "csrfmiddlewaretoken" in second.text
    assert second.cookies or first.cookies  # the CSRF cookie: a page of its own for each visitor


def test_a_publication_shows_at_once_on_a_kept_page(client):
    make_published_advisory("IR", level=3)
    assert "Level 3" in text_of(client.get("/en/advisories/ir/", **GZIP))

    make_published_advisory("IR", level=4)

    assert "Level 4" in text_of(client.get("/en/advisories/ir/", **GZIP))


def test_a_conditional_request_for_a_kept_output_gets_304(client):
    make_published_advisory("IR", level=3)
    first = client.get("/api/v1/advisories/", **GZIP)

    again = client.get("/api/v1/advisories/", HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)

    assert first["ETag"].startswith('W/"')  # a compressed body: weak, as GZipMiddleware does
    assert again.status_code == 304


def test_a_page_is_kept_no_longer_than_its_maximum_age(client, settings):
    settings.PUBLIC_PAGES_MAX_AGE = 0
    client.get("/en/advisories/", **GZIP)

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/advisories/", **GZIP)

    assert len(queries) > 0


def test_an_answer_in_the_language_accept_language_asks_is_kept_for_that_language_only(client, settings):
    """The JSON API answers in the reader's language (Vary: Accept-Language): one kept copy per language."""
    from advisories.tests.factories import make_published_advisory

    make_published_advisory("IR", level=4)

    kazakh = client.get("/api/v1/advisories/ir/", HTTP_ACCEPT_LANGUAGE="kk")
    english = client.get("/api/v1/advisories/ir/", HTTP_ACCEPT_LANGUAGE="en-GB")
    kazakh_again = client.get("/api/v1/advisories/ir/", HTTP_ACCEPT_LANGUAGE="kk-KZ")

    assert (kazakh["Content-Language"], english["Content-Language"]) == ("kk", "en")
    assert english.json()["country_name"] == "Iran"
    assert kazakh_again.json()["country_name"] == kazakh.json()["country_name"] != "Iran"
