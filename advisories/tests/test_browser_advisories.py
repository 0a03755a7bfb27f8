"""The journeys of a reader and of the staff who publish, in a real browser."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advisories.models import OperatingStatus
from advisories.tests.factories import PASSWORD, make_published_advisory, totp_code, totp_device

pytestmark = pytest.mark.browser


@pytest.fixture
def iran_with_missions(transactional_db, baku, tehran):
    """Iran at level 3 with a level 4 region; Tehran's embassy open for emergencies only, Baku's serving Iran too."""
    advisory = make_published_advisory("IR", level=3, regions=[("IR-11", 4, "Armed groups near the Pakistani border.")])
    tehran.operating_status = OperatingStatus.LIMITED
    tehran.status_note = "Open for emergencies only."
    tehran.status_changed_at = timezone.now()
    tehran.save()
    return advisory


def map_frame(page):
    page.wait_for_function("document.querySelector('object.world-map-image').contentDocument !== null")
    return next(frame for frame in page.frames if "/advisories/map.svg" in frame.url)


@pytest.mark.usefixtures("iran_with_missions")
def test_reader_finds_a_countrys_level_on_the_index_and_map_then_reads_regions_history_and_missions(page_without_js):
    page = page_without_js
    make_published_advisory("DE", level=1)

    page.goto("/en/advisories/")
    page.get_by_label("Country name").fill("Iran")
    page.get_by_role("button", name="Show").click()

    row = page.locator("#country-ir")
    expect(row).to_contain_text("Level 3: Reconsider travel")
    expect(page.locator("#country-de")).to_have_count(0)
    # The map names each country's level too, and its countries are links, without JavaScript.
    iran_on_map = map_frame(page).locator("a.ir")
    assert iran_on_map.locator("title").text_content() == "Iran: level 3, Reconsider travel"
    assert page.fits_its_width()

    iran_on_map.click()
    page.wait_for_url("**/en/advisories/ir/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Iran: travel advice")
    expect(page.get_by_role("heading", name="Level 3: Reconsider travel")).to_be_visible()
    regions = page.get_by_role("table")
    expect(regions).to_contain_text("Sīstān va Balūchestān")
    expect(regions).to_contain_text("Armed groups near the Pakistani border.")
    expect(page.locator("#history-heading + ol")).to_contain_text("First edition.")
    missions = page.locator("section", has=page.get_by_role("heading", name="Who helps you there"))
    expect(missions.get_by_role("heading", name="Embassy in Tehran")).to_be_visible()
    expect(missions).to_contain_text("Open for emergencies only.")
    expect(missions.get_by_role("link", name="+98 21 0000 0000").first).to_have_attribute("href", "tel:+982100000000")
    expect(missions.get_by_role("heading", name="Embassy in Baku")).to_be_visible()
    assert page.fits_its_width()


def sign_in_to_the_workplace(page, user):
    page.goto("/admin/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app").fill(totp_code(totp_device(user)))
    page.locator("form.portal-form [type=submit]").click()
    page.wait_for_url("**/admin/")


def sign_out(page):
    page.goto("/en/")
    page.get_by_role("button", name="Sign out").click()


@pytest.mark.usefixtures("iran_with_missions")
def test_editor_drafts_and_a_second_staff_member_publishes_a_level_change_and_the_public_page_and_map_change(
    page, author, publisher
):
    page.set_viewport_size({"width": 1280, "height": 900})  # staff work on a desk
    # The admin's pages link no favicon, so Chromium asks for /favicon.ico and
    # logs the 404 as an error; that is the admin template's business, not this journey's.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))

    # The author starts a new draft from the published edition and raises the level.
    sign_in_to_the_workplace(page, author)
    page.goto("/admin/advisories/advisory/")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option(label="Create a new draft from the published edition")
    page.locator("button[name=index]").click()
    page.get_by_role("link", name="Iran, version 2").click()

    page.locator("select[name=level]").select_option("4")
    page.locator("textarea[name=summary_en]").fill("Do not travel to Iran.")
    page.locator("textarea[name=change_note_en]").fill("Raised to level 4: air strikes on several cities.")
    page.locator("select[name='regions-1-region']").select_option("IR-23")
    page.locator("select[name='regions-1-level']").select_option("4")
    page.locator("textarea[name='regions-1-reason_en']").fill("Air strikes on the capital.")
    page.get_by_role("button", name="Save and publish now").click()

    # They may not publish their own change of level, and are told why.
    expect(page.locator(".messagelist")).to_contain_text("another staff member must publish it")
    assert page.get_by_role("button", name="Save and publish now").is_disabled()
    expect(page.locator("#publish-refusal")).to_contain_text("another staff member must publish it")
    sign_out(page)

    # A second staff member publishes it.
    sign_in_to_the_workplace(page, publisher)
    page.goto("/admin/advisories/advisoryedition/?status__exact=draft")
    page.get_by_role("link", name="Iran, version 2").click()
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published: Iran, version 2.")

    # The public sees the change at once: the country page, the index and the map.
    page.goto("/en/advisories/ir/")
    expect(page.get_by_role("heading", name="Level 4: Do not travel")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Air strikes on the capital.")
    history = page.locator("#history-heading + ol").inner_text()
    assert history.index("Raised to level 4: air strikes on several cities.") < history.index("First edition.")
    page.goto("/en/advisories/")
    expect(page.locator("#country-ir")).to_contain_text("Level 4: Do not travel")
    iran_on_map = map_frame(page).locator("a.ir")
    assert iran_on_map.locator("title").text_content() == "Iran: level 4, Do not travel"
    assert re.fullmatch(r"#a3161a", iran_on_map.locator("path").get_attribute("fill"))
    # And the Atom feed of all changes carries the change note.
    feed = page.request.get(f"{page.base_url}/advisories/feed/")
    assert feed.ok
    assert "Raised to level 4: air strikes on several cities." in feed.text()
