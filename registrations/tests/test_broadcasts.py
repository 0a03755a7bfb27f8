"""Broadcasts: audience, language, SMS length, preview, sending once, scoping, the admin pages."""

# The crisis world's fixtures come from broadcast_world; pytest passes them by parameter name.
# ruff: noqa: F811

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

import portal.sms
from portal.sms import sms_length
from registrations.models import AuditEvent, Broadcast, CitizenProfile, CrisisPerson, Delivery
from registrations.models.broadcasts import BroadcastStatus, DeliveryStatus
from registrations.services import broadcasts
from registrations.tests.broadcast_world import crisis, make_broadcast, send, sms_outbox  # noqa: F401
from registrations.tests.conftest import board_row as person

# Audience and language.


def test_audience_by_place_and_by_a_household_members_status(crisis, world, hq_officer):
    iran, israel = person(crisis, world.in_iran), person(crisis, world.in_israel)
    assert set(broadcasts.recipients(make_broadcast(crisis, hq_officer))) == {iran, israel}
    assert list(broadcasts.recipients(make_broadcast(crisis, hq_officer, countries=["IR"]))) == [iran]
    assert list(broadcasts.recipients(make_broadcast(crisis, hq_officer, cities=["tel aviv"]))) == [israel]
    # Dariga needs help: her family's citizen is reached; the household members themselves never are.
    CrisisPerson.objects.filter(crisis=crisis, member=world.in_iran.members[0]).update(status="needs_help")
    assert list(broadcasts.recipients(make_broadcast(crisis, hq_officer, statuses=["needs_help"]))) == [iran]
    not_answered = make_broadcast(crisis, hq_officer, statuses=["not_answered"])
    assert set(broadcasts.recipients(not_answered)) == {iran, israel}


def test_language_is_the_persons_else_the_ministrys_fallback_order(settings):
    texts = {"en": "Stay indoors.", "ru": "Оставайтесь дома."}
    assert broadcasts.language_for(texts, "en") == "en"
    assert broadcasts.language_for(texts, "kk") == "ru"  # default order ru, kk, en
    settings.BROADCAST_LANGUAGE_FALLBACK = ["en", "ru"]
    assert broadcasts.language_for(texts, "kk") == "en"
    assert broadcasts.language_for({"kk": "Үйде болыңыз."}, "en") == "kk"
    assert broadcasts.language_for({"en": "  "}, "en") is None


# SMS length.


@pytest.mark.parametrize(
    ("text", "encoding", "units", "parts"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters take two places
        ("[" * 81, "GSM-7", 162, 2),
        ("Ж" * 70, "UCS-2", 70, 1),
        ("Ж" * 71, "UCS-2", 71, 2),
        ("Ж" * 134, "UCS-2", 134, 2),
        ("Ж" * 135, "UCS-2", 135, 3),
        ("a" * 69 + "ә", "UCS-2", 70, 1),  # one Kazakh letter turns the whole text into UCS-2
        ("🙂" * 35, "UCS-2", 70, 1),
    ],
)
def test_sms_length_is_counted_as_a_phone_counts_it(text, encoding, units, parts):
    assert sms_length(text) == portal.sms.SmsLength(encoding=encoding, units=units, parts=parts)


def test_a_text_too_long_for_the_sms_parts_allowed_is_refused(settings, db):
    long_russian = {"ru": "Оставайтесь дома и держите документы при себе. " * 2}  # noqa: RUF001
    assert broadcasts.text_errors(texts=long_russian, by_sms=True).keys() == {"ru"}
    assert broadcasts.text_errors(texts=long_russian, by_sms=False) == {}
    settings.SMS_MAX_PARTS = 3
    assert broadcasts.text_errors(texts=long_russian, by_sms=True) == {}
    assert None in broadcasts.text_errors(texts={}, by_sms=False)


# Preview.


def test_preview_counts_people_by_channel_and_language_and_those_reachable_by_neither(crisis, world, hq_officer):
    broadcast = make_broadcast(crisis, hq_officer)
    result = broadcasts.preview(broadcast, hq_officer)
    assert result.people == 2
    assert dict(result.by_channel_and_language) == {
        ("email", "en"): 1,
        ("email", "ru"): 1,
        ("sms", "en"): 1,
        ("sms", "ru"): 1,
    }
    assert result.unreachable == 0
    CitizenProfile.objects.filter(user=world.in_israel.user).update(phone="")
    sms_only = broadcasts.preview(make_broadcast(crisis, hq_officer, by_email=False), hq_officer)
    assert dict(sms_only.by_channel_and_language) == {("sms", "en"): 1}
    assert sms_only.unreachable == 1
    assert sms_only.sms_lengths["ru"].encoding == "UCS-2"


# Sending.


def test_sending_reaches_each_person_once_per_channel_in_their_language(
    crisis, world, hq_officer, django_capture_on_commit_callbacks, sms_outbox
):
    broadcast = make_broadcast(crisis, hq_officer)
    assert send(broadcast, hq_officer, django_capture_on_commit_callbacks) is True
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SENT
    assert broadcast.asks_to_reconfirm is True  # the crisis's first broadcast
    assert Delivery.objects.filter(broadcast=broadcast, status=DeliveryStatus.SENT).count() == 4
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Stay indoors." in bodies["arman.iran@example.com"]
    assert "Оставайтесь дома." in bodies["zarina.israel@example.com"]  # kk preferred, not written: ru
    assert "/en/accounts/crisis/" in bodies["arman.iran@example.com"]
    assert sorted(sms.to for sms in sms_outbox) == ["+77010000001", "+77010000002"]
    assert all("/c/" in sms.body for sms in sms_outbox)
    assert CrisisPerson.objects.filter(crisis=crisis, member__isnull=True, first_messaged_at__isnull=True).count() == 0

    # A second click, and a second broadcast (which does not ask again where people are).
    assert send(broadcast, hq_officer, django_capture_on_commit_callbacks) is False
    assert len(mail.outbox) == 2 and len(sms_outbox) == 2
    second = make_broadcast(crisis, hq_officer, by_sms=False)
    send(second, hq_officer, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert second.asks_to_reconfirm is False


def test_deliveries_are_unique_per_person_and_channel(crisis, hq_officer):
    broadcast = make_broadcast(crisis, hq_officer)
    broadcast.status, broadcast.sent_by, broadcast.sent_at = "sending", hq_officer, crisis.opened_at
    broadcast.save()
    assert broadcasts.create_deliveries(broadcast=broadcast) == 4
    assert broadcasts.create_deliveries(broadcast=broadcast) == 4
    delivery = Delivery.objects.filter(broadcast=broadcast).first()
    with pytest.raises(IntegrityError):
        Delivery.objects.create(broadcast=broadcast, person=delivery.person, channel=delivery.channel, language="en")


def test_the_short_sms_link_leads_to_the_persons_check_in_page(crisis, world, client):
    arman = person(crisis, world.in_iran)
    link = broadcasts.sms_link(arman.pk)
    path = link[link.index("/c/") :]
    response = client.get(path)
    assert response.status_code == 302
    assert "/en/accounts/crisis/" in response["Location"]
    assert client.get(path.replace("-", "-x", 1)).status_code == 404


# Scoping.


def test_a_tel_aviv_officers_broadcast_never_reaches_irans_people(
    crisis, world, hq_officer, tel_aviv_officer, staff_client, django_capture_on_commit_callbacks
):
    iran_broadcast = make_broadcast(crisis, hq_officer, countries=["IR"])
    send(iran_broadcast, hq_officer, django_capture_on_commit_callbacks)
    own = make_broadcast(crisis, tel_aviv_officer)
    send(own, tel_aviv_officer, django_capture_on_commit_callbacks)
    assert set(Delivery.objects.filter(broadcast=own).values_list("person__country", flat=True)) == {"IL"}

    client = staff_client(tel_aviv_officer)
    response = client.get(reverse("admin:registrations_delivery_changelist"))
    assert response.status_code == 200
    shown = {delivery.pk for delivery in response.context["cl"].result_list}
    assert shown == set(Delivery.objects.filter(broadcast=own).values_list("pk", flat=True))
    assert AuditEvent.objects.filter(actor=tel_aviv_officer, action="list").exists()


# The admin.


def test_the_form_refuses_an_sms_too_long_next_to_the_text_and_at_the_top(crisis, hq_client):
    too_long = "Оставайтесь дома и держите документы при себе. " * 3  # noqa: RUF001
    response = hq_client.post(
        reverse("admin:registrations_broadcast_add"),
        {"crisis": crisis.pk, "by_sms": "on", "text_ru": too_long, "text_en": "Stay indoors."},
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "parts" in form.errors["text_ru"][0]
    assert any("parts" in error for error in form.non_field_errors())
    assert not Broadcast.objects.exists()


def test_an_officer_writes_previews_and_sends_once(crisis, hq_officer, hq_client, django_capture_on_commit_callbacks):
    response = hq_client.post(
        reverse("admin:registrations_broadcast_add"),
        {"crisis": crisis.pk, "by_email": "on", "text_en": "Stay indoors.", "text_kk": "Үйде болыңыз."},
    )
    assert response.status_code == 302
    broadcast = Broadcast.objects.get()
    assert broadcast.texts == {"en": "Stay indoors.", "kk": "Үйде болыңыз."}
    preview = hq_client.get(reverse("admin:registrations_broadcast_preview", args=[broadcast.pk]))
    assert preview.status_code == 200 and preview.context["preview"].people == 2
    send_url = reverse("admin:registrations_broadcast_send", args=[broadcast.pk])
    assert hq_client.get(send_url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert hq_client.post(send_url).status_code == 302
    assert hq_client.post(send_url).status_code == 302  # already sent: nothing more
    assert len(mail.outbox) == 2
    page = hq_client.get(reverse("admin:registrations_broadcast_change", args=[broadcast.pk]))
    assert page.status_code == 200 and page.context["progress"]["sent"] == 2
