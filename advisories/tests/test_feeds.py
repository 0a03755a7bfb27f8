import xml.etree.ElementTree as ET

import pytest

from advisories.models import AdvisoryEdition
from advisories.tests.factories import make_published_advisory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_the_feed_lists_major_changes_newest_first_in_english(client):
    make_published_advisory("IR", level=3, change_note="First edition.")
    make_published_advisory("TR", level=2, change_note="Turkey added.")
    make_published_advisory("IR", level=4, change_note="Raised to level 4.")

    feed = entries(client, "/advisories/feed/", HTTP_ACCEPT_LANGUAGE="ru")

    assert [entry.findtext(f"{ATOM}title") for entry in feed] == [
        "Iran: level 4, Do not travel",
        "Türkiye: level 2, Exercise increased caution",
        "Iran: level 3, Reconsider travel",
    ]
    newest = feed[0]
    assert "Raised to level 4." in newest.findtext(f"{ATOM}summary")
    assert newest.find(f"{ATOM}link").get("href").endswith("/en/advisories/ir/")
    assert newest.findtext(f"{ATOM}id").startswith("tag:")
    assert newest.findtext(f"{ATOM}updated")


def test_ids_are_stable_and_unique(client):
    make_published_advisory("IR", level=3)
    first_ids = [entry.findtext(f"{ATOM}id") for entry in entries(client, "/advisories/feed/")]
    make_published_advisory("IR", level=4)

    ids = [entry.findtext(f"{ATOM}id") for entry in entries(client, "/advisories/feed/")]

    assert ids[1:] == first_ids
    assert len(set(ids)) == 2


def test_minor_updates_are_not_in_the_feed(client):
    make_published_advisory("IR", level=4, change_note="First edition.")
    minor = make_published_advisory("IR", level=4, change_note="Typo fixed.").current_edition
    AdvisoryEdition.objects.filter(pk=minor.pk).update(is_major=False)

    assert len(entries(client, "/advisories/feed/")) == 1


def test_the_change_note_cannot_inject_markup(client):
    make_published_advisory("IR", change_note='<script>alert("x")</script>')

    [entry] = entries(client, "/advisories/feed/")

    # The summary is HTML; what staff typed arrives as text, not as a tag.
    assert "<script>" not in entry.findtext(f"{ATOM}summary")


def test_a_country_feed_has_only_that_country(client):
    make_published_advisory("IR", level=4)
    make_published_advisory("TR", level=2)

    feed = entries(client, "/advisories/tr/feed/")

    assert [entry.findtext(f"{ATOM}title") for entry in feed] == ["Türkiye: level 2, Exercise increased caution"]
    assert client.get("/advisories/fr/feed/").status_code == 404


def test_the_feed_answers_304_when_unchanged(client):
    make_published_advisory("IR", level=4)
    response = client.get("/advisories/feed/")

    assert client.get("/advisories/feed/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_each_language_has_its_feed_with_the_texts_in_it(client):
    iran = make_published_advisory("IR", level=4, change_note="Raised to level 4.")
    AdvisoryEdition.objects.filter(pk=iran.current_edition_id).update(change_note_kk="4-деңгейге көтерілді.")

    response = client.get("/advisories/feed/kk/", HTTP_ACCEPT_LANGUAGE="en")
    feed = ET.fromstring(response.content)
    [entry] = feed.findall(f"{ATOM}entry")

    assert response["Content-Language"] == "kk"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "kk"
    assert entry.findtext(f"{ATOM}title").startswith("Иран: ")
    assert "4-деңгейге көтерілді." in entry.findtext(f"{ATOM}summary")
    assert entry.find(f"{ATOM}link").get("href").endswith("/kk/advisories/ir/")
    # The same change keeps its id in every language.
    [english] = entries(client, "/advisories/feed/")
    assert english.findtext(f"{ATOM}id") == entry.findtext(f"{ATOM}id")


def test_a_change_note_not_yet_translated_comes_in_its_language_marked_so(client):
    make_published_advisory("IR", level=4, change_note="Raised to level 4.")

    [entry] = entries(client, "/advisories/ir/feed/ru/")

    summary = entry.find(f"{ATOM}summary")
    assert "Raised to level 4." in summary.text
    assert summary.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_a_language_the_portal_does_not_speak_has_no_feed(client):
    make_published_advisory("IR", level=4)

    assert client.get("/advisories/feed/de/").status_code == 404
    assert client.get("/advisories/ir/feed/de/").status_code == 404
