"""Journeys around the sign-in itself: a forgotten password, and a new staff member's authenticator."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from portal.second_factor.models import AuthenticatorDevice
from registrations.tests.factories import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.browser


def sign_in(page, email, password):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_citizen_who_forgot_the_password_chooses_a_new_one_and_signs_in(page_without_js, last_link_in_mail):
    page = page_without_js
    make_user("forgetful@example.com")
    page.goto("/en/accounts/login/")

    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.page.goto(last_link_in_mail(r"https?://\S+/password/reset/\S+/"))
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New password confirmation").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password saved")

    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    sign_in(page, "forgetful@example.com", "a-brand-new-passphrase")
    expect(page.locator("main")).to_contain_text("You are signed in as forgetful@example.com")


def test_new_staff_member_enrols_an_authenticator_on_the_first_visit_to_the_workplace(page):
    make_user("new.officer@example.gov.kz", is_staff=True)
    page.goto("/admin/")
    sign_in(page, "new.officer@example.gov.kz", PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    # What a person would type into their app by hand, read from the page.
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    device = AuthenticatorDevice.objects.get(user__email="new.officer@example.gov.kz")
    assert parse_qs(urlsplit(device.config_url).query)["secret"] == [secret]

    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator("#error-summary")).to_contain_text("This code is wrong or has expired")
    # django-otp pauses a device for a second after a wrong code; a person retyping takes longer.
    page.wait_for_timeout(1100)

    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Staff workplace", exact=True)).to_be_visible()
