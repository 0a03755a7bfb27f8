"""An officer searches people by national ID and email in a real Chromium: the value never shows in an address."""

from datetime import date
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import expect

from registrations.national_ids import make_kazakh_iin
from registrations.roles import MISSION_OFFICER
from registrations.tests.factories import days, make_citizen, make_officer, sign_in_staff_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("now")]


def _people(missions):
    born = date(1980, 1, 1)
    in_iran = make_citizen(
        "arman.iran@example.com",
        "TEHRANIOV",
        "ARMAN",
        [],
        ("IR", "IR-23", days(-3), days(10)),
        national_id=make_kazakh_iin(born),
    )
    in_israel = make_citizen(
        "zarina.israel@example.com",
        "YAFFOVA",
        "ZARINA",
        [],
        ("IL", "IL-TA", days(-30), None),
        national_id=make_kazakh_iin(born, serial=2),
    )
    officer, _device = make_officer("tehran@mfa.example.gov.kz", MISSION_OFFICER, mission=missions.tehran)
    return in_iran, in_israel, officer


def _addresses(page):
    """Every address the tab asks for, as typed into the URL bar or sent by a form or a link."""
    asked = []
    page.page.on("request", lambda request: asked.append(unquote_plus(request.url)))
    return asked


def _search(page, term):
    page.locator("#searchbar").fill(term)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/?qt=*")


def test_mission_officer_searches_by_national_id_and_email_and_the_address_bar_never_shows_them(page, missions):
    in_iran, in_israel, officer = _people(missions)
    values = [in_iran.profile.national_id, in_iran.user.email, in_israel.profile.national_id]
    sign_in_staff_in_browser(page, officer)
    asked = _addresses(page)

    page.goto("/admin/registrations/citizenprofile/")
    _search(page, in_iran.profile.national_id)
    expect(page.locator("#result_list")).to_contain_text("TEHRANIOV")
    expect(page.locator("#searchbar")).to_have_value(in_iran.profile.national_id)

    # Sorting keeps the search, by its token.
    page.locator("#result_list thead").get_by_role("link", name="Surname", exact=False).first.click()
    page.wait_for_url("**o=*")
    assert "qt=" in page.url
    expect(page.locator("#result_list")).to_contain_text("TEHRANIOV")

    # The record's page, and back to the list: still searched.
    page.locator("#result_list").get_by_role("link", name="TEHRANIOV").click()
    page.wait_for_url("**/change/**")
    page.go_back()
    expect(page.locator("#searchbar")).to_have_value(in_iran.profile.national_id)

    page.goto("/admin/registrations/presence/")
    _search(page, in_iran.user.email)
    expect(page.locator("#result_list")).to_contain_text("arman.iran@example.com")

    # Someone out of the jurisdiction is not found, by number either.
    _search(page, in_israel.profile.national_id)
    expect(page.locator("#result_list")).to_have_count(0)
    expect(page.get_by_text("YAFFOVA")).to_have_count(0)

    assert asked
    for url in [*asked, page.url]:
        for value in values:
            assert value not in url, url


def test_the_search_works_without_javascript(page_without_js, missions):
    in_iran, _in_israel, officer = _people(missions)
    sign_in_staff_in_browser(page_without_js, officer)

    page_without_js.goto("/admin/registrations/citizenprofile/")
    page_without_js.locator("#searchbar").fill(in_iran.user.email)
    page_without_js.get_by_role("button", name="Search", exact=True).click()
    page_without_js.wait_for_url("**/?qt=*")

    assert in_iran.user.email not in unquote_plus(page_without_js.url)
    expect(page_without_js.locator("#result_list")).to_contain_text("TEHRANIOV")
    expect(page_without_js.locator("#searchbar")).to_have_value(in_iran.user.email)
