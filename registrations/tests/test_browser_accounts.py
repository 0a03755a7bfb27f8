"""A citizen's first minutes, in a real Chromium on a phone-sized screen."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from registrations.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_citizen_signs_up_confirms_the_email_signs_in_and_out(page_without_js, last_link_in_mail):
    page = page_without_js  # the whole journey works with JavaScript off
    page.goto("/en/")
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Email address").fill("aliya@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # Not confirmed yet: signing in explains what to do.
    page.get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_label("Email address").fill("aliya@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_contain_text("Confirm your email address first")

    page.page.goto(last_link_in_mail(r"https?://\S+/confirm/\S+/"))
    expect(page.get_by_role("status")).to_contain_text("Your email address is confirmed")
    page.get_by_label("Email address").fill("aliya@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main")).to_contain_text("You are signed in as aliya@example.com")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True).first).to_be_visible()
    assert get_user_model().objects.get(email="aliya@example.com").is_active
