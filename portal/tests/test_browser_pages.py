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
    assert summary.is_visible()
    # The summary comes before the form and takes the focus, for screen readers.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Enter a valid email address" in summary.inner_text()
    assert "The two passwords are different" in summary.inner_text()

    email = page.get_by_label("Email address")
    assert email.input_value() == "aliya.example.com"
    assert email.get_attribute("aria-invalid") == "true"
    assert (
        "Enter a valid email address"
        in page.locator("#id_email + .invalid-feedback, #id_email ~ .invalid-feedback").first.inner_text()
    )

    summary.get_by_role("link", name="Email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"


def test_pages_fit_a_phone_screen(page):
    for path in ["/en/", "/ru/accounts/signup/", "/kk/privacy/"]:
        page.goto(path)
        assert page.fits_its_width(), path


def test_keyboard_user_can_skip_to_the_content(page):
    page.goto("/en/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    # expect waits for the browser to follow the link: reading page.url at once raced it.
    expect(page.page).to_have_url(re.compile(r"#main$"))
