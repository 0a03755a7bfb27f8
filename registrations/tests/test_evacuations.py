"""Evacuations: the queue by priority, explained; seat offers that go round by themselves; the door; changes told."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.models import AuditEvent, ManifestEntry, Seat, SeatOffer
from registrations.models.evacuations import ManifestStatus, OfferStatus, Priority, RequestSource
from registrations.services import evacuations, manifests, seat_offers
from registrations.tests.conftest import board_row, make_operation, wants_to_leave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]


def statuses(*people):
    return [ManifestEntry.objects.filter(person=person).order_by("-pk").first().status for person in people]


def entry_of(person):
    return ManifestEntry.objects.filter(person=person).order_by("-pk").first()


def queue_names(evacuation):
    return [[manifests.person_name(entry.person) for entry in party.entries] for party in manifests.queue(evacuation)]


def test_a_want_to_leave_answer_puts_the_household_in_the_queue(iran):
    wants_to_leave(iran.arman)

    entries = ManifestEntry.objects.filter(evacuation=iran.evacuation)
    assert {entry.person_id for entry in entries} == {iran.arman.pk, iran.dariga.pk}
    assert {entry.source for entry in entries} == {RequestSource.PERSON}
    # Asking again changes nothing; a person in Israel joins no Iranian operation.
    wants_to_leave(iran.arman)
    wants_to_leave(iran.zarina)
    assert ManifestEntry.objects.count() == 2


def test_i_want_to_leave_on_the_check_in_page_asks_for_seats_for_the_household(iran, client):
    from urllib.parse import urlsplit

    from registrations.services.checkins import checkin_url

    path = urlsplit(checkin_url(iran.arman, language="en")).path
    client.post(
        path,
        {
            "submission_token": "0b7a3c52-9d7e-4b1e-8a57-3f3b8f6c2d10",
            f"status_{iran.arman.pk}": "wants_to_leave",
            f"status_{iran.dariga.pk}": "wants_to_leave",
        },
    )

    assert statuses(iran.arman, iran.dariga) == ["requested", "requested"]
    assert queue_names(iran.evacuation) == [["ARMAN TEHRANIOV", "Dariga Tehraniova"]]


def test_the_queue_puts_the_family_with_a_child_then_the_elder_first_and_says_why(iran, time_machine):
    for person in (iran.erlan, iran.aliya, iran.nurlan, iran.arman):  # the family asks last
        wants_to_leave(person)
        time_machine.shift(60)

    parties = manifests.queue(iran.evacuation)

    assert queue_names(iran.evacuation) == [
        ["ARMAN TEHRANIOV", "Dariga Tehraniova"],
        ["NURLAN AKHMETOV"],
        ["ERLAN BEKOV"],
        ["ALIYA OMAROVA"],
    ]
    assert parties[0].reasons() == ["Minor with their family: Dariga Tehraniova, 11"]
    assert parties[1].reasons() == ["65 or over: NURLAN AKHMETOV, 71"]
    assert parties[2].reasons() == ["Everyone else, by request time"]


def test_needs_count_only_when_given_with_consent_and_pregnancy_is_recorded_by_staff(iran):
    from registrations.models import CitizenProfile

    CitizenProfile.objects.filter(user=iran.aliya.citizen).update(
        mobility_needs="Wheelchair", needs_consent_at=timezone.now()
    )
    wants_to_leave(iran.erlan, iran.aliya)
    erlan = entry_of(iran.erlan)
    assert entry_of(iran.aliya).priority_level == Priority.NEEDS
    assert erlan.priority_level == Priority.OTHERS

    manifests.update_entry(
        entry=erlan, pregnant=True, adjustment=0, adjustment_reason="", travels_separately=False, separation_reason=""
    )

    assert entry_of(iran.erlan).priority_level == Priority.PREGNANCY
    assert queue_names(iran.evacuation) == [["ALIYA OMAROVA"], ["ERLAN BEKOV"]]


def test_staff_raise_a_priority_with_a_reason_for_the_whole_household_and_it_is_audited(iran, hq_client):
    wants_to_leave(iran.nurlan, iran.arman, iran.erlan)
    erlan = entry_of(iran.erlan)
    url = f"/admin/registrations/manifestentry/{erlan.pk}/change/"

    refused = hq_client.post(url, {"priority_adjustment": "1", "adjustment_reason": ""})
    saved = hq_client.post(url, {"priority_adjustment": "1", "adjustment_reason": "Diabetic, insulin runs out"})

    assert refused.status_code == 200 and "Say why" in refused.text
    assert saved.status_code == 302
    assert queue_names(iran.evacuation)[0] == ["ERLAN BEKOV"]
    assert manifests.queue(iran.evacuation)[0].reasons()[0] == (
        "Raised by staff: before everyone else: Diabetic, insulin runs out"
    )
    event = AuditEvent.objects.get(action="change", object_id=str(erlan.pk))
    assert event.subject == iran.erlan.citizen
    assert "priority_adjustment" in event.details["fields"]
    assert "insulin" not in str(event.details)


def test_a_household_gets_its_seats_together_unless_split_on_purpose(iran):
    wants_to_leave(iran.arman, iran.nurlan)

    # Bus B has 2 seats: the family of two takes both, Nurlan waits.
    offers = seat_offers.offer_free_seats(transport=iran.bus_b, officer=None)
    assert [offer.entries.count() for offer in offers] == [2]
    assert statuses(iran.arman, iran.dariga, iran.nurlan) == ["offered", "offered", "requested"]


def test_a_household_too_big_for_the_seats_left_waits_and_the_next_that_fits_is_offered(iran):
    evacuations.save_transport(transport=iran.bus_b, legs=[iran.agarak], seats=1)
    wants_to_leave(iran.arman, iran.nurlan)

    seat_offers.offer_free_seats(transport=iran.bus_b, officer=None)

    assert statuses(iran.arman, iran.dariga, iran.nurlan) == ["requested", "requested", "offered"]


def test_a_split_household_member_is_offered_alone(iran):
    wants_to_leave(iran.arman)
    manifests.update_entry(
        entry=entry_of(iran.dariga),
        pregnant=False,
        adjustment=0,
        adjustment_reason="",
        travels_separately=True,
        separation_reason="Leaves with her school group",
    )
    evacuations.save_transport(transport=iran.bus_b, legs=[iran.agarak], seats=1)

    seat_offers.offer_free_seats(transport=iran.bus_b, officer=None)

    # Alone she is an unaccompanied minor: first.
    assert entry_of(iran.dariga).priority_reasons[0]["level"] == Priority.UNACCOMPANIED_MINOR
    assert statuses(iran.dariga, iran.arman) == ["offered", "requested"]


def test_an_offer_emails_and_texts_the_citizen_in_their_language_with_a_link_to_answer(
    iran, mailoutbox, sms_outbox, last_link_in_mail, django_capture_on_commit_callbacks
):
    wants_to_leave(iran.aliya)  # Aliya reads Russian

    with django_capture_on_commit_callbacks(execute=True):
        seat_offers.offer_free_seats(transport=iran.bus_a, officer=None)

    assert [message.to for message in mailoutbox] == [["aliya@example.com"]]
    body = mailoutbox[0].body
    assert "ALIYA OMAROVA" in body and "/ru/accounts/seat/" in last_link_in_mail()
    assert "18 июня 2026 г. 8:00" in body  # noqa: RUF001 (the departure on Tehran's clocks, in Russian)
    assert [sms.to for sms in sms_outbox] == ["+77011234567"]
    assert "/ru/accounts/seat/" in sms_outbox[0].body


def test_a_declined_offer_frees_its_seat_for_the_next_person_at_once(
    iran, client, mailoutbox, django_capture_on_commit_callbacks
):
    wants_to_leave(iran.nurlan, iran.erlan, iran.aliya)
    evacuations.save_transport(transport=iran.bus_b, legs=[iran.agarak], seats=1)
    [offer] = seat_offers.offer_free_seats(transport=iran.bus_b, officer=None)
    link = seat_offers.offer_url(offer, language="en").removeprefix("http://127.0.0.1:8000")

    shown = client.get(link)
    assert shown.status_code == 200 and "NURLAN AKHMETOV" in shown.text
    assert statuses(iran.nurlan) == ["offered"]  # a GET answers nothing
    with django_capture_on_commit_callbacks(execute=True):
        declined = client.post(link, {"answer": "decline"})

    assert declined.status_code == 200 and "You declined these seats" in declined.text
    assert statuses(iran.nurlan, iran.erlan, iran.aliya) == ["declined", "offered", "requested"]
    assert entry_of(iran.erlan).seat == entry_of(iran.erlan).transport.seats.get(number=1)
    assert SeatOffer.objects.get(entries__person=iran.erlan).offered_by is None  # nobody had to do it
    assert mailoutbox[-1].to == ["erlan@example.com"]


def test_an_accepted_offer_is_confirmed_and_a_second_click_changes_nothing(iran, client):
    wants_to_leave(iran.arman)
    [offer] = seat_offers.offer_free_seats(transport=iran.bus_a, officer=None)
    link = seat_offers.offer_url(offer, language="en").removeprefix("http://127.0.0.1:8000")

    first = client.post(link, {"answer": "accept"})
    second = client.post(link, {"answer": "accept"})
    late_no = client.post(link, {"answer": "decline"})

    assert first.status_code == second.status_code == 200
    assert "Your seats are confirmed" in second.text
    assert "no longer open" in late_no.text
    assert statuses(iran.arman, iran.dariga) == ["confirmed", "confirmed"]


def test_an_offer_not_answered_in_time_expires_and_the_cron_offers_its_seats_to_the_next(iran, time_machine, client):
    wants_to_leave(iran.nurlan, iran.erlan)
    evacuations.save_transport(transport=iran.bus_b, legs=[iran.agarak], seats=1)
    [offer] = seat_offers.offer_free_seats(transport=iran.bus_b, officer=None, hours=2)
    link = seat_offers.offer_url(offer, language="en").removeprefix("http://127.0.0.1:8000")

    time_machine.shift(timedelta(hours=2, minutes=1))
    call_command("expire_seat_offers", stdout=None)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert statuses(iran.nurlan, iran.erlan) == ["declined", "offered"]
    # The link has ended with the offer: a late "yes" takes nothing.
    assert client.post(link, {"answer": "accept"}).status_code == 410
    assert statuses(iran.nurlan) == ["declined"]


def test_a_late_yes_before_the_cron_runs_expires_the_offer_there_and_then(iran, time_machine):
    wants_to_leave(iran.nurlan, iran.erlan)
    evacuations.save_transport(transport=iran.bus_b, legs=[iran.agarak], seats=1)
    [offer] = seat_offers.offer_free_seats(transport=iran.bus_b, officer=None, hours=1)
    time_machine.shift(timedelta(hours=1, seconds=1))

    with pytest.raises(seat_offers.OfferClosed):
        seat_offers.answer_offer(offer=offer, accept=True)

    assert statuses(iran.nurlan, iran.erlan) == ["declined", "offered"]


def test_the_deadline_is_never_after_the_departure(iran, time_machine):
    wants_to_leave(iran.erlan)
    time_machine.move_to(iran.bus_a.departs_at - timedelta(hours=1), tick=False)

    [offer] = seat_offers.offer_free_seats(transport=iran.bus_a, officer=None, hours=6)

    assert offer.expires_at == iran.bus_a.departs_at


def test_the_cron_offers_seats_freed_or_asked_for_since_on_transports_being_offered(iran):
    wants_to_leave(iran.nurlan)
    seat_offers.offer_free_seats(transport=iran.bus_b, officer=None)  # 2 seats, 1 taken
    wants_to_leave(iran.erlan)  # asks after the offers went out

    expired, made = seat_offers.expire_seat_offers()

    assert (expired, made) == (0, 1)
    assert statuses(iran.erlan) == ["offered"]
    # Bus A's seats were never offered by staff: the cron leaves them alone.
    assert not SeatOffer.objects.filter(transport=iran.bus_a).exists()


def test_the_database_refuses_a_second_holder_of_a_seat_and_a_second_seat_for_a_person(iran):
    wants_to_leave(iran.arman)
    staff_seated = seat_offers.confirm_seats(transport=iran.bus_a, entries=[entry_of(iran.arman)], officer=None)
    seat = staff_seated[0].seat
    wants_to_leave(iran.erlan)
    erlan = entry_of(iran.erlan)

    with pytest.raises(IntegrityError), transaction.atomic():
        ManifestEntry.objects.filter(pk=erlan.pk).update(
            status=ManifestStatus.CONFIRMED, transport=iran.bus_a, seat=seat
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ManifestEntry.objects.create(
            evacuation=iran.evacuation,
            person=iran.arman,
            status=ManifestStatus.CONFIRMED,
            transport=iran.bus_b,
            seat=iran.bus_b.seats.get(number=1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ManifestEntry.objects.filter(pk=erlan.pk).update(status=ManifestStatus.CONFIRMED, transport=iran.bus_a)


def test_fewer_seats_than_people_holding_one_is_refused_and_people_move_down_when_seats_go(iran):
    wants_to_leave(iran.nurlan, iran.erlan, iran.aliya)
    seat_offers.confirm_seats(transport=iran.bus_a, entries=[entry_of(iran.nurlan)], officer=None)
    seat_offers.confirm_seats(transport=iran.bus_a, entries=[entry_of(iran.erlan)], officer=None)
    seat_offers.confirm_seats(transport=iran.bus_a, entries=[entry_of(iran.aliya)], officer=None)
    ManifestEntry.objects.filter(person=iran.erlan).update(status=ManifestStatus.NO_SHOW, seat=None)

    with pytest.raises(manifests.EvacuationRefused):
        evacuations.save_transport(transport=iran.bus_a, legs=[iran.astara], seats=1)
    evacuations.save_transport(transport=iran.bus_a, legs=[iran.astara], seats=2)

    assert Seat.objects.filter(transport=iran.bus_a).count() == 2
    assert sorted(e.seat.number for e in ManifestEntry.objects.filter(transport=iran.bus_a, seat__isnull=False)) == [
        1,
        2,
    ]


def test_staff_mark_boarding_and_arrival_at_the_door_and_each_mark_is_audited(iran, hq_client):
    wants_to_leave(iran.arman)
    seat_offers.confirm_seats(
        transport=iran.bus_a,
        entries=list(ManifestEntry.objects.filter(person__in=[iran.arman, iran.dariga])),
        officer=None,
    )
    arman = entry_of(iran.arman)
    door = f"/admin/registrations/transport/{iran.bus_a.pk}/door/"

    page = hq_client.get(door)
    boarded = hq_client.post(f"{door}{arman.pk}/", {"status": "boarded"})
    arrived = hq_client.post(f"{door}{arman.pk}/", {"status": "arrived"})
    wrong = hq_client.post(f"{door}{entry_of(iran.dariga).pk}/", {"status": "arrived"})

    assert page.status_code == 200 and "ARMAN TEHRANIOV" in page.text and "Boarded" in page.text
    assert boarded.status_code == arrived.status_code == 302
    assert statuses(iran.arman, iran.dariga) == ["arrived", "confirmed"]
    assert "cannot be changed here" in hq_client.get(wrong["Location"]).text
    assert AuditEvent.objects.filter(action="change", object_id=str(arman.pk)).count() == 2
    assert AuditEvent.objects.filter(action="list", details__filters__door="1").exists()


def test_a_no_show_frees_the_seat_and_one_who_turns_up_after_all_takes_a_free_one(iran):
    wants_to_leave(iran.erlan)
    [erlan] = seat_offers.confirm_seats(transport=iran.bus_a, entries=[entry_of(iran.erlan)], officer=None)

    manifests.mark(entry=erlan, status=ManifestStatus.NO_SHOW, officer=None)
    assert entry_of(iran.erlan).seat is None
    manifests.mark(entry=erlan, status=ManifestStatus.BOARDED, officer=None)

    assert entry_of(iran.erlan).seat.number == 1


def test_a_changed_departure_offers_staff_a_ready_message_to_everyone_confirmed_in_their_language(
    iran, hq_client, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    wants_to_leave(iran.arman, iran.aliya)
    seat_offers.confirm_seats(
        transport=iran.bus_a, entries=list(ManifestEntry.objects.filter(evacuation=iran.evacuation)), officer=None
    )
    form = {
        "evacuation": iran.evacuation.pk,
        "kind": "bus",
        "operator": "Tehran Coach Lines",
        "vehicle_number": "10 AZ 101",
        "seats": "3",
        "departure_place": "Enghelab Square, Tehran",
        "departure_time_zone": "Asia/Tehran",
        "departs_local": "2026-06-18T06:30",
        "legs": [iran.astara.pk],
        "contact_on_board": "",
    }

    saved = hq_client.post(f"/admin/registrations/transport/{iran.bus_a.pk}/change/", form)
    notice = hq_client.get(saved["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = hq_client.post(
            saved["Location"],
            {"text_en": notice.context["form"]["text_en"].value(), "text_ru": "Автобус уходит в 6:30.", "text_kk": ""},
        )

    assert "/notice/?transport=" in saved["Location"]
    assert "now leaves from Enghelab Square, Tehran at June 18, 2026, 6:30 a.m." in notice.text
    assert "2 households" in notice.text
    assert sent.status_code == 302
    assert sorted((message.to[0], "6:30" in message.body) for message in mailoutbox) == [
        ("aliya@example.com", True),
        ("arman.iran@example.com", True),
    ]
    assert "Автобус уходит в 6:30." in next(m.body for m in mailoutbox if m.to == ["aliya@example.com"])
    assert len(sms_outbox) == 2


def test_a_changed_crossing_state_offers_a_ready_message_to_the_transports_through_it(iran, hq_client):
    wants_to_leave(iran.erlan)
    seat_offers.confirm_seats(transport=iran.bus_b, entries=[entry_of(iran.erlan)], officer=None)

    saved = hq_client.post(
        f"/admin/registrations/routeleg/{iran.agarak.pk}/change/",
        {"crossing_state": "closed", "public_note": "Closed until Monday; waits of 17 hours."},
    )
    notice = hq_client.get(saved["Location"])

    assert f"/notice/?leg={iran.agarak.pk}" in saved["Location"]
    assert "The border crossing at Agarak: closed. Closed until Monday; waits of 17 hours." in notice.text
    iran.agarak.refresh_from_db()
    assert iran.agarak.state_changed_at is not None


def test_the_crisis_board_shows_boarded_and_arrived_per_transport_and_per_crossing(iran, hq_client):
    wants_to_leave(iran.arman)
    [arman, _dariga] = seat_offers.confirm_seats(
        transport=iran.bus_a, entries=list(ManifestEntry.objects.filter(evacuation=iran.evacuation)), officer=None
    )
    manifests.mark(entry=arman, status=ManifestStatus.BOARDED, officer=None)

    transports, crossings = evacuations.progress(iran.crisis, iran.evacuation.created_by)
    board = hq_client.get(f"/admin/registrations/crisis/{iran.crisis.pk}/board/")

    assert [(t.vehicle_number, t.seat_count, t.counts["confirmed"], t.counts["boarded"]) for t in transports] == [
        ("10 AZ 101", 3, 1, 1),
        ("20 AM 202", 2, 0, 0),
    ]
    assert [(leg.crossing_point, leg.counts["boarded"]) for leg in crossings] == [("Astara", 1), ("Agarak", 0)]
    assert board.status_code == 200 and "Per border crossing" in board.text and "Astara" in board.text


def test_a_cancelled_operation_withdraws_its_open_offers_and_frees_their_seats(iran, hq_officer):
    wants_to_leave(iran.nurlan)
    [offer] = seat_offers.offer_free_seats(transport=iran.bus_a, officer=None)

    iran.evacuation.status = "cancelled"
    evacuations.save_evacuation(evacuation=iran.evacuation, officer=hq_officer)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert statuses(iran.nurlan) == ["declined"] and entry_of(iran.nurlan).seat is None
    with pytest.raises(seat_offers.OfferClosed):
        seat_offers.answer_offer(offer=offer, accept=True)


def test_an_operation_created_takes_everyone_who_already_wants_to_leave(world, crisis, hq_officer):
    wants_to_leave(board_row(crisis, world.in_iran))

    evacuation, *_rest = make_operation(crisis, hq_officer)

    assert evacuation.entries.count() == 2
