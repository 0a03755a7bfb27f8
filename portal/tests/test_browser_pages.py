"""What every visitor meets: the language switcher and readable form errors."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def heading_in(language, text):
    with translation.override(language):
        return translation.gettext(text)


def test_visitor_switches_the_language_and_stays_on_the_same_page(page_without_js):
    page = page_without_js
    page.goto("/en/accessibility/")

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()

    page.wait_for_url("**/ru/accessibility/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    russian = heading_in("ru", "Accessibility statement")
    assert russian != "Accessibility statement"
    expect(page.get_by_role("heading", level=1)).to_have_text(russian)

    page.get_by_label(heading_in("ru", "Language")).select_option("kk")
    page.get_by_role("button", name=heading_in("ru", "Change")).click()

    page.wait_for_url("**/kk/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading_in("kk", "Accessibility statement"))
    # The choice is remembered: the bare address now opens in Kazakh.
    page.goto("/")
    assert page.url.endswith("/kk/")


def test_form_errors_show_beside_the_field_and_in_a_summary_that_keeps_what_was_typed(page):
    page.goto("/en/accounts/signup/")
    page.get_by_label("Email address").fill("aliya.example.com")
    page.get_by_label("Password", exact=True).fill("a-long-test-passphrase")
    page.get_by_label("Repeat the password").fill("a-different-passphrase")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    # The summary comes before the form and takes the focus, for screen readers.
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a valid email address")
    expect(summary).to_contain_text("The two passwords are different")

    email = page.get_by_label("Email address")
    expect(email).to_have_value("aliya.example.com")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email + .invalid-feedback, #id_email ~ .invalid-feedback").first).to_contain_text(
        "Enter a valid email address"
    )

    summary.get_by_role("link", name="Email address").click()
    expect(email).to_be_focused()


def test_pages_fit_a_phone_screen(page):
    for path in ["/en/", "/ru/accounts/signup/", "/kk/privacy/"]:
        page.goto(path)
        assert page.fits_its_width(), path


def test_keyboard_user_can_skip_to_the_content(page):
    page.goto("/en/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    # expect waits for the browser to follow the link: reading page.url at once raced it.
    expect(page.page).to_have_url(re.compile(r"#main$"))
