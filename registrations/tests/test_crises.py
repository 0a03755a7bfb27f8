"""Crises: opening one puts everyone present on its board; the board, the chase list and partners' counts."""

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from portal.sms.backends.locmem import SmsBackend as LocmemSmsBackend
from registrations.models import CrisisCount, CrisisPerson
from registrations.models.crises import PersonStatus
from registrations.services import crises
from registrations.tests.factories import days, make_citizen

pytestmark = pytest.mark.django_db

ADD = "/admin/registrations/crisis/add/"


def open_crisis_form(name="Iran and Israel, June", areas=(("IR", ""), ("IL", ""))):
    data = {
        "name": name,
        "public_notice": "Stay where you are; answer our messages.",
        "areas-TOTAL_FORMS": str(len(areas)),
        "areas-INITIAL_FORMS": "0",
        "estimates-TOTAL_FORMS": "1",
        "estimates-INITIAL_FORMS": "0",
        "estimates-0-country": "IR",
        "estimates-0-people": "230",
        "estimates-0-source": "Border service",
    }
    for index, (country, region) in enumerate(areas):
        data[f"areas-{index}-country"] = country
        data[f"areas-{index}-region"] = region
    return data


def test_headquarters_opens_a_crisis_and_everyone_present_is_on_its_board_with_the_estimate(world, hq_client):
    client = hq_client

    response = client.post(ADD, open_crisis_form())

    assert response.status_code == 302
    board = unescape(client.get(response["Location"]).text)
    people = CrisisPerson.objects.all()
    # Arman and his wife in Iran, Zarina and her husband in Israel: not the upcoming, past, cancelled or French.
    assert people.count() == 4
    assert set(people.values_list("country", flat=True)) == {"IR", "IL"}
    assert "Iran" in board and "Israel" in board
    assert ">230<" in board  # estimated, beside the 2 registered
    assert "Not yet answered" in board


def test_a_trip_registered_into_an_open_crisis_area_joins_it(world, hq_officer):
    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)
    before = crisis.people.count()

    newcomer = make_citizen(
        "new.iran@example.com", "NEWOV", "ASKAR", ["Aliya Newova"], ("IR", "IR-23", days(0), days(5))
    )

    from registrations.services.trips import add_trip_to_open_crises

    add_trip_to_open_crises(newcomer.trip)
    assert crisis.people.count() == before + 2  # he and his travelling wife
    assert crisis.people.filter(citizen=newcomer.user, member__isnull=True).exists()


def test_a_region_only_crisis_leaves_out_the_rest_of_the_country(world, hq_officer):
    make_citizen("tabriz@example.com", "TABRIZOV", "NURLAN", [], ("IR", "IR-03", days(-1), days(5)), city="Tabriz")

    crisis = crises.open_crisis(name="Tehran", areas=[("IR", "IR-23")], opened_by=hq_officer)

    assert set(crisis.people.values_list("region", flat=True)) == {"IR-23"}


def test_the_board_drills_down_and_each_number_lists_its_people(world, hq_officer, hq_client):
    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)
    arman = crisis.people.get(citizen=world.in_iran.user, member__isnull=True)
    CrisisPerson.objects.filter(pk=arman.pk).update(status=PersonStatus.SAFE)

    by_region = unescape(hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/board/?country=IR").text)
    by_city = hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/board/?country=IR&region=IR-23")
    who = hq_client.get("/admin/registrations/crisisperson/", {"crisis": crisis.pk, "country": "IR", "status": "safe"})

    assert "Tehrān" in by_region
    assert by_city.status_code == 200 and "Tehran" in by_city.text
    assert who.status_code == 200
    assert "TEHRANIOV" in who.text and "Dariga" not in who.text


def test_the_board_refreshes_as_a_fragment(world, hq_officer, hq_client):
    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)

    fragment = hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/board/?partial=1")

    assert fragment.status_code == 200
    assert "<table" in fragment.text and "<html" not in fragment.text
    assert "no-store" in fragment["Cache-Control"]


def test_a_mission_officer_sees_the_crisis_but_only_the_people_of_their_jurisdiction(
    world, hq_officer, tel_aviv_officer, staff_client
):
    crisis = crises.open_crisis(name="June conflict", areas=[("IR", ""), ("IL", "")], opened_by=hq_officer)
    client = staff_client(tel_aviv_officer)

    board = unescape(client.get(f"/admin/registrations/crisis/{crisis.pk}/board/").text)
    people = client.get("/admin/registrations/crisisperson/", {"crisis": crisis.pk})
    iran_person = crisis.people.filter(country="IR").first()

    assert "Israel" in board and "Iran" not in board
    assert "YAFFOVA" in people.text and "TEHRANIOV" not in people.text
    assert client.get(f"/admin/registrations/crisisperson/{iran_person.pk}/change/").status_code in {302, 403, 404}
    assert client.get(f"/admin/registrations/crisis/{crisis.pk}/board/?country=IR").text.count("TEHRANIOV") == 0
    assert client.get(ADD).status_code == 403  # only headquarters opens crises


def test_a_mission_officer_does_not_see_a_crisis_outside_their_jurisdiction(
    world, hq_officer, tel_aviv_officer, staff_client
):
    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)
    client = staff_client(tel_aviv_officer)

    assert client.get(f"/admin/registrations/crisis/{crisis.pk}/board/").status_code == 404
    assert "Iran" not in client.get("/admin/registrations/crisis/").text


def test_the_chase_list_has_the_people_not_answered_hours_after_the_first_message_and_exports_them(
    world, hq_officer, hq_client
):
    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)
    CrisisPerson.objects.filter(crisis=crisis).update(first_messaged_at=timezone.now() - timedelta(hours=8))

    page = hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/chase/", {"hours": 6})
    export = hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/chase/", {"hours": 6, "format": "csv"})
    later = hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/chase/", {"hours": 12})

    assert "TEHRANIOV" in page.text and "Dariga Tehraniova" in page.text
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3  # header, Arman, his wife
    assert "Everyone messaged has answered" in later.text
    from registrations.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", actor=hq_officer).exists()


def test_partners_get_counts_per_region_with_hxl_hashtags_and_no_names(world, hq_officer, hq_client):
    crisis = crises.open_crisis(name="Iran and Israel", areas=[("IR", ""), ("IL", "")], opened_by=hq_officer)

    export = hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/counts.csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[1] == ["#country+code", "#adm1+code", "#affected", "#reached", "#inneed"]
    assert ["IR", "IR-23", "2", "0", "0"] in rows
    assert "TEHRANIOV" not in text and "@" not in text


def test_closing_ends_the_crisis_and_retention_deletes_its_people_but_keeps_the_counts(world, hq_officer, hq_client):
    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)

    response = hq_client.post(f"/admin/registrations/crisis/{crisis.pk}/close/")
    crisis.refresh_from_db()

    assert response.status_code == 302
    assert not crisis.is_open
    assert crises.purge_closed_crises() == 0  # not yet
    assert crises.purge_closed_crises(now=timezone.now() + timedelta(days=91)) == 1
    assert not CrisisPerson.objects.filter(crisis=crisis).exists()
    assert CrisisCount.objects.get(crisis=crisis, country="IR", status="not_answered").people == 2


def test_the_daily_command_purges_crises_past_their_retention(world, hq_officer, time_machine):
    from django.core.management import call_command

    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)
    crises.close_crisis(crisis=crisis)
    time_machine.shift(timedelta(days=91))

    call_command("purge_closed_crises", stdout=io.StringIO())

    crisis.refresh_from_db()
    assert crisis.purged_at is not None
    assert not crisis.people.exists()


def test_the_board_warns_when_no_delivery_of_a_sent_broadcast_has_been_confirmed(
    world, hq_officer, hq_client, settings, django_capture_on_commit_callbacks
):
    from registrations.models import Broadcast

    settings.SMS_BACKEND = f"{__name__}.SmsWithReceipts"
    crisis = crises.open_crisis(name="Iran", areas=[("IR", "")], opened_by=hq_officer)
    broadcast = Broadcast.objects.create(crisis=crisis, texts={"en": "Answer us."}, by_sms=True, created_by=hq_officer)
    from registrations.services import broadcasts

    with django_capture_on_commit_callbacks(execute=True):
        broadcasts.send_broadcast(broadcast=broadcast, sent_by=hq_officer)
    assert broadcast.deliveries.filter(status="sent").exists()
    Broadcast.objects.filter(pk=broadcast.pk).update(sent_at=timezone.now() - timedelta(hours=1))

    board = hq_client.get(f"/admin/registrations/crisis/{crisis.pk}/board/").text

    assert "has been confirmed by the provider yet" in board


class SmsWithReceipts(LocmemSmsBackend):
    """A provider that would send delivery receipts, which never come."""

    has_receipts = True
