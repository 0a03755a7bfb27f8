"""A consular officer's "how many of ours are in Iran today, and who are they?", in a real Chromium."""

import csv
from datetime import date

import pytest
from playwright.sync_api import expect

from registrations.models import AuditEvent
from registrations.national_ids import make_kazakh_iin
from registrations.roles import AUDITOR, HEADQUARTERS_OFFICER
from registrations.tests.factories import (
    days,
    make_member,
    make_officer,
    make_profile,
    make_trip,
    make_user,
    sign_in_staff_in_browser,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("now")]


def people_cell(page, place):
    """The "people" number of a place's row in the counts table."""
    return page.locator(".counts-table tr").filter(has=page.locator("th", has_text=place)).locator("td.people")


def test_consular_officer_signs_in_with_totp_opens_counts_drills_down_to_iran_exports_and_sees_the_export_in_the_audit_log(  # noqa: E501
    page,
):
    # In Iran today: Aigerim and her son in Tehran, Bolat in Isfahan. In Israel: Zhanna.
    aigerim = make_user("aigerim@example.com")
    make_profile(aigerim, surname_latin="SAPAROVA", given_names_latin="AIGERIM")
    son = make_member(aigerim, "Timur Saparov")
    make_trip(aigerim, ("IR", "IR-23", days(-2), days(5)), travellers=[son])
    bolat = make_user("bolat@example.com")
    born = date(1985, 1, 1)
    make_profile(
        bolat, surname_latin="OMAROV", given_names_latin="BOLAT", date_of_birth=born, national_id=make_kazakh_iin(born)
    )
    make_trip(bolat, ("IR", "IR-10", days(-20), None), kind="residence")
    zhanna = make_user("zhanna@example.com")
    make_trip(zhanna, ("IL", "IL-TA", days(-1), days(9)), kind="study")

    officer, _device = make_officer("consul@mfa.example", HEADQUARTERS_OFFICER)
    auditor, _device = make_officer("auditor@mfa.example", AUDITOR)

    sign_in_staff_in_browser(page, officer)

    # The counts are the first thing on the staff workplace's home page.
    assert page.locator(".counts-table caption").inner_text().startswith("People present on")
    expect(people_cell(page, "Iran")).to_have_text("3")
    expect(people_cell(page, "Israel")).to_have_text("1")

    # Drill down: Iran's regions.
    page.locator(".counts-table").get_by_role("link", name="Iran", exact=True).click()
    expect(page.get_by_role("heading", name="People in Iran")).to_be_visible()  # waits for the page to load
    expect(people_cell(page, "Tehrān")).to_have_text("2")
    expect(people_cell(page, "Eşfahān")).to_have_text("1")

    # "Who are they?": the whole country's number opens the list of people present.
    people_cell(page, "Whole country").get_by_role("link").click()
    page.wait_for_url("**/admin/registrations/presence/?country=IR")
    listed = page.locator("#result_list").inner_text()
    assert "SAPAROVA" in listed and "OMAROV" in listed

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8-sig", newline="") as exported:
        people = list(csv.DictReader(exported))
    assert download.suggested_filename.startswith("people-present-IR-")
    assert sorted((person["person"], person["full name"], person["country"]) for person in people) == [
        ("citizen", "AIGERIM SAPAROVA", "IR"),
        ("citizen", "BOLAT OMAROV", "IR"),
        ("household member", "Timur Saparov", "IR"),
    ]

    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.details["rows"]) == (officer, 3)

    # The audit log is the auditor's to read: they sign in, with their own code, and find the export.
    page.get_by_role("button", name="Log out").click()
    sign_in_staff_in_browser(page, auditor)
    page.goto("/admin/registrations/auditevent/")
    log = page.locator("#result_list").inner_text()
    assert "Export" in log
    assert "consul@mfa.example" in log
    assert "filtered by country" in log
    assert "country=IR" not in log  # which filter, never its value
