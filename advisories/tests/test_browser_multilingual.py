"""Readers of the Kazakh pages, in a real Chromium on a phone: the advice, the embassies and the emails in Kazakh,
and a text not yet translated shown in its language and said so."""

# ruff: noqa: RUF001 - Kazakh and Russian texts: Cyrillic letters are meant.

from io import StringIO

import pytest
from playwright.sync_api import expect

from advisories import demo, services
from advisories.models import Advisory
from advisories.subscriptions.models import Subscription
from advisories.tests.factories import kazakh, make_advisory_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db):
    demo.load(stdout=StringIO())


def test_a_reader_on_the_kazakh_pages_reads_the_iran_advisory_and_the_embassies_in_kazakh(page, demo_data):
    page.goto("/kk/")
    page.get_by_role("link", name="Иран").first.click()
    page.wait_for_url("**/kk/advisories/ir/")  # and its load event: the whole page, not the part parsed so far

    expect(page.locator("html")).to_have_attribute("lang", "kk")
    advice = page.locator("main").inner_text()
    assert "Иранға бармаңыз." in advice
    assert "Тегерандағы елшіліктің тәулік бойғы желісіне қоңырау шалыңыз." in advice
    assert "Do not travel to Iran" not in advice and "Call the 24/7 line" not in advice
    expect(page.locator("main [lang]")).to_have_count(0)  # nothing in another language here

    page.get_by_role("link", name=kazakh("Embassies")).first.click()
    # The directory is long: read all of it once loaded, not what was parsed when the click returned.
    page.wait_for_url("**/kk/embassies/")
    directory = page.locator("main").inner_text()
    assert "Тегерандағы елшілік" in directory and "Ыстамбұлдағы бас консулдық" in directory
    assert "Embassy in Tehran" not in directory and "Monday to Friday" not in directory
    assert "Дүйсенбі – жұма" in directory


def test_a_page_with_a_missing_translation_shows_the_fallback_marked_with_its_language(page, demo_data):
    page.goto("/kk/advisories/kr/")  # South Korea's summary has no Kazakh yet in the demo

    fallback = page.locator('.level-banner [lang="ru"]')
    assert fallback.inner_text().strip() == "Соблюдайте обычные меры предосторожности в Южной Корее."
    note = page.locator(".level-banner .translation-coming")
    expect(note).to_be_visible()
    expect(note).to_have_text(kazakh("Translation coming. Until then, this text is in Russian."))


def test_a_subscriber_on_the_kazakh_pages_gets_the_kazakh_email(page, demo_data, last_link_in_mail, mailoutbox):
    page.goto("/kk/advisories/ir/")
    page.get_by_role(
        "link", name=kazakh("Get emails when the advice for %(country)s changes") % {"country": "Иран"}
    ).click()
    page.get_by_label(kazakh("Email address")).fill("aliya@example.com")
    expect(page.get_by_label(kazakh("Kazakh"), exact=True)).to_be_checked()  # the page's language, to begin with
    page.locator("form.portal-form button[type=submit]").click()
    page.page.goto(last_link_in_mail(r"https?://\S+/subscriptions/confirm/\S+/"))
    assert Subscription.objects.get().language == "kk"

    iran = Advisory.objects.get(country="IR")
    author, publisher = make_advisory_staff("author@example.gov.kz"), make_advisory_staff("publisher@example.gov.kz")
    draft = services.create_draft(advisory=iran, author=author)
    draft.change_note_kk = "Астара өткелі жабылды."
    draft.change_note_ru = "Пункт пропуска Астара закрыт."
    draft.change_note_en = "The Astara crossing is closed."
    draft.save()
    services.publish_edition(edition=draft, publisher=publisher)

    email = mailoutbox[-1]
    assert email.to == ["aliya@example.com"]
    assert "Иран" in email.subject
    assert "Астара өткелі жабылды." in email.body
    assert "Иранға бармаңыз." in email.body
    assert "Astara crossing" not in email.body and "/kk/advisories/ir/" in email.body
