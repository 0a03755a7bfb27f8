"""Help requests: one open case per person and kind, one officer at a time, notes added, duplicates linked."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from registrations.models import AuditAction, AuditEvent, CrisisPerson, HelpRequest, HelpRequestNote
from registrations.models.checkins import CheckInChannel, Reporter
from registrations.models.crises import PersonStatus
from registrations.models.help_requests import HelpKind, HelpStatus
from registrations.services import help_requests as help_service
from registrations.services.checkins import record_checkin
from registrations.services.crises import open_crisis
from registrations.tests.conftest import connections_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(world, hq_officer):
    return open_crisis(name="Iran and Israel, June", areas=[("IR", ""), ("IL", "")], opened_by=hq_officer)


def person_of(crisis, citizen, member=None):
    return CrisisPerson.objects.get(crisis=crisis, citizen=citizen.user, member=member)


def asks_for_help(person, status=PersonStatus.NEEDS_HELP, note="Out of insulin"):
    record_checkin(person=person, status=status, note=note, reporter=Reporter.PERSON, channel=CheckInChannel.LINK)
    return HelpRequest.objects.filter(person=person).latest("id")


@pytest.fixture
def iran_request(crisis, world):
    return asks_for_help(person_of(crisis, world.in_iran))


@pytest.fixture
def israel_request(crisis, world):
    return asks_for_help(person_of(crisis, world.in_israel), PersonStatus.WANTS_TO_LEAVE, note="Two seats")


def change_url(help_request):
    return reverse("admin:registrations_helprequest_change", args=[help_request.pk])


def action_url(help_request, action):
    return reverse(f"admin:registrations_helprequest_{action}", args=[help_request.pk])


# The services.


def test_an_officer_claims_a_new_request_and_a_second_officer_is_refused_with_the_owners_name(
    iran_request, hq_officer, tehran_officer
):
    help_service.claim(help_request=iran_request, officer=tehran_officer)

    with pytest.raises(help_service.AlreadyClaimed) as refused:
        help_service.claim(help_request=iran_request, officer=hq_officer)

    assert "tehran@mfa.example.gov.kz" in str(refused.value.message)
    iran_request.refresh_from_db()
    assert (iran_request.status, iran_request.owner) == (HelpStatus.ASSIGNED, tehran_officer)
    assert iran_request.claimed_at is not None


def test_a_request_goes_from_new_to_resolved_through_its_owner(iran_request, tehran_officer, hq_officer):
    help_service.start(help_request=iran_request, officer=tehran_officer)
    iran_request.refresh_from_db()
    assert (iran_request.status, iran_request.owner) == (HelpStatus.IN_PROGRESS, tehran_officer)

    with pytest.raises(help_service.AlreadyClaimed):
        help_service.resolve(help_request=iran_request, officer=hq_officer)
    help_service.resolve(help_request=iran_request, officer=tehran_officer, note="Insulin delivered by the embassy")

    iran_request.refresh_from_db()
    assert iran_request.status == HelpStatus.RESOLVED
    assert iran_request.resolved_at is not None
    assert iran_request.notes.get().text == "Insulin delivered by the embassy"
    with pytest.raises(help_service.HelpRequestRefused):
        help_service.claim(help_request=iran_request, officer=hq_officer)


def test_the_owner_gives_a_request_back_and_another_officer_claims_it(iran_request, tehran_officer, hq_officer):
    help_service.claim(help_request=iran_request, officer=tehran_officer)
    help_service.release(help_request=iran_request, officer=tehran_officer)
    help_service.claim(help_request=iran_request, officer=hq_officer)

    iran_request.refresh_from_db()
    assert iran_request.owner == hq_officer


def test_a_request_staff_record_while_one_is_open_is_linked_to_it_not_lost(crisis, world, iran_request, hq_officer):
    again = help_service.create_by_staff(
        person=iran_request.person,
        kind=HelpKind.NEEDS_HELP,
        summary="Called: also needs a doctor",
        created_by=hq_officer,
    )
    other_kind = help_service.create_by_staff(
        person=iran_request.person, kind=HelpKind.WANTS_TO_LEAVE, summary="Wants a seat", created_by=hq_officer
    )

    assert (again.status, again.duplicate_of) == (HelpStatus.DUPLICATE, iran_request)
    assert list(iran_request.duplicates.all()) == [again]
    assert other_kind.status == HelpStatus.NEW


def test_marking_a_duplicate_links_it_and_its_own_duplicates_to_the_original(crisis, world, hq_officer):
    arman = person_of(crisis, world.in_iran)
    first = help_service.create_by_staff(
        person=arman, kind=HelpKind.PHONE_CALL, summary="Call 1", created_by=hq_officer
    )
    second = help_service.create_by_staff(
        person=arman, kind=HelpKind.NEEDS_HELP, summary="Answer", created_by=hq_officer
    )
    third = help_service.create_by_staff(person=arman, kind=HelpKind.NEEDS_HELP, summary="Again", created_by=hq_officer)
    assert third.duplicate_of == second

    help_service.mark_duplicate(help_request=second, original=first, officer=hq_officer)

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.duplicate_of) == (HelpStatus.DUPLICATE, first)
    assert third.duplicate_of == first
    assert HelpRequest.objects.count() == 3  # linked, not lost


def test_only_a_request_of_the_same_person_can_be_the_original(iran_request, israel_request, hq_officer):
    with pytest.raises(help_service.HelpRequestRefused):
        help_service.mark_duplicate(help_request=iran_request, original=israel_request, officer=hq_officer)
    with pytest.raises(help_service.HelpRequestRefused):
        help_service.mark_duplicate(help_request=iran_request, original=iran_request, officer=hq_officer)


def test_the_age_of_a_request_is_told_in_bands(iran_request):
    from datetime import timedelta

    assert [help_service.age_band(timedelta(minutes=minutes)).name for minutes in (0, 59, 60, 359, 360, 5000)] == [
        "fresh",
        "fresh",
        "waiting",
        "waiting",
        "overdue",
        "overdue",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; concurrency is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_the_same_moment_one_wins_and_the_other_is_told(world, hq_officer, tehran_officer):
    crisis = open_crisis(name="Iran, June", areas=[("IR", "")], opened_by=hq_officer)
    help_request = asks_for_help(person_of(crisis, world.in_iran))
    start = threading.Barrier(2)
    outcomes = {}

    def claim(officer):
        from django.db import connection as thread_connection

        try:
            start.wait()
            help_service.claim(help_request=help_request, officer=officer)
            outcomes[officer.email] = "claimed"
        except help_service.AlreadyClaimed as refused:
            outcomes[officer.email] = refused.owner.email
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=claim, args=(officer,)) for officer in (hq_officer, tehran_officer)]
    with connections_for(2):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    help_request.refresh_from_db()
    winner = help_request.owner.email
    loser = ({hq_officer.email, tehran_officer.email} - {winner}).pop()
    assert outcomes == {winner: "claimed", loser: winner}


# The staff workplace.


def test_the_list_shows_each_requests_age_in_words_and_colour_status_and_owner(
    staff_client, hq_officer, iran_request, israel_request, time_machine
):
    help_service.claim(help_request=israel_request, officer=hq_officer)
    time_machine.shift(7 * 3600)
    help_service.create_by_staff(
        person=iran_request.person,
        kind=HelpKind.WANTS_TO_LEAVE,
        summary="Called",
        created_by=hq_officer,
    )

    page = staff_client(hq_officer).get(reverse("admin:registrations_helprequest_changelist"))

    assert page.status_code == 200
    text = page.text
    assert text.count('class="help-age help-age-overdue"') == 2
    assert text.count('class="help-age help-age-fresh"') == 1
    assert "over 6 hours" in text and "under 1 hour" in text
    assert "7 h 0 min" in text
    assert "hq@mfa.example.gov.kz" in text  # the owner
    assert 'href="/static/css/staff.css"' in text


def test_the_list_costs_the_same_queries_for_one_request_or_many(
    staff_client, hq_officer, crisis, world, django_assert_max_num_queries
):
    client = staff_client(hq_officer)
    url = reverse("admin:registrations_helprequest_changelist")
    asks_for_help(person_of(crisis, world.in_iran))
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)

    asks_for_help(person_of(crisis, world.in_iran, world.in_iran.members[0]))
    asks_for_help(person_of(crisis, world.in_israel), PersonStatus.WANTS_TO_LEAVE)
    asks_for_help(person_of(crisis, world.in_israel, world.in_israel.members[0]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_claiming_from_the_case_page_is_audited_and_a_second_officer_is_told_who_owns_it(
    staff_client, hq_officer, tehran_officer, iran_request
):
    tehran = staff_client(tehran_officer)
    hq = staff_client(hq_officer)

    claimed = tehran.post(action_url(iran_request, "claim"), follow=True)
    refused = hq.post(action_url(iran_request, "claim"), follow=True)

    assert claimed.status_code == refused.status_code == 200
    assert "You work on this request now." in claimed.text
    assert "Already claimed by tehran@mfa.example.gov.kz" in refused.text
    iran_request.refresh_from_db()
    assert iran_request.owner == tehran_officer
    event = AuditEvent.objects.get(actor=tehran_officer, action=AuditAction.CHANGE)
    assert event.details == {"action": "claim"}
    assert event.subject == iran_request.person.citizen
    assert not AuditEvent.objects.filter(actor=hq_officer, action=AuditAction.CHANGE).exists()


def test_the_case_page_shows_the_person_their_answers_and_takes_notes_never_edited(
    staff_client, tehran_officer, crisis, world, iran_request, time_machine
):
    client = staff_client(tehran_officer)
    time_machine.shift(600)
    record_checkin(
        person=iran_request.person,
        status=PersonStatus.NEEDS_HELP,
        note="Pharmacy closed too",
        reporter=Reporter.PERSON,
        channel=CheckInChannel.SMS,
    )

    page = client.get(change_url(iran_request))
    noted = client.post(
        reverse("admin:registrations_helprequest_note", args=[iran_request.pk]),
        {"text": "Called back, insulin on its way"},
        follow=True,
    )

    assert page.status_code == 200
    assert "ARMAN TEHRANIOV" in page.text
    assert "Out of insulin" in page.text
    assert "Pharmacy closed too" in page.text  # the later answer, on the case
    assert "since this request" in page.text
    assert 'name="_save"' not in page.text  # nothing to edit
    assert AuditEvent.objects.filter(actor=tehran_officer, action=AuditAction.VIEW).exists()
    assert "Called back, insulin on its way" in noted.text
    note = HelpRequestNote.objects.get()
    assert (note.request, note.author) == (iran_request, tehran_officer)
    assert AuditEvent.objects.filter(actor=tehran_officer, action=AuditAction.ADD).get().subject == world.in_iran.user
    assert client.post(change_url(iran_request), {"status": "resolved"}).status_code == 403


def test_start_resolve_and_mark_duplicate_from_the_case_page(staff_client, hq_officer, crisis, world, iran_request):
    client = staff_client(hq_officer)
    repeat = help_service.create_by_staff(
        person=iran_request.person, kind=HelpKind.PHONE_CALL, summary="Called", created_by=hq_officer
    )

    client.post(action_url(iran_request, "start"))
    iran_request.refresh_from_db()
    assert (iran_request.status, iran_request.owner) == (HelpStatus.IN_PROGRESS, hq_officer)

    client.post(reverse("admin:registrations_helprequest_duplicate", args=[repeat.pk]), {"original": iran_request.pk})
    repeat.refresh_from_db()
    assert (repeat.status, repeat.duplicate_of) == (HelpStatus.DUPLICATE, iran_request)

    client.post(action_url(iran_request, "resolve"))
    iran_request.refresh_from_db()
    assert iran_request.status == HelpStatus.RESOLVED
    assert client.get(action_url(iran_request, "resolve")).status_code == 405  # buttons only: POST


def test_staff_record_a_help_request_after_a_phone_call(staff_client, tehran_officer, crisis, world, iran_request):
    client = staff_client(tehran_officer)
    arman = iran_request.person
    add = reverse("admin:registrations_helprequest_add")

    assert client.get(f"{add}?person={arman.pk}").status_code == 200
    created = client.post(add, {"person": arman.pk, "kind": HelpKind.NEEDS_HELP, "summary": "Called"}, follow=True)

    assert created.status_code == 200
    duplicate = HelpRequest.objects.latest("id")
    assert (duplicate.status, duplicate.duplicate_of, duplicate.summary) == (
        HelpStatus.DUPLICATE,
        iran_request,
        "Called",
    )
    assert "linked to it as a duplicate" in created.text
    assert AuditEvent.objects.filter(actor=tehran_officer, action=AuditAction.ADD, object_id=str(duplicate.pk)).exists()


def test_a_tel_aviv_officer_can_neither_see_nor_claim_nor_note_irans_requests(
    staff_client, tel_aviv_officer, iran_request, israel_request, crisis, world
):
    client = staff_client(tel_aviv_officer)

    listed = client.get(reverse("admin:registrations_helprequest_changelist") + "?state=all")

    assert listed.status_code == 200
    assert f">#{israel_request.pk}<" in listed.text
    assert f">#{iran_request.pk}<" not in listed.text
    assert "TEHRANIOV" not in listed.text
    assert client.get(change_url(iran_request)).status_code in (302, 404)
    assert client.post(action_url(iran_request, "claim")).status_code == 404
    assert (
        client.post(reverse("admin:registrations_helprequest_note", args=[iran_request.pk]), {"text": "x"}).status_code
        == 404
    )
    add = reverse("admin:registrations_helprequest_add")
    arman = person_of(crisis, world.in_iran)
    assert client.get(f"{add}?person={arman.pk}").status_code == 404
    assert client.post(add, {"person": arman.pk, "kind": HelpKind.NEEDS_HELP, "summary": "x"}).status_code == 404
    iran_request.refresh_from_db()
    assert iran_request.owner is None
    assert HelpRequest.objects.count() == 2
    assert not HelpRequestNote.objects.exists()


def test_a_mission_officer_claims_in_bulk_only_within_their_jurisdiction(
    staff_client, tehran_officer, iran_request, israel_request
):
    client = staff_client(tehran_officer)

    client.post(
        reverse("admin:registrations_helprequest_changelist"),
        {"action": "claim_selected", "_selected_action": [iran_request.pk, israel_request.pk]},
    )

    iran_request.refresh_from_db()
    israel_request.refresh_from_db()
    assert iran_request.owner == tehran_officer
    assert israel_request.owner is None
