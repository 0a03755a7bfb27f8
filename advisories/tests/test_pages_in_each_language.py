"""The public pages in Kazakh, Russian and English: staff's texts in the reader's language, a missing one shown
in its fallback language and marked so, region names and dates as the reader writes them, and the links that
let feed readers and alert systems find the outputs."""

# ruff: noqa: RUF001 - Kazakh and Russian texts: Cyrillic letters are meant.

import re

import pytest
from django.utils import timezone

from advisories.models import AdvisoryEdition, Mission, RegionalAdvisory
from advisories.tests.factories import kazakh, make_mission, make_published_advisory

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran_in_three_languages(db):
    advisory = make_published_advisory(
        "IR",
        level=4,
        summary="Do not travel to Iran.",
        change_note="Raised to level 4.",
        regions=[("IR-11", 4, "Kidnappings near the border.")],
    )
    AdvisoryEdition.objects.filter(pk=advisory.current_edition_id).update(
        summary_kk="Иранға бармаңыз.",
        summary_ru="Не совершайте поездок в Иран.",
        change_note_kk="4-деңгейге көтерілді.",
        change_note_ru="Повышен до уровня 4.",
        safety_and_security_en="Keep your passport ready.",
        safety_and_security_ru="Держите паспорт наготове.",
    )
    RegionalAdvisory.objects.filter(edition=advisory.current_edition_id).update(
        reason_kk="Шекара маңында адам ұрлау.", reason_ru="Похищения у границы."
    )
    return advisory


def test_a_kazakh_reader_reads_the_advice_in_kazakh(client, iran_in_three_languages):
    page = client.get("/kk/advisories/ir/").text

    assert "<p>Иранға бармаңыз.</p>" in page
    assert "Шекара маңында адам ұрлау." in page
    assert "4-деңгейге көтерілді." in page
    assert "Do not travel to Iran." not in page and "Raised to level 4." not in page


def test_a_missing_translation_shows_its_fallback_marked_with_its_language(client, iran_in_three_languages, settings):
    settings.CONTENT_LANGUAGE_FALLBACK = ["ru", "kk", "en"]

    page = client.get("/kk/advisories/ir/").text

    # The section exists in Russian and English only: a Kazakh reader gets the Russian, said so.
    section = re.search(
        r'<div lang="ru" class="translated-fallback[^"]*">(.*?)</div>\s*<p class="translation-coming">(.*?)</p>',
        page,
        re.S,
    )
    assert section, "the fallback text is not marked with its language"
    assert "Держите паспорт наготове." in section.group(1)
    assert section.group(2) == kazakh("Translation coming. Until then, this text is in Russian.")
    assert section.group(2) != "Translation coming. Until then, this text is in Russian."


def test_dates_and_times_on_a_kazakh_page_are_in_kazakh_order_and_valid_html(client, iran_in_three_languages):
    published = timezone.localtime(iran_in_three_languages.current_edition.published_at)

    page = client.get("/kk/advisories/ir/").text

    assert f"{published.day} " in page and f" {published.year} ж., {published:%H:%M}" in page
    assert "a.m." not in page and "p.m." not in page
    for value in re.findall(r'<time datetime="([^"]+)"', page):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d{4})?", value), value  # no microseconds


def test_region_names_follow_the_language_where_iso_codes_has_them(client):
    make_published_advisory("AM", level=2, regions=[("AM-ER", 3, "Protests.")])

    assert "Ереван" in client.get("/ru/advisories/am/").text
    assert "Erevan" in client.get("/en/advisories/am/").text


def test_the_regions_table_can_be_scrolled_with_the_keyboard(client, iran_in_three_languages):
    page = client.get("/en/advisories/ir/").text

    assert '<div class="table-responsive" tabindex="0" role="region" aria-labelledby="regions-heading">' in page


def test_pages_name_their_feed_and_cap_alerts_for_readers_to_discover(client, iran_in_three_languages):
    make_published_advisory("TR", level=2)

    country = client.get("/kk/advisories/ir/").text
    calm_country = client.get("/kk/advisories/tr/").text
    index = client.get("/ru/advisories/").text
    home = client.get("/en/").text

    assert '<link rel="alternate" type="application/atom+xml" href="/advisories/ir/feed/kk/" hreflang="kk"' in country
    assert '<link rel="alternate" type="application/cap+xml" href="/advisories/ir/cap.xml"' in country
    assert "application/cap+xml" not in calm_country
    assert '<link rel="alternate" type="application/atom+xml" href="/advisories/feed/ru/" hreflang="ru"' in index
    assert 'type="application/atom+xml" href="/advisories/cap.xml"' in index
    assert '<link rel="alternate" type="application/cap+xml" href="/advisories/ir/cap.xml"' in index
    assert '<link rel="alternate" type="application/atom+xml" href="/advisories/feed/" hreflang="en"' in home


def test_the_home_page_shows_the_countries_at_level_3_and_4_first(client, iran_in_three_languages):
    make_published_advisory("IL", level=3)
    make_published_advisory("TR", level=2)

    page = client.get("/en/").text

    dangerous = page[page.index('id="high-levels-title"') : page.index("</ul>", page.index('id="high-levels-title"'))]
    assert dangerous.index("Iran") < dangerous.index("Israel")  # level 4 first
    assert "Level 4: Do not travel" in dangerous and "Level 3: Reconsider travel" in dangerous
    assert "Türkiye" not in dangerous
    assert 'href="/en/advisories/ir/"' in dangerous
    assert "since " in dangerous
    assert page.index('id="high-levels-title"') < page.index("Register your trips and stays")


def test_the_home_page_shows_the_public_notice_of_an_open_crisis(client):
    from registrations.services.crises import close_crisis, open_crisis
    from registrations.tests.factories import make_officer

    hq = make_officer("hq@mfa.example.gov.kz", is_superuser=True)[0]
    crisis = open_crisis(
        name="Iran 2026", areas=[("IR", ""), ("IL", "IL-D")], opened_by=hq, public_notice="Airspace closed."
    )
    open_crisis(name="Internal drill", areas=[("TR", "")], opened_by=hq)  # no public notice: not shown

    page = client.get("/en/").text

    assert "Iran 2026" in page and "Airspace closed." in page
    assert "Internal drill" not in page
    assert "Al Janūbī, Israel" in page
    close_crisis(crisis=crisis)
    assert "Airspace closed." not in client.get("/ru/").text  # a closed crisis says nothing any more


def test_the_embassies_page_in_kazakh(client):
    mission = make_mission("IR", "Tehran", ("IR",), name="Embassy in Tehran")
    Mission.objects.filter(pk=mission.pk).update(
        name_kk="Тегерандағы елшілік", city_kk="Тегеран", address_kk="Үлгі даңғылы, 18\nТегеран"
    )

    page = client.get("/kk/embassies/").text

    assert "Тегерандағы елшілік" in page and "Embassy in Tehran" not in page
    assert "Үлгі даңғылы, 18" in page


def test_a_mission_serving_some_regions_says_which(client):
    make_mission("TR", "Istanbul", ("TR-34", "TR-41"), kind="consulate_general", name="Consulate General in Istanbul")
    make_mission("TR", "Ankara", ("TR", "AZ"), name="Embassy in Ankara")

    page = client.get("/en/advisories/tr/").text

    missions = page[page.index("Who helps you there") :]
    assert missions.index("Embassy in Ankara") < missions.index("Consulate General in Istanbul")
    assert "Türkiye: İstanbul, Kocaeli" in missions
