"""A citizen registers a family trip through Iran and Türkiye, in a real Chromium on a phone-sized screen."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advisories.tests.factories import make_published_advisory
from registrations.models import Trip
from registrations.national_ids import make_kazakh_iin
from registrations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("now")]

EMAIL = "aliya@example.com"


def sign_in(page):
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fill_stop(page, number, *, country, region, city, arrival, departure):
    prefix = f"#id_stops-{number}-"
    page.locator(f"{prefix}country").select_option(country)
    if page.locator(f"{prefix}region option[value='{region}']").count() == 0:
        # Without JavaScript the list of regions comes with the page.
        page.get_by_role("button", name="Show regions").nth(number).click()
    page.locator(f"{prefix}region").select_option(region)
    page.locator(f"{prefix}city").fill(city)
    page.locator(f"{prefix}arrival_date").fill(arrival.isoformat())
    page.locator(f"{prefix}departure_date").fill(departure.isoformat())


def test_citizen_registers_household_and_a_trip_through_iran_and_turkey_and_sees_it_on_the_dashboard(
    page_without_js, page, last_link_in_mail, tmp_path
):
    make_published_advisory(country="IR", level=4)
    make_published_advisory(country="TR", level=2)
    today = timezone.localdate()

    # Signing up, the profile, the household and the trip: all with JavaScript off.
    browser = page_without_js
    browser.goto("/en/accounts/signup/")
    browser.get_by_label("Email address").fill(EMAIL)
    browser.get_by_label("Password", exact=True).fill(PASSWORD)
    browser.get_by_label("Repeat the password").fill(PASSWORD)
    browser.get_by_role("button", name="Create account").click()
    browser.page.goto(last_link_in_mail(r"https?://\S+/confirm/\S+/"))
    sign_in(browser)

    browser.get_by_role("link", name="Complete your profile").first.click()
    browser.get_by_label("Surname, as in your passport").fill("NURLANOVA")
    browser.get_by_label("Given names, as in your passport").fill("ALIYA")
    browser.get_by_label("Full name in Cyrillic (or your own script)").fill("Нурланова Алия Маратовна")
    browser.get_by_label("Date of birth").fill("1991-08-30")
    iin = make_kazakh_iin(date(1991, 8, 30), female=True)
    # A typing mistake in the IIN's last digit is caught, with what was typed kept.
    browser.get_by_label("IIN (individual identification number)").fill(iin[:11] + str((int(iin[11]) + 1) % 10))
    browser.get_by_label("Passport number").fill("N7654321")
    browser.get_by_label("Passport valid until").fill((today + timedelta(days=2000)).isoformat())
    browser.get_by_label("Mobile phone").fill("+7 701 555 1234")
    browser.get_by_label("English", exact=True).check()
    browser.get_by_label("Email", exact=True).check()
    browser.get_by_label("Emergency contact at home: name").fill("Marat Nurlanov")
    browser.get_by_label("Their relation to you").fill("father")
    browser.get_by_label("Their phone").fill("+7 701 555 9876")
    browser.get_by_label("I have read the privacy notice").check()
    browser.get_by_role("button", name="Save your profile").click()
    expect(browser.locator("#error-summary")).to_contain_text("its last digit does not match")
    expect(browser.get_by_label("Surname, as in your passport")).to_have_value("NURLANOVA")
    browser.get_by_label("IIN (individual identification number)").fill(iin)
    browser.get_by_label("I have read the privacy notice").check()
    browser.get_by_role("button", name="Save your profile").click()
    expect(browser.get_by_role("status")).to_contain_text("Your profile is complete.")

    for name, born, relationship, citizenship in [
        ("Emre Yilmaz", "1988-04-12", "spouse", "TR"),
        ("Ayla Yilmaz", "2019-10-01", "child", "KZ"),
    ]:
        browser.get_by_role("link", name="People who travel with you").click()
        browser.get_by_role("link", name="Add a person").click()
        browser.get_by_label("Full name").fill(name)
        browser.get_by_label("Date of birth").fill(born)
        browser.get_by_label("Relationship to you").select_option(relationship)
        browser.get_by_label("Citizenship").select_option(citizenship)
        browser.get_by_role("button", name="Save").click()
        assert f"{name} is added to your household." in browser.get_by_role("status").inner_text()
        browser.get_by_role("link", name="Back to my trips").click()

    browser.get_by_role("link", name="Add a trip").first.click()
    browser.get_by_label("Business").check()
    browser.get_by_label("Emre Yilmaz").check()
    browser.get_by_label("Ayla Yilmaz").check()
    fill_stop(
        browser,
        0,
        country="IR",
        region="IR-23",
        city="Tehran",
        arrival=today - timedelta(days=2),
        departure=today + timedelta(days=5),
    )
    browser.get_by_role("button", name="Add a stop").click()
    expect(browser.locator("#id_stops-0-city")).to_have_value("Tehran")
    fill_stop(
        browser,
        1,
        country="TR",
        region="TR-34",
        city="Istanbul",
        arrival=today + timedelta(days=5),
        departure=today + timedelta(days=12),
    )
    browser.get_by_role("button", name="Register the trip").click()
    expect(browser.get_by_role("status")).to_contain_text("Your trip is registered.")

    trip_card = browser.locator("article.trip-card")
    expect(trip_card.get_by_role("heading")).to_have_text("Iran → Türkiye")
    card_text = trip_card.inner_text()
    assert "Travel advice: Level 4: Do not travel" in card_text
    assert "Travel advice: Level 2: Exercise increased caution" in card_text
    assert "Emre Yilmaz, Ayla Yilmaz" in card_text
    assert "Last confirmed today." in card_text
    assert browser.fits_its_width(), "fits a phone"

    # Later, on the phone with JavaScript on: the region list follows the country by itself.
    browser = page
    browser.goto("/en/accounts/login/")
    sign_in(browser)
    browser.get_by_role("link", name="Edit this trip").click()
    expect(browser.get_by_role("button", name="Show regions").first).to_be_hidden()
    assert browser.fits_its_width(), "fits a phone"
    browser.locator("#id_stops-1-country").select_option("GE")
    browser.locator("#id_stops-1-region option[value='GE-TB']").wait_for(state="attached")
    browser.locator("#id_stops-1-region").select_option("GE-TB")
    browser.locator("#id_stops-1-city").fill("Tbilisi")
    browser.get_by_role("button", name="Save the trip").click()
    expect(browser.get_by_role("status")).to_contain_text("Your trip is saved.")
    expect(browser.locator("article.trip-card").get_by_role("heading")).to_have_text("Iran → Georgia")
    trip = Trip.objects.get()
    assert [(stop.country.code, stop.region, stop.city) for stop in trip.stops.order_by("position")] == [
        ("IR", "IR-23", "Tehran"),
        ("GE", "GE-TB", "Tbilisi"),
    ]

    with browser.expect_download() as download_info:
        browser.get_by_role("link", name="Download all your data (JSON)").click()
    path = tmp_path / "my-data.json"
    download_info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["profile"]["national_id"] == iin
    assert data["profile"]["full_name_native"] == "Нурланова Алия Маратовна"
    assert {member["full_name"] for member in data["household"]} == {"Emre Yilmaz", "Ayla Yilmaz"}
    assert [stop["city"] for stop in data["trips"][0]["stops"]] == ["Tehran", "Tbilisi"]
    assert len(data["trips"][0]["travellers"]) == 2
