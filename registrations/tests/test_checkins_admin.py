"""Check-ins in the staff workplace: read-only, scoped, audited; staff record an answer given on the phone."""

import uuid

import pytest
from django.urls import reverse

from registrations.models import AuditAction, AuditEvent, CheckIn, CrisisPerson, HelpRequest
from registrations.models.checkins import CheckInChannel, Reporter
from registrations.models.crises import PersonStatus
from registrations.services.checkins import record_checkin
from registrations.services.crises import close_crisis

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registrations_checkin_changelist"
ADD = "admin:registrations_checkin_add"


@pytest.fixture
def answers(arman, zarina):
    """Arman is safe in Tehran; Zarina wants to leave Tel Aviv."""
    return [
        record_checkin(
            person=arman, status=PersonStatus.SAFE, city="Tehran", reporter=Reporter.PERSON, channel=CheckInChannel.LINK
        ),
        record_checkin(
            person=zarina,
            status=PersonStatus.WANTS_TO_LEAVE,
            note="Two seats",
            reporter=Reporter.PERSON,
            channel=CheckInChannel.SMS,
        ),
    ]


def phone_answer(person, **fields):
    return {"person": person.pk, "status": PersonStatus.UNREACHABLE, "city": "", "note": "", **fields} | {
        "submission_id": fields.get("submission_id", str(uuid.uuid4()))
    }


def test_the_list_of_answers_is_scoped_filtered_and_audited(staff_client, tehran_officer, hq_officer, crisis, answers):
    tehran = staff_client(tehran_officer)

    listed = tehran.get(reverse(CHANGELIST), {"crisis": crisis.pk, "status": PersonStatus.SAFE})
    everything = staff_client(hq_officer).get(reverse(CHANGELIST))

    assert listed.status_code == 200
    assert "ARMAN TEHRANIOV" in listed.text
    assert "YAFFOVA" not in listed.text
    assert "ZARINA YAFFOVA" in everything.text
    event = AuditEvent.objects.get(actor=tehran_officer, action=AuditAction.LIST)
    assert event.details["filters"] == ["crisis", "status"]  # names, never values


def test_the_list_costs_the_same_queries_for_two_answers_or_many(
    staff_client, hq_officer, crisis, answers, world, django_assert_max_num_queries
):
    client = staff_client(hq_officer)
    client.get(reverse(CHANGELIST))
    with django_assert_max_num_queries(40) as two:
        client.get(reverse(CHANGELIST))

    for person in CrisisPerson.objects.filter(crisis=crisis):
        for status in (PersonStatus.SAFE, PersonStatus.NEEDS_HELP):
            record_checkin(person=person, status=status, reporter=Reporter.PERSON, channel=CheckInChannel.LINK)
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get(reverse(CHANGELIST))


def test_answers_are_never_changed_or_deleted_in_the_admin(staff_client, hq_officer, answers):
    client = staff_client(hq_officer)
    checkin = answers[0]
    change = reverse("admin:registrations_checkin_change", args=[checkin.pk])

    page = client.get(change)
    client.post(change, {"status": PersonStatus.NEEDS_HELP})
    deleted = client.post(reverse("admin:registrations_checkin_delete", args=[checkin.pk]), {"post": "yes"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert deleted.status_code == 403
    checkin.refresh_from_db()
    assert checkin.status == PersonStatus.SAFE
    assert AuditEvent.objects.filter(actor=hq_officer, action=AuditAction.VIEW, object_id=str(checkin.pk)).exists()


def test_staff_record_an_answer_given_on_the_phone(staff_client, tehran_officer, arman):
    client = staff_client(tehran_officer)
    form = client.get(reverse(ADD), {"person": arman.pk})

    saved = client.post(
        reverse(ADD), phone_answer(arman, status=PersonStatus.NEEDS_HELP, city="Qom", note="No water"), follow=True
    )

    assert form.status_code == 200
    assert "ARMAN TEHRANIOV" in form.text  # whom the answer is for
    assert saved.status_code == 200
    checkin = CheckIn.objects.get()
    assert (checkin.person, checkin.status, checkin.city, checkin.note) == (
        arman,
        PersonStatus.NEEDS_HELP,
        "Qom",
        "No water",
    )
    assert (checkin.reporter, checkin.channel, checkin.recorded_by) == (
        Reporter.STAFF,
        CheckInChannel.STAFF,
        tehran_officer,
    )
    arman.refresh_from_db()
    assert (arman.status, arman.city) == (PersonStatus.NEEDS_HELP, "Qom")
    assert HelpRequest.objects.get().source_checkin == checkin
    event = AuditEvent.objects.get(actor=tehran_officer, action=AuditAction.ADD)
    assert (event.object_id, event.subject) == (str(checkin.pk), arman.citizen)


def test_saving_the_phone_answer_twice_records_it_once(staff_client, hq_officer, arman):
    client = staff_client(hq_officer)
    data = phone_answer(arman, status=PersonStatus.SAFE)

    client.post(reverse(ADD), data)
    client.post(reverse(ADD), data)

    assert CheckIn.objects.count() == 1


def test_a_closed_crisis_takes_no_phone_answers(staff_client, hq_officer, crisis, arman):
    close_crisis(crisis=crisis)

    page = staff_client(hq_officer).post(reverse(ADD), phone_answer(arman))

    assert page.status_code in (200, 404)
    assert not CheckIn.objects.exists()


def test_a_tel_aviv_officer_cannot_see_or_answer_for_irans_people(
    staff_client, tel_aviv_officer, crisis, arman, answers
):
    client = staff_client(tel_aviv_officer)
    iran_answer = answers[0]

    listed = client.get(reverse(CHANGELIST))

    assert listed.status_code == 200
    assert "TEHRANIOV" not in listed.text
    assert "ZARINA YAFFOVA" in listed.text
    assert client.get(reverse("admin:registrations_checkin_change", args=[iran_answer.pk])).status_code in (302, 404)
    assert client.get(reverse(ADD), {"person": arman.pk}).status_code == 404
    assert client.post(reverse(ADD), phone_answer(arman)).status_code == 404
    assert CheckIn.objects.filter(person=arman).count() == 1
