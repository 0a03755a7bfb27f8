"""A feed reader (feedparser) finds the feed of a country from its page over HTTP, and reads it."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser
import pytest
import requests

from advisories.models import AdvisoryEdition
from advisories.tests.factories import make_published_advisory

pytestmark = pytest.mark.django_db(transaction=True)


class AlternateLinks(HTMLParser):
    """<link rel="alternate"> of a page's head, as feed readers look for them."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate":
            self.links.append(attributes)


def discover(url, media_type):
    page = requests.get(url, timeout=10)
    page.raise_for_status()
    parser = AlternateLinks()
    parser.feed(page.text)
    return [urljoin(url, link["href"]) for link in parser.links if link.get("type") == media_type]


def test_a_feed_reader_discovers_the_feed_from_the_country_page(live_server, settings):
    settings.SITE_URL = live_server.url
    iran = make_published_advisory("IR", level=4, change_note="Raised to level 4.")
    AdvisoryEdition.objects.filter(pk=iran.current_edition_id).update(change_note_kk="4-деңгейге көтерілді.")
    make_published_advisory("TR", level=2, change_note="Türkiye's first edition.")

    [feed_url] = discover(f"{live_server.url}/kk/advisories/ir/", "application/atom+xml")
    [cap_url] = discover(f"{live_server.url}/kk/advisories/ir/", "application/cap+xml")
    feed = feedparser.parse(requests.get(feed_url, timeout=10).content)

    assert not feed.bozo, feed.bozo_exception
    assert feed_url.endswith("/advisories/ir/feed/kk/")
    assert feed.feed.language == "kk"
    [entry] = feed.entries  # that country's changes only
    assert "4-деңгейге көтерілді." in entry.summary
    assert entry.link.endswith("/kk/advisories/ir/")
    assert requests.get(cap_url, timeout=10).headers["Content-Type"] == "application/cap+xml"
