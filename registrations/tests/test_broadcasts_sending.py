"""Sending broadcasts: rate limit, retries, permanent failures, deliveries in doubt, receipts, SMS replies."""

# The crisis world's fixtures come from broadcast_world; pytest passes them by parameter name.
# ruff: noqa: F811

from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core.checks import Warning as CheckWarning
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

import portal.sms
from portal.checks import broadcast_delivery_receipts
from portal.sms import PermanentSmsError, TemporarySmsError
from portal.sms.backends.locmem import SmsBackend as LocmemSmsBackend
from registrations.models import CheckIn, CitizenProfile, CrisisPerson, Delivery, InboundMessage
from registrations.models.broadcasts import BroadcastStatus, DeliveryStatus, InboundStatus
from registrations.services import broadcasts
from registrations.services.checkins import record_sms_reply
from registrations.tasks import broadcasts as tasks
from registrations.tests.broadcast_world import crisis, make_broadcast, send, sms_outbox  # noqa: F401
from registrations.tests.conftest import board_row as person

TOKEN = "twilio-test-auth-token"
TWILIO = "portal.sms.backends.twilio.SmsBackend"


class ClockedSmsBackend(LocmemSmsBackend):
    """Notes the (fake) clock at each message."""

    times = []

    def send(self, **kwargs):
        self.times.append(tasks.clock())
        return super().send(**kwargs)


class FailingSmsBackend(LocmemSmsBackend):
    """Raises `error` for the first `failures` messages, then sends."""

    error = TemporarySmsError("Twilio 20429: Too Many Requests")
    failures = 1

    def send(self, **kwargs):
        if type(self).failures > 0:
            type(self).failures -= 1
            raise self.error
        return super().send(**kwargs)


def sms_deliveries(broadcast):
    return Delivery.objects.filter(broadcast=broadcast, channel="sms").order_by("pk")


def test_the_rate_limit_is_respected(crisis, hq_officer, settings, monkeypatch, django_capture_on_commit_callbacks):
    fake = {"now": 1_000_000.0}
    monkeypatch.setattr(tasks, "clock", lambda: fake["now"])
    monkeypatch.setattr(tasks, "sleep", lambda seconds: fake.__setitem__("now", fake["now"] + seconds))
    settings.SMS_BACKEND = f"{__name__}.ClockedSmsBackend"
    settings.BROADCAST_RATE_PER_SECOND = {"email": 0, "sms": 1}
    ClockedSmsBackend.times = []
    send(make_broadcast(crisis, hq_officer, by_email=False), hq_officer, django_capture_on_commit_callbacks)
    seconds = [int(moment) for moment in ClockedSmsBackend.times]
    assert len(seconds) == 2
    assert len(set(seconds)) == 2  # one per second: the second SMS waited for the next second


def test_a_temporary_failure_is_retried_later(
    crisis, hq_officer, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"
    FailingSmsBackend.error, FailingSmsBackend.failures = TemporarySmsError("Twilio 20429: Too Many Requests"), 2
    broadcast = make_broadcast(crisis, hq_officer, by_email=False)
    send(broadcast, hq_officer, django_capture_on_commit_callbacks)
    waiting = list(sms_deliveries(broadcast))
    assert {(d.status, d.attempts, d.error) for d in waiting} == {("queued", 1, "Twilio 20429: Too Many Requests")}
    assert all(d.next_attempt_at > timezone.now() for d in waiting)
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SENDING
    assert tasks.send_deliveries.call(broadcast_id=broadcast.pk) == 0  # not due yet

    time_machine.shift(timedelta(minutes=2))
    tasks.send_deliveries.call(broadcast_id=broadcast.pk)
    assert {(d.status, d.attempts, d.error) for d in sms_deliveries(broadcast)} == {("sent", 2, "")}
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SENT


def test_a_temporary_failure_fails_after_the_last_attempt(
    crisis, hq_officer, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"
    settings.BROADCAST_SEND_ATTEMPTS = 1
    FailingSmsBackend.error, FailingSmsBackend.failures = TemporarySmsError("Twilio 503: unavailable"), 2
    broadcast = make_broadcast(crisis, hq_officer, by_email=False)
    send(broadcast, hq_officer, django_capture_on_commit_callbacks)
    assert {(d.status, d.error) for d in sms_deliveries(broadcast)} == {("failed", "Twilio 503: unavailable")}


def test_a_permanent_failure_is_recorded_with_the_providers_reason(
    crisis, hq_officer, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"
    FailingSmsBackend.error = PermanentSmsError("Twilio 21211: The 'To' number … is not a valid phone number.")
    FailingSmsBackend.failures = 1
    broadcast = make_broadcast(crisis, hq_officer, by_email=False)
    send(broadcast, hq_officer, django_capture_on_commit_callbacks)
    failed, sent = sms_deliveries(broadcast)
    assert (failed.status, failed.attempts, failed.error) == ("failed", 1, FailingSmsBackend.error.reason)
    assert sent.status == "sent"
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.SENT
    assert broadcasts.progress(broadcast) == {
        "queued": 0,
        "sending": 0,
        "sent": 1,
        "delivered": 0,
        "failed": 1,
        "total": 2,
    }


def test_deliveries_left_sending_by_a_dead_worker_are_settled_by_asking_the_provider(
    crisis, hq_officer, sms_outbox, time_machine
):
    broadcast = make_broadcast(crisis, hq_officer, by_email=False)
    broadcast.status, broadcast.sent_by, broadcast.sent_at = "sending", hq_officer, timezone.now()
    broadcast.save()
    broadcasts.create_deliveries(broadcast=broadcast)
    handed_over, never_sent = sms_deliveries(broadcast)
    # A worker marked both "sending", handed the first over, and was killed.
    claim_ended = timezone.now() - timedelta(seconds=1)
    Delivery.objects.filter(broadcast=broadcast).update(status="sending", attempts=1, claimed_until=claim_ended)
    portal.sms.send(to="+77010000001", body="…", reference=str(handed_over.pk))
    assert len(sms_outbox) == 1
    tasks.send_deliveries.call(broadcast_id=broadcast.pk)
    handed_over.refresh_from_db()
    never_sent.refresh_from_db()
    assert handed_over.status == never_sent.status == "sent"
    assert [sms.reference for sms in sms_outbox] == [str(handed_over.pk), str(never_sent.pk)]  # none twice


# Receipts.


@pytest.fixture
def twilio(settings):
    settings.SMS_BACKEND = TWILIO
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = "AC123", TOKEN, "MG123"
    settings.SITE_URL = "https://consular.example.gov.kz"


def signed_post(client, name, params, *, token=TOKEN):
    path = reverse(name)
    signature = RequestValidator(token).compute_signature(f"https://consular.example.gov.kz{path}", params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def sent_delivery(crisis, hq_officer, message_id="SM0001"):
    broadcast = make_broadcast(crisis, hq_officer, by_email=False)
    broadcast.status, broadcast.sent_by, broadcast.sent_at = "sending", hq_officer, timezone.now()
    broadcast.save()
    broadcasts.create_deliveries(broadcast=broadcast)
    delivery = sms_deliveries(broadcast).first()
    Delivery.objects.filter(pk=delivery.pk).update(status="sent", provider_message_id=message_id)
    return delivery


def test_twilio_receipts_update_deliveries_and_unsigned_ones_are_refused(crisis, hq_officer, client, twilio):
    delivery = sent_delivery(crisis, hq_officer)
    forged = signed_post(
        client, "webhooks:twilio_status", {"MessageSid": "SM0001", "MessageStatus": "delivered"}, token="wrong"
    )
    assert forged.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert client.post(reverse("webhooks:twilio_status"), {"MessageSid": "SM0001"}).status_code == 403

    params = {"MessageSid": "SM0001", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert signed_post(client, "webhooks:twilio_status", params).status_code == 204
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == ("failed", "Twilio 30003: undelivered")


def test_a_twilio_delivered_receipt_confirms_and_silences_the_alarm(crisis, hq_officer, client, twilio, time_machine):
    delivery = sent_delivery(crisis, hq_officer)
    time_machine.shift(timedelta(minutes=16))
    assert broadcasts.receipts_overdue(delivery.broadcast) is True
    params = {"MessageSid": "SM0001", "MessageStatus": "delivered"}
    assert signed_post(client, "webhooks:twilio_status", params).status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.delivered_at is not None
    assert broadcasts.receipts_overdue(delivery.broadcast) is False


def test_no_alarm_where_no_backend_can_confirm(crisis, hq_officer, time_machine):
    delivery = sent_delivery(crisis, hq_officer)  # locmem SMS, SMTP-like email: no receipts
    time_machine.shift(timedelta(hours=1))
    assert broadcasts.receipts_overdue(delivery.broadcast) is False


def test_email_receipts_arrive_through_anymails_tracking_signal(crisis, hq_officer):
    delivery = sent_delivery(crisis, hq_officer, message_id="esp-42")
    event = AnymailTrackingEvent(event_type="bounced", message_id="esp-42", reject_reason="bounced", description="")
    tracking.send(sender=object, event=event, esp_name="Mailgun")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, "Mailgun bounced")


def test_the_deploy_check_warns_when_no_receipt_is_possible(settings):
    settings.SMS_BACKEND = "portal.sms.backends.locmem.SmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    ids = {message.id for message in broadcast_delivery_receipts(None)}
    assert {"portal.W010", "portal.W012"} <= ids
    settings.SMS_BACKEND, settings.TWILIO_ACCOUNT_SID = TWILIO, ""
    messages = broadcast_delivery_receipts(None)
    assert "portal.W011" in {message.id for message in messages if isinstance(message, CheckWarning)}


# SMS replies.


def inbound(client, params):
    return signed_post(client, "webhooks:twilio_inbound", params)


@pytest.mark.parametrize(("body", "status"), [("1", "safe"), (" 2. ", "needs_help"), ("3", "wants_to_leave")])
def test_an_sms_reply_is_the_citizens_own_check_in(crisis, world, client, twilio, body, status):
    response = inbound(client, {"MessageSid": "SM9", "From": "+77010000001", "Body": body})
    assert response.status_code == 200
    arman = person(crisis, world.in_iran)
    arman.refresh_from_db()
    assert arman.status == status
    checkin = CheckIn.objects.get()
    assert (checkin.person, checkin.channel, checkin.reporter) == (arman, "sms", "person")
    # Dariga, travelling with him, is not covered by his phone's answer.
    assert CrisisPerson.objects.get(crisis=crisis, member=world.in_iran.members[0]).status == "not_answered"
    assert InboundMessage.objects.get().status == InboundStatus.RECORDED
    # The provider retrying the webhook records nothing more.
    inbound(client, {"MessageSid": "SM9", "From": "+77010000001", "Body": body})
    assert CheckIn.objects.count() == 1 and InboundMessage.objects.count() == 1


def test_unknown_numbers_and_other_texts_wait_for_staff(crisis, world, client, twilio):
    inbound(client, {"MessageSid": "SM1", "From": "+15550000000", "Body": "1"})
    inbound(client, {"MessageSid": "SM2", "From": "+77010000002", "Body": "we are fine, 4 of us"})
    unknown, unparsable = InboundMessage.objects.order_by("provider_message_id")
    assert (unknown.status, unknown.person) == (InboundStatus.NEEDS_STAFF, None)
    assert (unparsable.status, unparsable.person) == (InboundStatus.NEEDS_STAFF, person(crisis, world.in_israel))
    assert not CheckIn.objects.exists()


def test_an_unsigned_sms_is_refused_and_not_stored(crisis, client, twilio):
    response = client.post(reverse("webhooks:twilio_inbound"), {"MessageSid": "SM1", "From": "+1", "Body": "1"})
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_number_shared_by_two_citizens_goes_to_staff(crisis, world):
    CitizenProfile.objects.filter(user=world.in_israel.user).update(phone="+77010000001")
    message = record_sms_reply(from_number="+77010000001", body="1", provider_message_id="SM5")
    assert (message.status, message.person) == (InboundStatus.NEEDS_STAFF, None)


def test_staff_read_the_inbox_and_mark_messages_handled(crisis, hq_officer, hq_client):
    message = record_sms_reply(from_number="+15550000000", body="help", provider_message_id="SM7")
    url = reverse("admin:registrations_inboundmessage_changelist")
    assert hq_client.get(url).status_code == 200
    response = hq_client.post(url, {"action": "mark_handled", "_selected_action": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.handled_by) == (InboundStatus.HANDLED, hq_officer)
