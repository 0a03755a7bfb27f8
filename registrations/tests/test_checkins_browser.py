"""A citizen answers "are you safe?" for her household from a crisis message's link, on a phone, without JavaScript."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registrations.models import CheckIn, CrisisPerson, HelpRequest
from registrations.models.checkins import CheckInChannel, Reporter
from registrations.models.crises import PersonStatus
from registrations.services.checkins import checkin_url
from registrations.services.crises import open_crisis

pytestmark = pytest.mark.browser


def test_citizen_opens_the_emailed_link_without_javascript_marks_herself_safe_and_her_husband_as_needing_help(
    page_without_js, world, hq_officer, staff_client
):
    page = page_without_js
    crisis = open_crisis(
        name="Iran and Israel, June",
        areas=[("IR", ""), ("IL", "")],
        opened_by=hq_officer,
        public_notice="Stay close to a shelter.",
    )
    zarina = CrisisPerson.objects.get(crisis=crisis, citizen=world.in_israel.user, member=None)
    marat = CrisisPerson.objects.get(crisis=crisis, member=world.in_israel.members[0])
    # The personal link every message of the crisis carries, in her language.
    link = checkin_url(zarina, language="en")

    page.goto(urlsplit(link).path)

    # Opening the link shows the page and records nothing (mail scanners open links too).
    expect(page.get_by_role("heading", name="Are you safe?")).to_be_visible()
    expect(page.get_by_text("Stay close to a shelter.")).to_be_visible()
    assert not CheckIn.objects.exists()

    herself = page.locator("section.answer-person", has=page.get_by_role("heading", name="You"))
    husband = page.locator("section.answer-person", has=page.get_by_role("heading", name="Marat Yaffov"))
    herself.get_by_role("group", name="How are you?").get_by_label("I am safe").check()
    husband.get_by_role("group", name="How is Marat Yaffov?").get_by_label("Needs help").check()
    husband.get_by_label("Anything we should know? (optional)").fill("Asthma, his inhaler is nearly empty")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Thank you: your answers are recorded")).to_be_visible()
    expect(page.get_by_text("Asthma, his inhaler is nearly empty")).to_be_visible()
    expect(page.get_by_text("An officer will contact you")).to_be_visible()

    own, relative = CheckIn.objects.get(person=zarina), CheckIn.objects.get(person=marat)
    assert (own.status, own.reporter, own.channel) == (PersonStatus.SAFE, Reporter.PERSON, CheckInChannel.LINK)
    assert (relative.status, relative.reporter) == (PersonStatus.NEEDS_HELP, Reporter.RELATIVE)
    # The help request is there for the embassy in Tel Aviv.
    help_request = HelpRequest.objects.get()
    assert (help_request.person, help_request.summary) == (marat, "Asthma, his inhaler is nearly empty")
    staff_list = staff_client(hq_officer).get(reverse("admin:registrations_helprequest_changelist"))
    assert "Marat Yaffov" in staff_list.text
