"""The crisis, end to end in a real Chromium: open it, message everyone, answer with one tap, work the case."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from registrations.models import Crisis, HelpRequest
from registrations.tests.factories import STAFF_IP, sign_in_staff, sign_in_staff_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("now")]


def board_cell(page, place, column):
    """A number of the crisis board: the row of `place`, the column headed `column`."""
    headers = [text.strip() for text in page.locator(".crisis-table thead th").all_text_contents()]
    row = page.locator(".crisis-table tbody tr").filter(has=page.locator("th", has_text=place))
    return row.locator("th, td").nth(headers.index(column))


def as_staff(page, user):
    """The tab carries `user`'s verified staff session (the TOTP step itself is tested by the first officer)."""
    client = sign_in_staff(Client(REMOTE_ADDR=STAFF_IP), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )


def test_officer_opens_a_crisis_sends_a_broadcast_in_three_languages_a_citizen_answers_with_one_tap_and_the_case_is_worked(  # noqa: E501
    page, page_without_js, world, hq_officer, tel_aviv_officer, mailoutbox, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

    # Headquarters opens the crisis for Iran and Israel: everyone present is on the board at once.
    sign_in_staff_in_browser(page, hq_officer)
    page.goto("/admin/registrations/crisis/add/")
    page.get_by_label("Name").fill("Iran and Israel, June")
    page.locator("#id_areas-0-country").select_option("IR")
    page.locator("#id_areas-1-country").select_option("IL")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Iran and Israel, June")).to_be_visible()
    expect(board_cell(page, "Israel", "People concerned")).to_have_text("2")
    expect(board_cell(page, "Israel", "Not yet answered")).to_have_text("2")
    crisis = Crisis.objects.get()

    # A broadcast written once per language, previewed, sent.
    page.goto(f"/admin/registrations/broadcast/add/?crisis={crisis.pk}")
    page.get_by_label("Kazakh").fill("Иран мен Израильде жағдай қауіпті. Жауап беріңіз.")
    page.get_by_label("Russian").fill("В Иране и Израиле опасно. Ответьте нам.")  # noqa: RUF001
    page.get_by_label("English").fill("The situation in Iran and Israel is dangerous. Tell us how you are.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name=re.compile("Preview")).click()
    expect(page.get_by_role("table", name="Recipients by channel and language")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Send to 2 people now")).click()
    expect(page.get_by_text("Sending has started")).to_be_visible()
    zarinas_mail = next(mail for mail in mailoutbox if mail.to == ["zarina.israel@example.com"])
    link = re.search(r"https?://\S+/crisis/\S+/", zarinas_mail.body).group(0)

    # Zarina opens the link with JavaScript off: a page to confirm, nothing recorded by opening it.
    citizen = page_without_js
    citizen.goto(link.replace(citizen.base_url, ""))
    expect(citizen.get_by_role("heading", name="Are you safe?")).to_be_visible()
    assert crisis.people.get(citizen__email="zarina.israel@example.com", member__isnull=True).status == "not_answered"
    citizen.get_by_role("group", name="How are you?").get_by_label("I am safe").check()
    citizen.get_by_role("group", name="How is Marat Yaffov?").get_by_label("Needs help").check()
    citizen.get_by_role("button", name="Send my answers").click()
    expect(citizen.get_by_text("Marat Yaffov")).to_be_visible()

    # The board and the chase list change.
    page.goto(f"/admin/registrations/crisis/{crisis.pk}/board/")
    expect(board_cell(page, "Israel", "Safe")).to_have_text("1")
    expect(board_cell(page, "Israel", "Needs help")).to_have_text("1")
    expect(board_cell(page, "Israel", "Not yet answered")).to_have_text("0")
    page.goto(f"/admin/registrations/crisis/{crisis.pk}/chase/?hours=0")
    expect(page.get_by_role("rowheader", name="ARMAN TEHRANIOV")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Dariga Tehraniova")).to_be_visible()
    expect(page.get_by_text("YAFFOVA")).to_have_count(0)

    # The Tel Aviv officer claims and resolves Marat's case, and sees none of Iran's people.
    as_staff(page, tel_aviv_officer)
    case = HelpRequest.objects.get()
    page.goto(f"/admin/registrations/helprequest/{case.pk}/change/")
    page.get_by_role("button", name="Claim: I work on it").click()
    page.get_by_role("button", name="Resolve").click()
    case.refresh_from_db()
    assert case.status == "resolved" and case.owner == tel_aviv_officer
    page.goto(f"/admin/registrations/crisis/{crisis.pk}/board/")
    expect(page.locator(".crisis-table tbody")).not_to_contain_text("Iran")
    page.goto(f"/admin/registrations/crisisperson/?crisis={crisis.pk}")
    expect(page.locator("#result_list")).not_to_contain_text("TEHRANIOV")
    expect(page.locator("#result_list")).to_contain_text("YAFFOVA")
