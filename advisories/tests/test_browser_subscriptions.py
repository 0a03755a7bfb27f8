"""Following a country's travel advice by email, in a real Chromium on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from advisories.subscriptions.models import Subscription
from advisories.tasks import mail_major_update
from advisories.tests.factories import make_published_advisory

pytestmark = pytest.mark.browser


def test_subscriber_follows_a_country_confirms_and_unsubscribes_in_one_click(
    page_without_js, last_link_in_mail, mailoutbox
):
    page = page_without_js  # the whole journey works with JavaScript off
    make_published_advisory("IR", level=3)
    page.goto("/en/")
    page.get_by_role("link", name="Feeds, data and email alerts").click()
    page.get_by_role("link", name="Get emails about travel advice").click()
    page.get_by_label("Email address").fill("aliya@example.com")
    page.get_by_label("Country").select_option(label="Iran")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.page.goto(last_link_in_mail(r"https?://\S+/subscriptions/confirm/\S+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your subscription is confirmed")
    expect(page.locator("main")).to_contain_text("Iran")

    # A publisher raises Iran to level 4: one email, with its unsubscribe link last.
    edition = make_published_advisory("IR", level=4, change_note="Raised to level 4.").current_edition
    mail_major_update.enqueue(edition_id=edition.pk)
    assert "Raised to level 4." in mailoutbox[-1].body

    page.page.goto(last_link_in_mail(r"https?://\S+/subscriptions/unsubscribe/\S+/"))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert not Subscription.objects.exists()
