"""Staff find a subscriber by email address without the address ever appearing in a URL (issue 11).

The subscriptions' list searches as the lists of citizens do (portal.admin_search):
the box posts the address, the list's address holds a token kept in the session.
"""

import re
from urllib.parse import unquote_plus

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from advisories.subscriptions.models import Subscription
from advisories.tests.factories import make_advisory_staff, sign_in_to_admin
from registrations.tests.staff_search import search, token_of

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/admin/advisories/subscription/"
URL_ATTRIBUTES = re.compile(r'(?:href|action|src|formaction)="([^"]*)"')


def urls_of(response):
    """Every address the client asked for on the way (the POST, each redirect), and every link and form of the page."""
    asked = [response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")]
    asked += [url for url, _status in getattr(response, "redirect_chain", [])]
    return asked + URL_ATTRIBUTES.findall(response.content.decode())


@pytest.fixture
def subscribers(db):
    Subscription.objects.create(email="reader@example.com", country="IR")
    Subscription.objects.create(email="someone.else@example.org", country="TR")


def test_staff_find_a_subscriber_by_email_without_the_address_in_any_url(as_author, subscribers):
    response = search(as_author, SUBSCRIPTIONS, "reader@example.com", confirmed="no")

    assert response.status_code == 200
    assert "reader@example.com" in response.text.replace('value="reader@example.com"', "")
    assert "someone.else@example.org" not in response.text
    assert 'value="reader@example.com"' in response.text  # the box shows the term, in the page
    assert response.redirect_chain[-1][0].startswith(f"{SUBSCRIPTIONS}?")
    assert "confirmed=no" in response.redirect_chain[-1][0]  # the list's filters go along with the search
    urls = urls_of(response)
    assert any("qt=" in url for url in urls[1:])  # the links keep the search, by its token
    for url in urls:
        plain = unquote_plus(url).replace("&amp;", "&")
        assert "reader" not in plain, url
        assert "example.com" not in plain, url


def test_the_search_box_of_the_subscriptions_posts_its_term(as_author, subscribers):
    page = as_author.get(SUBSCRIPTIONS)

    assert f'method="post" action="{SUBSCRIPTIONS}search/"' in page.text
    assert "csrfmiddlewaretoken" in page.text


def test_an_address_in_the_url_is_refused_and_not_searched(as_author, subscribers):
    response = as_author.get(SUBSCRIPTIONS, {"q": "reader@example.com", "country": "IR"})

    assert response.status_code == 302
    assert response["Location"] == f"{SUBSCRIPTIONS}?country=IR"
    page = as_author.get(response["Location"])
    assert "Search with the search box" in page.text
    assert 'value="reader@example.com"' not in page.text


def test_a_search_token_is_good_in_its_own_session_only(as_author, author, subscribers):
    token = token_of(search(as_author, SUBSCRIPTIONS, "reader@example.com"))

    assert as_author.get(SUBSCRIPTIONS, {"qt": token}).status_code == 200
    other = sign_in_to_admin(Client(), author)
    response = other.get(SUBSCRIPTIONS, {"qt": token})
    assert response.status_code == 302
    assert response["Location"] == SUBSCRIPTIONS


def test_staff_who_may_not_see_subscriptions_cannot_search_them(subscribers):
    staff = make_advisory_staff("no-subscriptions@example.gov.kz")
    staff.user_permissions.remove(*Permission.objects.filter(content_type__model="subscription"))
    client = sign_in_to_admin(Client(), staff)

    response = client.post(f"{SUBSCRIPTIONS}search/", {"q": "reader@example.com"})

    assert response.status_code == 403


def test_a_search_without_the_csrf_token_is_refused(author, subscribers):
    client = sign_in_to_admin(Client(enforce_csrf_checks=True), author)

    response = client.post(f"{SUBSCRIPTIONS}search/", {"q": "reader@example.com"})

    assert response.status_code == 403
