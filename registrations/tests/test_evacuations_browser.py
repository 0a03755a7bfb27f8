"""The Iran evacuation in a real Chromium: planned, filled by priority, offered, answered without JavaScript,
boarded from a phone at the bus door, and the Astara crossing's manifest printed."""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from registrations.models import ManifestEntry
from registrations.models.evacuations import ManifestStatus
from registrations.tests.conftest import board_row, in_tehran, open_june_crisis, wants_to_leave
from registrations.tests.factories import PASSWORD, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("now", "sms_outbox")]


def sign_in_with_totp(page, staff):
    from portal.second_factor.models import AuthenticatorDevice

    page.goto("/en/accounts/login/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/admin/")
    page.get_by_label("Code from your authenticator app").fill(totp_code(AuthenticatorDevice.objects.get(user=staff)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/admin/")


def offer_link(mailoutbox, email):
    """The seat offer's link in the last email sent to `email`, as a path on the live server."""
    body = [message for message in mailoutbox if message.to == [email]][-1].body
    return urlsplit(re.search(r"https?://\S+/accounts/seat/\S+", body).group(0)).path


def status_of(crisis_person):
    return ManifestEntry.objects.filter(person=crisis_person).order_by("-pk").first().status


def add_transport(page, *, number, seats, leg):
    page.get_by_role("link", name="Add a transport").click()
    page.locator("#id_operator").fill("Tehran Coach Lines")
    page.locator("#id_vehicle_number").fill(number)
    page.locator("#id_seats").fill(str(seats))
    page.locator("#id_departure_place").fill("Azadi Square, Tehran")
    page.locator("#id_departure_time_zone").select_option("Asia/Tehran")
    page.locator("#id_departs_local").fill("2026-06-18T08:00")
    page.get_by_label(leg).check()
    page.locator("#id_contact_on_board").fill("Officer Saparov, +98 912 000 0000")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("link", name=f"Bus {number}")).to_be_visible()


def test_officer_plans_the_iran_evacuation_offers_seats_by_priority_and_prints_the_astara_manifest(
    page, page_without_js, world, hq_officer, mailoutbox
):
    elder = in_tehran("nurlan.elder@example.com", "AKHMETOV", "NURLAN", born=date(1955, 5, 1))
    alone = [in_tehran("erlan@example.com", "BEKOV", "ERLAN"), in_tehran("aliya@example.com", "OMAROVA", "ALIYA")]
    crisis = open_june_crisis(hq_officer)
    nurlan, erlan, aliya = (board_row(crisis, citizen) for citizen in (elder, *alone))
    arman, dariga = board_row(crisis, world.in_iran), board_row(crisis, world.in_iran, world.in_iran.members[0])
    # They all answered "I want to leave"; the family and the elder last.
    wants_to_leave(erlan, aliya, nurlan, arman, dariga)

    sign_in_with_totp(page, hq_officer)

    # Plan: the operation and its route, two legs to two border crossings.
    page.goto("/admin/registrations/evacuation/add/")
    page.locator("#id_crisis").select_option(label="Iran and Israel, June")
    page.locator("#id_name").fill("Iran by road")
    page.locator("#id_from_country").select_option("IR")
    for index, (position, destination, point, country, state) in enumerate(
        [(1, "Astara (Azerbaijan)", "Astara", "AZ", "open"), (2, "Agarak (Armenia)", "Agarak", "AM", "night_only")]
    ):
        page.locator(f"#id_legs-{index}-position").fill(str(position))
        page.locator(f"#id_legs-{index}-origin").fill("Tehran")
        page.locator(f"#id_legs-{index}-destination").fill(destination)
        page.locator(f"#id_legs-{index}-crossing_point").fill(point)
        page.locator(f"#id_legs-{index}-exit_country").select_option("IR")
        page.locator(f"#id_legs-{index}-entry_country").select_option(country)
        page.locator(f"#id_legs-{index}-crossing_state").select_option(state)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_role("heading", name="Transports")).to_be_visible()

    # Two buses: three seats to Astara, one to Agarak.
    add_transport(page, number="10 AZ 101", seats=3, leg="Tehran → Astara (Azerbaijan) (Astara)")
    add_transport(page, number="20 AM 202", seats=1, leg="Tehran → Agarak (Armenia) (Agarak)")

    # The queue, by priority: the family with a child, then the 71-year-old, then by request time.
    page.get_by_role("link", name="Waiting for seats, by priority").click()
    rows = page.locator("tr.queue-party")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("ARMAN TEHRANIOV")
    expect(rows.nth(0)).to_contain_text("Minor with their family: Dariga Tehraniova, 11")
    expect(rows.nth(1)).to_contain_text("65 or over: NURLAN AKHMETOV, 71")
    expect(rows.nth(2)).to_contain_text("ERLAN BEKOV")
    expect(rows.nth(3)).to_contain_text("ALIYA OMAROVA")

    # Offer the seats: bus A to the family and Nurlan, bus B to Erlan.
    page.get_by_role("link", name="Iran by road").click()
    page.get_by_role("button", name="Offer the free seats of Bus 10 AZ 101").click()
    expect(page.get_by_text("3 seats offered to 2 households on Bus 10 AZ 101.")).to_be_visible()
    page.get_by_role("button", name="Offer the free seats of Bus 20 AM 202").click()
    expect(page.get_by_text("1 seats offered to 1 households on Bus 20 AM 202.")).to_be_visible()
    assert [status_of(person) for person in (arman, dariga, nurlan, erlan, aliya)] == [
        "offered",
        "offered",
        "offered",
        "offered",
        "requested",
    ]

    # Arman accepts from the emailed link, with JavaScript off.
    citizen = page_without_js
    citizen.goto(offer_link(mailoutbox, "arman.iran@example.com"))
    expect(citizen.get_by_role("heading", name="Seats to leave")).to_be_visible()
    expect(citizen.get_by_text("Dariga Tehraniova")).to_be_visible()
    citizen.get_by_role("button", name="Yes, we take the seats").click()
    expect(citizen.get_by_text("Your seats are confirmed.")).to_be_visible()

    # Nurlan declines: his seat goes to the next person waiting, Aliya, without anyone doing anything.
    citizen.goto(offer_link(mailoutbox, "nurlan.elder@example.com"))
    citizen.get_by_role("button", name="No, we do not go").click()
    expect(citizen.get_by_text("You declined these seats")).to_be_visible()
    assert (status_of(nurlan), status_of(aliya)) == ("declined", "offered")
    citizen.goto(offer_link(mailoutbox, "aliya@example.com"))
    citizen.get_by_role("button", name="Yes, we take the seats").click()
    expect(citizen.get_by_text("Your seats are confirmed.")).to_be_visible()
    citizen.goto(offer_link(mailoutbox, "erlan@example.com"))
    citizen.get_by_role("button", name="Yes, we take the seats").click()
    expect(citizen.get_by_text("Your seats are confirmed.")).to_be_visible()

    # At the door of bus A, on a 360 px phone: Arman and Dariga board.
    page.goto("/admin/registrations/evacuation/")
    page.get_by_role("link", name="Iran by road").click()
    page.locator("#transport-" + str(ManifestEntry.objects.get(person=arman).transport_id)).get_by_role(
        "link", name="At the door"
    ).click()
    assert page.viewport_size["width"] == 360
    for name in ("ARMAN TEHRANIOV", "Dariga Tehraniova"):
        page.get_by_role("button", name=f"Boarded: {name}").click()
        expect(page.get_by_text(f"{name}: Boarded.")).to_be_visible()
    assert page.fits_its_width()
    assert [status_of(person) for person in (arman, dariga, aliya)] == [
        ManifestStatus.BOARDED,
        ManifestStatus.BOARDED,
        ManifestStatus.CONFIRMED,
    ]

    # The Astara crossing's printed manifest: exactly the people on the buses to Astara.
    page.goto("/admin/registrations/routeleg/")
    page.locator("tr", has_text="Astara").get_by_role("link", name="Print").click()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Astara (Iran → Azerbaijan)")).to_be_visible()
    listed = page.locator("tr.manifest-row").all_inner_texts()
    assert len(listed) == 3
    assert ["TEHRANIOV" in listed[0], "Tehraniova" in listed[1], "OMAROVA" in listed[2]] == [True, True, True]
    body = page.locator("body").inner_text()
    assert "BEKOV" not in body and "AKHMETOV" not in body
    assert page.pdf(prefer_css_page_size=True).startswith(b"%PDF")
