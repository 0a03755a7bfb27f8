"""The staff's workplace: what the admin lets them do with editions, and what it refuses."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advisories.models import Advisory, AdvisoryEdition, EditionStatus, Mission, RegionalAdvisory
from advisories.subscriptions.models import Subscription
from advisories.tests.factories import draft_of, make_mission, make_published_advisory
from advisories.translation import EDITION_TEXTS
from registrations.tests.staff_search import search

pytestmark = pytest.mark.django_db

EDITIONS = "/admin/advisories/advisoryedition/"
ADVISORIES = "/admin/advisories/advisory/"


def change_url(edition):
    return reverse("admin:advisories_advisoryedition_change", args=[edition.pk])


def edition_form(edition=None, *, regions=(), **changes):
    """The POST data of an edition's admin form, with its regional inline.

    Texts are given by their field name and posted as English (summary_en…),
    the other languages empty, unless given by their column's name.
    """
    data = {
        "level": edition.level if edition else 3,
        "summary": edition.summary if edition else "Reconsider travel.",
        "change_note": edition.change_note if edition else "",
        "is_major": "on" if (edition is None or edition.is_major) else "",
        "reviewed_at": "",
        "next_review_due": "",
        "publish_at_0": "",
        "publish_at_1": "",
        **{field: getattr(edition, field) if edition else "" for field in AdvisoryEdition.SECTION_FIELDS},
        "regions-TOTAL_FORMS": str(len(regions)),
        "regions-INITIAL_FORMS": "0",
        "regions-MIN_NUM_FORMS": "0",
        "regions-MAX_NUM_FORMS": "1000",
    }
    for index, (code, level, reason) in enumerate(regions):
        data.update(
            {f"regions-{index}-region": code, f"regions-{index}-level": level, f"regions-{index}-reason_en": reason}
        )
    data.update(changes)
    if data["is_major"] is False:
        data["is_major"] = ""
    for field in EDITION_TEXTS:
        if field in data:
            data[f"{field}_en"] = data.pop(field)
    return data


def test_a_published_edition_is_read_only(as_publisher, iran):
    edition = iran.current_edition

    page = as_publisher.get(change_url(edition))
    response = as_publisher.post(change_url(edition), edition_form(edition, level=1, summary="Changed."))

    assert page.status_code == 200
    assert 'name="summary"' not in page.text  # shown, not editable
    assert "Save and publish now" not in page.text
    assert response.status_code == 403
    edition.refresh_from_db()
    assert (edition.level, edition.summary) == (3, "Reconsider travel.")


def test_a_published_edition_cannot_be_deleted(as_publisher, iran):
    edition = iran.current_edition

    response = as_publisher.post(reverse("admin:advisories_advisoryedition_delete", args=[edition.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert AdvisoryEdition.objects.filter(pk=edition.pk).exists()


def test_a_second_draft_is_refused_with_a_clear_message(as_author, author, iran):
    draft_of(iran, author=author)

    response = as_author.post(f"{EDITIONS}add/", {**edition_form(change_note="More."), "advisory": iran.pk})

    assert response.status_code == 200
    assert "already has a draft or scheduled edition" in response.text
    assert iran.editions.count() == 2


def test_the_change_note_is_required_unless_the_update_is_minor(as_author, author, iran):
    draft = draft_of(iran, author=author, change_note="")

    refused = as_author.post(change_url(draft), edition_form(draft, change_note=""))
    accepted = as_author.post(change_url(draft), edition_form(draft, change_note="", is_major=False))

    assert refused.status_code == 200
    assert "Write a change note for the public, or untick “major update”." in refused.text
    assert accepted.status_code == 302
    draft.refresh_from_db()
    assert draft.is_major is False


def test_adding_a_first_edition_makes_the_signed_in_staff_member_its_author(as_author, author):
    advisory = Advisory.objects.create(country="TR")

    response = as_author.post(
        f"{EDITIONS}add/", {**edition_form(level=2, change_note="First edition."), "advisory": advisory.pk}
    )

    assert response.status_code == 302
    edition = advisory.editions.get()
    assert (edition.version, edition.status, edition.author) == (1, EditionStatus.DRAFT, author)


def test_regions_are_chosen_from_the_countrys_iso_list(as_author, author):
    draft = draft_of(make_published_advisory("IL", level=3), author=author, level=3)

    page = as_author.get(change_url(draft))
    wrong = as_author.post(change_url(draft), edition_form(draft, regions=[("IR-23", 4, "Not in Israel.")]))
    right = as_author.post(change_url(draft), edition_form(draft, regions=[("IL-D", 4, "Near the Gaza Strip.")]))

    assert '<option value="IL-D">' in page.text
    assert "IR-23" not in page.text
    assert wrong.status_code == 200
    assert "Select a valid choice" in wrong.text
    assert right.status_code == 302
    assert list(draft.regions.values_list("region", "level")) == [("IL-D", 4)]


@pytest.mark.parametrize(
    ("writer", "level", "why"),
    [
        # The author of a change of level (they may publish other editions).
        ("author", 4, "another staff member must publish it"),
        # An editor, who may publish nothing.
        ("editor", 3, "You do not have permission to publish advisories."),
    ],
)
def test_staff_who_may_not_publish_a_draft_see_why_and_cannot(request, writer, level, why, iran):
    user, client = request.getfixturevalue(writer), request.getfixturevalue(f"as_{writer}")
    draft = draft_of(iran, author=user, level=level)

    page = client.get(change_url(draft))
    response = client.post(change_url(draft), {**edition_form(draft), "_publish": "1"}, follow=True)

    assert why in page.text
    assert 'name="_publish" value="Save and publish now" disabled' in page.text
    assert why in response.text
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT


def test_only_publishers_are_offered_the_publish_action(as_editor, as_publisher, author, iran):
    draft_of(iran, author=author)

    assert 'value="publish_now"' not in as_editor.get(EDITIONS).text
    assert 'value="publish_now"' in as_publisher.get(EDITIONS).text


def test_a_second_staff_member_publishes_the_change_of_level(as_publisher, author, iran):
    draft = draft_of(iran, author=author, level=4)

    response = as_publisher.post(change_url(draft), {**edition_form(draft), "_publish": "1"}, follow=True)

    assert "Published: Iran, version 2." in response.text
    iran.refresh_from_db()
    assert iran.current_edition == draft


def test_changing_the_level_makes_the_editor_answerable_for_it(as_publisher, publisher, author, iran):
    """Otherwise a second person could change the level of someone else's draft and publish it alone."""
    draft = draft_of(iran, author=author, level=3)

    as_publisher.post(change_url(draft), {**edition_form(draft, level=4), "_publish": "1"})

    draft.refresh_from_db()
    assert draft.author == publisher
    assert draft.status == EditionStatus.DRAFT


def test_create_new_draft_copies_the_published_edition(as_author, author):
    advisory = make_published_advisory("IL", level=3, regions=[("IL-D", 4, "Near the Gaza Strip.")])

    response = as_author.post(
        ADVISORIES, {"action": "create_new_draft", "_selected_action": [advisory.pk]}, follow=True
    )
    again = as_author.post(
        reverse("admin:advisories_advisoryedition_new_draft", args=[advisory.current_edition.pk]), follow=True
    )

    draft = advisory.editions.get(status=EditionStatus.DRAFT)
    assert "Draft created" in response.text
    assert (draft.version, draft.author, draft.regions.count()) == (2, author, 1)
    assert "already has a draft or scheduled edition" in again.text


def test_scheduling_from_the_admin_and_editing_afterwards_returns_it_to_draft(as_publisher, author, iran):
    draft = draft_of(iran, author=author, level=4)
    data = {**edition_form(draft), "publish_at_0": "2030-01-01", "publish_at_1": "09:00:00"}

    scheduled = as_publisher.post(change_url(draft), {**data, "_schedule": "1"}, follow=True)
    draft.refresh_from_db()
    status_after_scheduling = draft.status
    edited = as_publisher.post(change_url(draft), {**data, "summary": "Changed."}, follow=True)

    assert "will be published at" in scheduled.text
    assert status_after_scheduling == EditionStatus.SCHEDULED
    assert "it is a draft again" in edited.text
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT


def test_overdue_reviews_are_marked_and_filtered(as_author, iran):
    current = make_published_advisory("TR", level=2)
    AdvisoryEdition.objects.filter(pk=iran.current_edition.pk).update(
        next_review_due=timezone.localdate() - timedelta(days=1)
    )
    AdvisoryEdition.objects.filter(pk=current.current_edition.pk).update(
        next_review_due=timezone.localdate() + timedelta(days=30)
    )

    everything = as_author.get(ADVISORIES)
    filtered = as_author.get(f"{ADVISORIES}?review=overdue")
    editions = as_author.get(f"{EDITIONS}?review=overdue")

    assert everything.text.count('class="review-overdue"') == 1
    assert "Turkey" in everything.text or "Türkiye" in everything.text
    assert "Iran" in filtered.text
    assert "Turkey" not in filtered.text and "Türkiye" not in filtered.text
    assert "Iran, version 1" in editions.text


def test_subscriptions_are_listed_read_only(as_author):
    Subscription.objects.create(email="reader@example.com", country="IR")

    listing = search(as_author, "/admin/advisories/subscription/", "reader")

    assert "reader@example.com" in listing.text
    assert as_author.get("/admin/advisories/subscription/add/").status_code == 403


def tehran_change_form(tehran, **changes):
    """The Tehran mission's change form as the admin posts it, with no jurisdiction or phone rows unless given."""
    return {
        "name_en": tehran.name,
        "kind": tehran.kind,
        "country": "IR",
        "city_en": "Tehran",
        "address_en": tehran.address,
        "operating_status": "operational",
        "jurisdictions-TOTAL_FORMS": "0",
        "jurisdictions-INITIAL_FORMS": "0",
        "phones-TOTAL_FORMS": "0",
        "phones-INITIAL_FORMS": "0",
        **changes,
    }


def test_a_mission_status_change_is_dated(as_author, tehran):
    url = reverse("admin:advisories_mission_change", args=[tehran.pk])
    data = tehran_change_form(tehran, operating_status="limited", status_note_en="Visa section closed.")

    response = as_author.post(url, data)

    assert response.status_code == 302
    tehran.refresh_from_db()
    assert tehran.operating_status == "limited"
    assert tehran.status_changed_at is not None


# A list page costs the same number of queries for one row as for many.


COUNTRIES = ["IR", "IL", "TR", "AE", "GE", "DE", "US", "KR", "CN", "RU", "TH", "EG", "AZ", "AM", "TM"]


def _add_countries(codes, author):
    for code in codes:
        advisory = make_published_advisory(code, level=2)
        draft_of(advisory, author=author)
        make_mission(code, f"City {code}", jurisdiction=(code,), name=f"Embassy {code}")
        Subscription.objects.create(email=f"{code.lower()}@example.com", country=code)


@pytest.mark.parametrize("url", [ADVISORIES, EDITIONS, "/admin/advisories/mission/", "/admin/advisories/subscription/"])
def test_admin_lists_cost_a_fixed_number_of_queries(as_author, author, url, django_assert_max_num_queries):
    _add_countries(COUNTRIES[:1], author)
    with django_assert_max_num_queries(12) as one_row:
        assert as_author.get(url).status_code == 200
    _add_countries(COUNTRIES[1:], author)

    with django_assert_max_num_queries(len(one_row.captured_queries)):
        assert as_author.get(url).status_code == 200
    assert Mission.objects.count() == 15
    assert RegionalAdvisory.objects.count() == 0


# Texts in Kazakh, Russian and English.


def test_editors_write_each_text_in_the_three_languages_side_by_side(as_author, author, iran):
    draft = draft_of(iran, author=author)

    page = as_author.get(change_url(draft)).text

    # One line of the form per text, its three languages next to each other.
    assert re.search(r'class="form-row field-summary_kk field-summary_ru field-summary_en', page)
    assert re.search(r'class="form-row field-change_note_kk field-change_note_ru field-change_note_en', page)
    for name in ["summary_kk", "summary_ru", "summary_en", "reason_kk"]:
        assert f'name="{name}"' in page or f'name="regions-__prefix__-{name}"' in page


def test_an_edition_written_in_one_language_is_published_and_listed_as_missing_the_others(as_publisher, author, iran):
    """In a crisis the first language out is the one that matters; the list says what is still to translate."""
    draft = draft_of(iran, author=author, level=4, summary="", change_note="")
    data = {
        **edition_form(draft, summary="", change_note=""),
        "summary_ru": "Не совершайте поездок в Иран.",  # noqa: RUF001
        "change_note_ru": "Повышен до уровня 4.",
        "_publish": "1",
    }

    response = as_publisher.post(change_url(draft), data, follow=True)

    assert "Published: Iran, version 2." in response.text
    iran.refresh_from_db()
    assert iran.current_edition.summary_ru == "Не совершайте поездок в Иран."  # noqa: RUF001
    listed = {
        language: re.findall(r">(Iran, version \d)</a>", as_publisher.get(EDITIONS, {"missing": language}).text)
        for language in ["kk", "ru", "en", "any"]
    }
    # Version 1 was written in English only, version 2 in Russian only.
    assert listed == {
        "kk": ["Iran, version 2", "Iran, version 1"],
        "ru": ["Iran, version 1"],
        "en": ["Iran, version 2"],
        "any": ["Iran, version 2", "Iran, version 1"],
    }
    listing = as_publisher.get(EDITIONS).text
    assert '<strong class="translation-missing">Kazakh, English</strong>' in listing


def test_a_summary_in_no_language_is_refused(as_author, author, iran):
    draft = draft_of(iran, author=author)

    response = as_author.post(change_url(draft), edition_form(draft, summary=""))

    assert response.status_code == 200
    assert "Write the summary in at least one language." in response.text


def test_a_missions_jurisdiction_takes_regions_of_its_country_only(as_author, tehran):
    url = reverse("admin:advisories_mission_change", args=[tehran.pk])
    data = tehran_change_form(
        tehran,
        **{
            "jurisdictions-TOTAL_FORMS": "2",
            "jurisdictions-0-country": "TR",
            "jurisdictions-0-region": "TR-34",
            "jurisdictions-1-country": "TR",
            "jurisdictions-1-region": "IR-23",
        },
    )

    refused = as_author.post(url, data)
    data["jurisdictions-1-region"] = "TR-41"
    accepted = as_author.post(url, data)

    assert refused.status_code == 200
    assert "This is not a region of the country." in refused.text
    assert accepted.status_code == 302
    assert sorted(tehran.jurisdictions.values_list("country", "region")) == [
        ("IR", ""),
        ("TR", "TR-34"),
        ("TR", "TR-41"),
    ]
