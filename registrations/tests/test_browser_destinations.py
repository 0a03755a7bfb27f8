"""A citizen's destinations in a real Chromium on a phone: the mission that helps at each stop, by its region,
and the trip form brought back where the citizen was when JavaScript is off."""

import re
from io import StringIO

import pytest
from playwright.sync_api import expect

from advisories import demo
from registrations.tests.factories import PASSWORD, days, make_profile, make_user

pytestmark = [pytest.mark.browser]


@pytest.fixture
def citizen(transactional_db):
    demo.load(stdout=StringIO())  # the missions, the consulate general in Istanbul among them
    user = make_user("aliya@example.com")
    make_profile(user)
    return user


def sign_in(page):
    page.goto("/en/accounts/login/")
    page.get_by_label("Email address").fill("aliya@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_citizen_with_a_stop_in_istanbul_sees_the_consulate_general(page, citizen):
    sign_in(page)
    page.goto("/en/accounts/trips/add/")
    page.get_by_label("Tourism").check()
    page.locator("#id_stops-0-country").select_option("TR")
    expect(page.locator("#id_stops-0-region option[value='TR-34']")).to_have_count(1)  # filled by regions.js
    page.locator("#id_stops-0-region").select_option("TR-34")
    page.locator("#id_stops-0-city").fill("Istanbul")
    page.locator("#id_stops-0-arrival_date").fill(days(1).isoformat())
    page.locator("#id_stops-0-departure_date").fill(days(9).isoformat())
    page.get_by_role("button", name="Register the trip").click()

    stop = page.locator(".trip-stops li").first
    expect(stop).to_contain_text("Help there: Consulate General in Istanbul")
    expect(stop).not_to_contain_text("Embassy in Ankara")
    stop.get_by_role("link", name="Consulate General in Istanbul").click()
    page.wait_for_url(re.compile(r"/en/advisories/tr/#mission-\d+$"))
    expect(page.locator(page.url[page.url.index("#") :])).to_contain_text("İstanbul")


def test_without_javascript_the_trip_form_comes_back_at_the_stop_being_filled(page_without_js, citizen):
    page = page_without_js
    sign_in(page)
    page.goto("/en/accounts/trips/add/")
    page.locator("#id_stops-0-country").select_option("TR")
    # Each button posts the form and the page comes back under the same address: wait for the new page, not the URL.
    with page.expect_navigation():
        page.get_by_role("button", name="Show regions").click()

    assert page.url.endswith("/en/accounts/trips/add/#stop-1")
    page.locator("#id_stops-0-region").select_option("TR-34")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a stop").click()

    assert page.url.endswith("#stop-2")
    expect(page.locator("#stop-2")).to_be_visible()
    expect(page.locator("#id_stops-0-region")).to_have_value("TR-34")  # what was chosen is kept
    page.locator("#id_stops-1-country").select_option("IR")
    with page.expect_navigation():
        page.get_by_role("button", name="Show regions").nth(1).click()
    assert page.url.endswith("#stop-2")
    expect(page.locator("#id_stops-1-region option[value='IR-23']")).to_have_count(1)
