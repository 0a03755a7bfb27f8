"""What the public reads: the index and its map, a country's page, the mission directory."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advisories import services
from advisories.models import MissionKind, MissionPhone, OperatingStatus, PhoneKind
from advisories.tests.factories import draft_of, make_mission, make_published_advisory

pytestmark = pytest.mark.django_db

INDEX = "/en/advisories/"
MAP = "/en/advisories/map.svg"
DIRECTORY = "/en/embassies/"

# 30 countries that have ISO 3166-2 regions and a shape on the map.
MANY = [
    "IR",
    "IL",
    "TR",
    "AE",
    "GE",
    "DE",
    "US",
    "KR",
    "CN",
    "RU",
    "TH",
    "EG",
    "AZ",
    "AM",
    "TM",
    "FR",
    "IT",
    "ES",
    "PL",
    "UA",
    "KZ",
    "UZ",
    "KG",
    "TJ",
    "IN",
    "PK",
    "SA",
    "IQ",
    "JO",
    "LB",
]


def table_row(page, code):
    match = re.search(rf'<tr id="country-{code}">(.*?)</tr>', page.text, re.S)
    assert match, f"no row for {code}"
    return match.group(1)


def test_the_index_lists_every_country_with_its_level(client):
    make_published_advisory("IR", level=4)
    make_published_advisory("TR", level=2)

    page = client.get(INDEX)

    assert "Level 4: Do not travel" in table_row(page, "ir")
    assert 'href="/en/advisories/ir/"' in table_row(page, "ir")
    assert "Level 2: Exercise increased caution" in table_row(page, "tr")
    assert "No advisory" in table_row(page, "fr")


def test_the_index_filters_by_level_and_name_and_sorts_by_level(client):
    make_published_advisory("IR", level=4)
    make_published_advisory("TR", level=2)
    make_published_advisory("DE", level=1)

    level_4 = client.get(INDEX, {"level": 4})
    named = client.get(INDEX, {"q": "ira"})  # Iran, Iraq, United Arab Emirates
    by_level = client.get(INDEX, {"sort": "level"})

    assert re.findall(r'<tr id="country-(\w+)"', level_4.text) == ["ir"]
    assert re.findall(r'<tr id="country-(\w+)"', named.text) == ["ir", "iq", "ae"]
    assert re.findall(r'<tr id="country-(\w+)"', by_level.text)[:3] == ["ir", "tr", "de"]
    assert "?sort=name" in by_level.text  # the other order is a plain link


def test_the_index_shows_the_map_as_an_object_with_a_legend(client):
    make_published_advisory("IR", level=4)

    page = client.get(INDEX)

    assert re.search(r'<object data="/en/advisories/map.svg\?v=[^"]+" type="image/svg\+xml"', page.text)
    assert 'aria-describedby="map-description"' in page.text
    assert "object-src 'self'" in page["Content-Security-Policy"]
    for legend in ["Level 4: Do not travel", "Level 1: Exercise normal precautions", "No advisory"]:
        assert legend in page.text


def test_the_map_colours_each_country_by_its_level_and_links_to_its_page(client):
    make_published_advisory("IR", level=4)

    response = client.get(MAP)
    svg = response.content.decode()

    assert response["Content-Type"].startswith("image/svg+xml")
    iran = re.search(
        r'<a href="/en/advisories/ir/" target="_top" class="ir"><title>(.*?)</title><path fill="(#\w+)"', svg
    )
    assert iran.groups() == ("Iran: level 4, Do not travel", "#a3161a")
    assert re.search(r'class="fr"><title>France: no advisory</title><path fill="#e6e6e6"', svg)
    assert "style=" not in svg and "<script" not in svg
    assert len(response.content) < 300_000  # the package's drawing is 778 KB
    # It is shown inside the index, and only there.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_map_answers_a_conditional_request_with_304_until_a_publication(client, author, publisher, iran):
    first = client.get(MAP)
    assert "max-age=300" in first["Cache-Control"]

    unchanged = client.get(MAP, headers={"if-none-match": first["ETag"]})
    services.publish_edition(edition=draft_of(iran, author=author, level=4), publisher=publisher)
    changed = client.get(MAP, headers={"if-none-match": first["ETag"]})

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert 'class="ir"><title>Iran: level 4, Do not travel</title>' in changed.content.decode()


def test_the_map_is_compressed_for_browsers_that_accept_it(client):
    response = client.get(MAP, headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 100_000


def test_the_country_page_shows_level_regions_sections_history_and_missions(client, author, publisher):
    advisory = make_published_advisory("IL", level=3, regions=[("IL-D", 4, "Rockets from Gaza.")])
    major = services.create_draft(advisory=advisory, author=author)
    major.level, major.change_note = 4, "Raised to level 4 after the escalation."
    major.safety_and_security = "Sirens sound often.\n\nFollow the Home Front Command."
    major.save()
    services.publish_edition(edition=major, publisher=publisher)
    minor = services.create_draft(advisory=advisory, author=author)
    minor.is_major, minor.change_note, minor.summary = False, "", "Do not travel to Israel."
    minor.save()
    services.publish_edition(edition=minor, publisher=author)
    tel_aviv = make_mission("IL", "Tel Aviv", jurisdiction=("IL", "PS"), name="Embassy in Tel Aviv")
    tel_aviv.operating_status, tel_aviv.status_note = OperatingStatus.LIMITED, "Consular section by appointment."
    tel_aviv.status_changed_at = timezone.now()
    tel_aviv.save()
    make_mission("JO", "Amman", jurisdiction=("JO", "IL"), name="Embassy in Amman")
    make_mission("DE", "Berlin", jurisdiction=("DE",), name="Embassy in Berlin")

    page = client.get("/en/advisories/il/")

    text = page.text
    assert "<h1>Israel: travel advice</h1>" in text
    assert "Level 4: Do not travel" in text
    assert "<p>Do not travel to Israel.</p>" in text
    assert "Al Janūbī" in text  # IL-D, by its ISO name
    assert "Rockets from Gaza." in text
    assert "<p>Sirens sound often.</p>\n\n<p>Follow the Home Front Command.</p>" in text
    assert "Last updated" in text and "Still current at" in text
    # The history holds every major change, the first edition included, newest first; not the minor one.
    history = text[text.index("History of changes") :]
    assert history.index("Raised to level 4 after the escalation.") < history.index("First edition.")
    assert "version 3" not in history
    missions = text[text.index("Who helps you there") :]
    assert missions.index("Embassy in Tel Aviv") < missions.index("Embassy in Amman")
    assert "Embassy in Berlin" not in missions
    assert "Limited services" in missions and "Consular section by appointment." in missions
    assert 'href="tel:+982100000000"' in missions


def test_staff_text_is_shown_as_text_never_as_html(client, iran):
    iran.current_edition.summary = '<script>alert("x")</script> <b>bold</b>'
    iran.current_edition.save()

    page = client.get("/en/advisories/ir/")

    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in page.text


def test_a_country_without_advisory_says_so_and_unknown_codes_are_not_found(client):
    page = client.get("/en/advisories/fr/")

    assert page.status_code == 200
    assert "No travel advisory has been published for this country." in page.text
    assert client.get("/en/advisories/xx/").status_code == 404


@pytest.mark.usefixtures("baku", "tehran")
def test_the_directory_groups_missions_by_host_country_and_answers_who_helps_where(client):
    ankara = make_mission("TR", "Ankara", jurisdiction=("TR",), name="Embassy in Ankara")
    make_mission(
        "TR", "Istanbul", jurisdiction=("TR",), kind=MissionKind.CONSULATE_GENERAL, name="Consulate General in Istanbul"
    )
    MissionPhone.objects.create(mission=ankara, kind=PhoneKind.MAIN, number="+90 312 000 00 00")

    everything = client.get(DIRECTORY)
    in_turkey = client.get(DIRECTORY, {"host-country": "TR"})
    helps_in_iran = client.get(DIRECTORY, {"helps-country": "IR"})

    headings = re.findall(r'<h2 id="host-\d+">(.*?)</h2>', everything.text)
    assert headings == ["Azerbaijan", "Iran", "Türkiye"]
    assert everything.text.index("Embassy in Ankara") < everything.text.index("Consulate General in Istanbul")
    assert '<dd class="phone-emergency"><a href="tel:+982100000000">' in everything.text
    assert "Embassy in Baku" not in in_turkey.text and "Consulate General in Istanbul" in in_turkey.text
    helps = helps_in_iran.text[helps_in_iran.text.index("Who helps you in Iran") :]
    assert helps.index("Embassy in Tehran") < helps.index("Embassy in Baku")
    assert "Embassy in Ankara" not in helps


# Caching: pages are cached per language and change as soon as the data does.


def test_a_publication_shows_at_once_although_the_pages_are_cached(
    client, django_assert_max_num_queries, author, publisher, iran
):
    assert "Level 3" in table_row(client.get(INDEX), "ir")
    with django_assert_max_num_queries(1):  # the version; the page itself comes from the cache
        assert "Level 3" in table_row(client.get(INDEX), "ir")

    services.publish_edition(edition=draft_of(iran, author=author, level=4), publisher=publisher)

    assert "Level 4" in table_row(client.get(INDEX), "ir")
    assert "Level 4: Do not travel" in client.get("/en/advisories/ir/").text


@pytest.mark.usefixtures("iran")
def test_the_cache_follows_the_database_so_every_process_sees_a_change(client):
    """Another process publishing is a change in the database only: nothing tells this process."""
    client.get(INDEX)
    client.get("/en/advisories/ir/")

    make_published_advisory("IR", level=4)  # written straight to the database, as another process would

    assert "Level 4" in table_row(client.get(INDEX), "ir")
    assert "Level 4: Do not travel" in client.get("/en/advisories/ir/").text


def test_a_mission_change_shows_at_once(client, tehran):
    assert "Operational" in client.get(DIRECTORY).text

    tehran.operating_status = OperatingStatus.SUSPENDED
    tehran.save()

    assert "Suspended" in client.get(DIRECTORY).text
    assert "Suspended" in client.get("/en/advisories/ir/").text


def test_pages_are_cached_per_language(client):
    make_published_advisory("DE", level=1)

    english = client.get("/en/advisories/de/")
    russian = client.get("/ru/advisories/de/")

    kazakh = client.get("/kk/advisories/de/")

    assert "Germany" in english.text
    assert "Германия" in russian.text
    assert "Германия" in kazakh.text and "Germany" not in kazakh.text  # pycountry's Kazakh names


def test_the_kazakh_index_sorts_countries_by_their_kazakh_names(client):
    page = client.get("/kk/advisories/")

    codes = re.findall(r'<tr id="country-(\w+)"', page.text)
    assert codes.index("us") < codes.index("de")  # АҚШ before Германия, though Germany before United States


# Each page costs a fixed number of queries, whatever the number of countries.


def _publish_countries(codes):
    for index, code in enumerate(codes):
        make_published_advisory(code, level=index % 4 + 1)
        make_mission(code, f"City of {code}", jurisdiction=sorted({code, "IR"}), name=f"Embassy {code}")


@pytest.mark.parametrize(
    "url",
    [INDEX, f"{INDEX}?sort=level&level=2", MAP, "/en/advisories/ir/", DIRECTORY, f"{DIRECTORY}?helps-country=IR"],
)
def test_public_pages_cost_a_fixed_number_of_queries(client, url, settings):
    from django.core.cache import cache

    settings.PUBLIC_PAGES = []  # the cost of rendering them, not of portal.public_pages' replay

    def queries_for(codes):
        _publish_countries(codes)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with_two = queries_for(MANY[:2])
    with_thirty = queries_for(MANY[2:])

    assert with_thirty == with_two
    # The country page reads, besides its edition, the one before it: a country just
    # lowered below level 3 links to its CAP Cancel from its head.
    # And 2 for the version portal.public_pages reads before it keeps a page (the cache was just cleared).
    assert with_two <= 11


def test_the_level_filter_speaks_the_pages_language(client):
    from django.utils import translation

    with translation.override("kk"):
        kazakh = translation.gettext("Reconsider travel")

    response = client.get("/kk/advisories/")

    assert kazakh != "Reconsider travel"
    assert f"3: {kazakh}</option>" in response.text
