"""Check-ins: answers are appended, never edited; the latest is the person's status; one POST records once."""

import threading
import uuid

import pytest
from django.db import connection

from registrations.models import CheckIn, CrisisPerson, HelpRequest
from registrations.models.checkins import CheckInChannel, Reporter
from registrations.models.crises import PersonStatus
from registrations.models.help_requests import HelpKind, HelpStatus
from registrations.services import checkins as checkin_service
from registrations.services.crises import close_crisis, open_crisis
from registrations.tests.conftest import connections_for

pytestmark = pytest.mark.django_db


def person_of(crisis, citizen, member=None):
    return CrisisPerson.objects.get(crisis=crisis, citizen=citizen.user, member=member)


def answer(person, status=PersonStatus.SAFE, **fields):
    values = {"reporter": Reporter.PERSON, "channel": CheckInChannel.LINK, **fields}
    return checkin_service.record_checkin(person=person, status=status, **values)


def test_an_answer_is_appended_and_becomes_the_persons_status(crisis, world):
    arman = person_of(crisis, world.in_iran)

    first = answer(arman, PersonStatus.SAFE, city="Tehran")
    second = answer(arman, PersonStatus.WANTS_TO_LEAVE, note="Roads to Astara are open", city="Qazvin")

    arman.refresh_from_db()
    assert arman.status == PersonStatus.WANTS_TO_LEAVE
    assert arman.status_changed_at == second.created_at
    assert arman.city == "Qazvin"
    # Never edited: the first answer is still there as it was given.
    first.refresh_from_db()
    assert (first.status, first.city) == (PersonStatus.SAFE, "Tehran")
    assert list(arman.checkins.values_list("status", flat=True)) == [PersonStatus.WANTS_TO_LEAVE, PersonStatus.SAFE]


def test_an_answer_without_a_city_keeps_the_city_the_board_knows(crisis, world):
    arman = person_of(crisis, world.in_iran)

    answer(arman, PersonStatus.SAFE)

    arman.refresh_from_db()
    assert arman.city == "Tehran"


def test_the_same_submission_token_twice_records_one_checkin(crisis, world):
    arman = person_of(crisis, world.in_iran)
    token = uuid.uuid4()

    first = answer(arman, PersonStatus.NEEDS_HELP, submission_token=token)
    again = answer(arman, PersonStatus.NEEDS_HELP, submission_token=token)

    assert again.pk == first.pk
    assert arman.checkins.count() == 1
    assert HelpRequest.objects.filter(person=arman).count() == 1


def test_a_closed_crisis_refuses_answers(crisis, world):
    arman = person_of(crisis, world.in_iran)
    close_crisis(crisis=crisis)

    with pytest.raises(checkin_service.CrisisClosed):
        answer(arman, PersonStatus.SAFE)

    arman.refresh_from_db()
    assert arman.status == PersonStatus.NOT_ANSWERED
    assert not CheckIn.objects.exists()


def test_not_answered_is_not_an_answer(crisis, world):
    with pytest.raises(ValueError):
        answer(person_of(crisis, world.in_iran), PersonStatus.NOT_ANSWERED)


def test_staff_answers_name_who_recorded_them(crisis, world, hq_officer):
    arman = person_of(crisis, world.in_iran)

    with pytest.raises(ValueError):
        answer(arman, PersonStatus.UNREACHABLE, reporter=Reporter.STAFF, channel=CheckInChannel.STAFF)
    recorded = answer(
        arman, PersonStatus.UNREACHABLE, reporter=Reporter.STAFF, channel=CheckInChannel.STAFF, recorded_by=hq_officer
    )

    assert recorded.recorded_by == hq_officer


def test_a_needs_help_answer_opens_a_help_request_and_a_second_does_not_duplicate_it(crisis, world):
    arman = person_of(crisis, world.in_iran)

    first = answer(arman, PersonStatus.NEEDS_HELP, note="Out of insulin")
    answer(arman, PersonStatus.NEEDS_HELP, note="Still out of insulin, pharmacy closed")

    request = HelpRequest.objects.get(person=arman)
    assert (request.kind, request.status, request.crisis) == (HelpKind.NEEDS_HELP, HelpStatus.NEW, crisis)
    assert request.source_checkin == first
    assert request.summary == "Out of insulin"
    # The second answer is not lost: it is the person's latest check-in, shown on the request's page.
    assert arman.checkins.count() == 2


def test_wanting_to_leave_is_a_case_of_its_own_and_safe_opens_none(crisis, world):
    arman = person_of(crisis, world.in_iran)

    answer(arman, PersonStatus.NEEDS_HELP)
    answer(arman, PersonStatus.WANTS_TO_LEAVE)
    answer(arman, PersonStatus.SAFE)

    assert sorted(HelpRequest.objects.values_list("kind", flat=True)) == [HelpKind.NEEDS_HELP, HelpKind.WANTS_TO_LEAVE]


def test_once_the_case_is_resolved_a_new_answer_opens_a_new_one(crisis, world, hq_officer):
    from registrations.services import help_requests

    arman = person_of(crisis, world.in_iran)
    answer(arman, PersonStatus.NEEDS_HELP)
    help_requests.resolve(help_request=HelpRequest.objects.get(), officer=hq_officer)

    answer(arman, PersonStatus.NEEDS_HELP)

    assert list(HelpRequest.objects.order_by("id").values_list("status", flat=True)) == [
        HelpStatus.RESOLVED,
        HelpStatus.NEW,
    ]


def test_household_answers_each_keep_their_own_status(crisis, world):
    arman = person_of(crisis, world.in_iran)
    dariga = person_of(crisis, world.in_iran, world.in_iran.members[0])
    token = uuid.uuid4()

    recorded = checkin_service.record_household_answers(
        citizen_person=arman,
        answers=[
            checkin_service.Answer(arman, PersonStatus.SAFE, city="Tehran"),
            checkin_service.Answer(dariga, PersonStatus.NEEDS_HELP, note="Broken leg", city="Tehran"),
        ],
        channel=CheckInChannel.LINK,
        submission_token=token,
    )

    assert [(c.person, c.status, c.reporter) for c in recorded] == [
        (arman, PersonStatus.SAFE, Reporter.PERSON),
        (dariga, PersonStatus.NEEDS_HELP, Reporter.RELATIVE),
    ]
    assert dict(crisis.people.filter(citizen=world.in_iran.user).values_list("member", "status")) == {
        None: PersonStatus.SAFE,
        world.in_iran.members[0].pk: PersonStatus.NEEDS_HELP,
    }
    assert HelpRequest.objects.get().person == dariga
    # The same page sent again records nothing more.
    checkin_service.record_household_answers(
        citizen_person=arman,
        answers=[checkin_service.Answer(arman, PersonStatus.SAFE), checkin_service.Answer(dariga, PersonStatus.SAFE)],
        channel=CheckInChannel.LINK,
        submission_token=token,
    )
    assert CheckIn.objects.count() == 2


def test_a_page_answers_only_for_the_citizens_own_household(crisis, world):
    arman = person_of(crisis, world.in_iran)
    marat = person_of(crisis, world.in_israel, world.in_israel.members[0])

    with pytest.raises(ValueError):
        checkin_service.record_household_answers(
            citizen_person=arman,
            answers=[checkin_service.Answer(marat, PersonStatus.SAFE)],
            channel=CheckInChannel.LINK,
            submission_token=uuid.uuid4(),
        )
    assert not CheckIn.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; concurrency is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_posts_of_the_same_answer_leave_one_checkin_one_status_and_one_help_request(world, hq_officer):
    crisis = open_crisis(name="Iran, June", areas=[("IR", "")], opened_by=hq_officer)
    arman = person_of(crisis, world.in_iran)
    dariga = person_of(crisis, world.in_iran, world.in_iran.members[0])
    path = checkin_service.checkin_url(arman, language="en").removeprefix("http://testserver")
    path = path[path.index("/en/") :]
    data = {
        "submission_token": str(uuid.uuid4()),
        f"status_{arman.pk}": PersonStatus.NEEDS_HELP,
        f"city_{arman.pk}": "Tehran",
        f"status_{dariga.pk}": PersonStatus.SAFE,
        f"city_{dariga.pk}": "Tehran",
    }
    start = threading.Barrier(40)
    statuses = []

    def post():
        from django.db import connection as thread_connection
        from django.test import Client

        try:
            start.wait()
            statuses.append(Client().post(path, data).status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=post) for _ in range(40)]
    with connections_for(40):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert statuses == [200] * 40
    assert arman.checkins.count() == 1
    assert dariga.checkins.count() == 1
    arman.refresh_from_db()
    dariga.refresh_from_db()
    assert (arman.status, dariga.status) == (PersonStatus.NEEDS_HELP, PersonStatus.SAFE)
    assert HelpRequest.objects.filter(person=arman).count() == 1
