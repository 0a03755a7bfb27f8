"""The one-tap answer page: from the personal link with no sign-in, and from the signed-in citizen's dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations.models import CheckIn, HelpRequest
from registrations.models.checkins import CheckInChannel, Reporter
from registrations.models.crises import PersonStatus
from registrations.services.checkins import CHECKIN_LINK
from registrations.services.crises import close_crisis
from registrations.tests.form_posts import answers, link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(crisis):
    """conftest's June crisis, with a notice for the people in its area."""
    crisis.public_notice = "Stay indoors. The land border at Astara is open."
    crisis.save(update_fields=["public_notice"])
    return crisis


def test_opening_the_link_shows_the_page_and_records_nothing(client, arman, dariga):
    page = client.get(link_path(arman))

    assert page.status_code == 200
    text = page.text
    assert "Are you safe?" in text
    assert "Stay indoors. The land border at Astara is open." in text
    assert "How is Dariga Tehraniova?" in text
    assert text.count('type="radio"') == 6
    assert 'name="submission_token"' in text
    assert "no-store" in page["Cache-Control"]
    assert not CheckIn.objects.exists()
    arman.refresh_from_db()
    assert arman.status == PersonStatus.NOT_ANSWERED


def test_the_link_carries_only_the_signed_id_and_the_language(arman):
    path = link_path(arman, "kk")

    token = path.removeprefix("/kk/accounts/crisis/").rstrip("/")
    assert CHECKIN_LINK.read(token) == arman.pk
    assert path == f"/kk/accounts/crisis/{token}/"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_page_is_in_the_language_of_the_link(client, arman, language):
    page = client.get(link_path(arman, language))

    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.text


def test_the_citizen_answers_for_herself_and_her_household_each_with_their_own_status(client, arman, dariga):
    page = client.post(
        link_path(arman),
        answers(arman, dariga, own=PersonStatus.SAFE, member=PersonStatus.NEEDS_HELP, member_note="Broken leg"),
    )

    assert page.status_code == 200
    assert "your answers are recorded" in page.text
    assert "Broken leg" in page.text
    assert "An officer will contact you" in page.text
    own, relative = CheckIn.objects.get(person=arman), CheckIn.objects.get(person=dariga)
    assert (own.status, own.reporter, own.channel) == (PersonStatus.SAFE, Reporter.PERSON, CheckInChannel.LINK)
    assert (relative.status, relative.reporter, relative.channel) == (
        PersonStatus.NEEDS_HELP,
        Reporter.RELATIVE,
        CheckInChannel.LINK,
    )
    assert own.recorded_by is None
    assert HelpRequest.objects.get().person == dariga


def test_a_household_member_may_be_left_unanswered(client, arman, dariga):
    page = client.post(link_path(arman), answers(arman, dariga, member=""))

    assert page.status_code == 200
    assert "No answer this time." in page.text
    assert list(CheckIn.objects.values_list("person", flat=True)) == [arman.pk]
    dariga.refresh_from_db()
    assert dariga.status == PersonStatus.NOT_ANSWERED


def test_the_same_page_sent_twice_records_once(client, arman, dariga):
    data = answers(arman, dariga, member=PersonStatus.SAFE)

    first = client.post(link_path(arman), data)
    second = client.post(link_path(arman), data)

    assert first.status_code == second.status_code == 200
    assert CheckIn.objects.count() == 2  # Arman and Dariga, once each


def test_errors_are_shown_beside_the_fields_and_in_a_summary_keeping_what_was_typed(client, arman, dariga):
    data = answers(arman, dariga, member="", member_note="She is at her sister's", own_city="Q" * 101)
    del data[f"status_{arman.pk}"]

    page = client.post(link_path(arman), data)

    assert page.status_code == 200
    text = page.text
    assert 'id="error-summary"' in text
    assert f'href="#id_status_{arman.pk}_0"' in text  # the summary leads to the first answer button
    assert f'id="id_status_{arman.pk}_0"' in text
    assert "Choose one answer." in text
    assert "Choose an answer to go with the note." in text
    assert "She is at her sister&#x27;s" in text
    assert "Q" * 101 in text
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "garbage",
        lambda token: token.split(":")[0] + ":" + token.split(":", 1)[1][::-1],
    ],
)
def test_an_altered_link_answers_404_and_records_nothing(client, arman, tamper):
    token = link_path(arman).removeprefix("/en/accounts/crisis/").rstrip("/")
    path = f"/en/accounts/crisis/{tamper(token)}/"

    assert client.get(path).status_code == 404
    assert client.post(path, answers(arman)).status_code == 404
    assert not CheckIn.objects.exists()


def test_a_link_made_for_a_household_members_row_or_another_purpose_is_refused(client, dariga, arman):
    from portal.outbound import SignedLink

    member_token = CHECKIN_LINK.make(dariga.pk)
    other_purpose = SignedLink(salt="registrations.still-there").make(arman.pk)

    assert client.get(f"/en/accounts/crisis/{member_token}/").status_code == 404
    assert client.get(f"/en/accounts/crisis/{other_purpose}/").status_code == 404


def test_a_closed_crisis_says_so_and_refuses_answers(client, crisis, arman):
    path = link_path(arman)
    close_crisis(crisis=crisis)

    page = client.get(path)
    posted = client.post(path, answers(arman))

    assert page.status_code == posted.status_code == 410
    assert "This crisis is closed" in page.text
    assert not CheckIn.objects.exists()


# From the dashboard.


def test_the_dashboard_shows_the_open_crisis_with_its_notice_and_the_way_to_answer(client, world, crisis):
    client.force_login(world.in_iran.user)

    page = client.get(reverse("registrations:account")).text

    assert "Iran and Israel, June" in page
    assert "Stay indoors." in page
    assert "You have not answered yet." in page
    assert reverse("registrations:crisis_answer", kwargs={"crisis_id": crisis.pk}) in page


def test_the_dashboard_shows_no_banner_once_the_crisis_is_closed_or_to_someone_not_concerned(client, world, crisis):
    client.force_login(world.in_france.user)
    assert "Iran and Israel, June" not in client.get(reverse("registrations:account")).text

    close_crisis(crisis=crisis)
    client.force_login(world.in_iran.user)
    assert "Iran and Israel, June" not in client.get(reverse("registrations:account")).text


def test_the_signed_in_citizen_answers_from_the_dashboard(client, world, crisis, arman, dariga):
    client.force_login(world.in_iran.user)
    url = reverse("registrations:crisis_answer", kwargs={"crisis_id": crisis.pk})

    assert client.get(url).status_code == 200
    page = client.post(url, answers(arman, dariga, own=PersonStatus.WANTS_TO_LEAVE, member=PersonStatus.SAFE))

    assert page.status_code == 200
    assert set(CheckIn.objects.values_list("channel", flat=True)) == {CheckInChannel.DASHBOARD}
    assert "Your last answer" in client.get(reverse("registrations:account")).text


def test_the_dashboard_answer_page_needs_a_sign_in_and_shows_only_ones_own_crisis(client, world, crisis, arman):
    url = reverse("registrations:crisis_answer", kwargs={"crisis_id": crisis.pk})
    assert client.get(url).status_code == 302  # to the sign-in page

    client.force_login(world.in_france.user)  # not on this crisis's board
    assert client.get(url).status_code == 404
    assert client.post(url, answers(arman)).status_code == 404
    assert not CheckIn.objects.exists()


# What "I'm safe" costs the database, sent from the personal link. A test runs in a transaction: each
# atomic block is a SAVEPOINT and a RELEASE here (in production the outer one is BEGIN and COMMIT).
CHECKIN_PAGE_QUERIES = [
    "the citizen's row on the board, from the link (with the crisis and the profile)",
    "the household's rows on the board (the page's fields)",
    "SAVEPOINT: the page's answers, all or nothing",
]
CHECKIN_QUERIES_PER_PERSON = [
    "SAVEPOINT: one person's answer",
    "the person's row, locked",
    "SAVEPOINT: the INSERT may meet the same page sent before",
    "INSERT the check-in",
    "RELEASE SAVEPOINT",
    "UPDATE the person's status on the board",
    "RELEASE SAVEPOINT",
]
CHECKIN_PAGE_END = ["RELEASE SAVEPOINT"]


@pytest.mark.parametrize("with_member", [False, True])
def test_an_answer_costs_a_fixed_number_of_queries_per_person_answered(client, arman, dariga, with_member):
    data = answers(arman, dariga, member=PersonStatus.SAFE if with_member else "")
    answered = 2 if with_member else 1
    with CaptureQueriesContext(connection) as queries:
        response = client.post(link_path(arman), data)

    assert response.status_code == 200
    assert CheckIn.objects.count() == answered
    budget = CHECKIN_PAGE_QUERIES + CHECKIN_QUERIES_PER_PERSON * answered + CHECKIN_PAGE_END
    assert len(queries) == len(budget), "\n".join(query["sql"][:120] for query in queries)


def test_the_same_page_sent_again_records_nothing_more_and_shows_the_first_answer(client, arman, dariga):
    data = answers(arman, dariga, member=PersonStatus.NEEDS_HELP, own_note="Phone works at night")
    first = client.post(link_path(arman), data)
    again = client.post(link_path(arman), {**data, f"status_{arman.pk}": PersonStatus.WANTS_TO_LEAVE})

    assert first.status_code == again.status_code == 200
    assert CheckIn.objects.count() == 2
    arman.refresh_from_db()
    assert arman.status == PersonStatus.SAFE
    assert HelpRequest.objects.count() == 1
