"""The broadcast tests' world: the June crisis with phones and languages set, SMS kept in memory with no rate limit.

Both broadcast test modules import these fixtures; pytest passes them by parameter name.
"""

import pytest

import portal.sms
from registrations.models import Broadcast, CitizenProfile
from registrations.services import broadcasts, crises


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "portal.sms.backends.locmem.SmsBackend"
    settings.BROADCAST_RATE_PER_SECOND = {"email": 0, "sms": 0}
    portal.sms.outbox.clear()
    return portal.sms.outbox


@pytest.fixture
def crisis(world, hq_officer):
    """Iran and Israel: Arman (Tehran) with Dariga, Zarina (Tel Aviv) with Marat; phones of their own."""
    CitizenProfile.objects.filter(user=world.in_iran.user).update(phone="+77010000001", preferred_language="en")
    CitizenProfile.objects.filter(user=world.in_israel.user).update(phone="+77010000002", preferred_language="kk")
    return crises.open_crisis(name="Iran and Israel, June", areas=[("IR", ""), ("IL", "")], opened_by=hq_officer)


def make_broadcast(crisis, author, **fields):
    values = {"texts": {"en": "Stay indoors.", "ru": "Оставайтесь дома."}, "by_email": True, "by_sms": True}
    return Broadcast.objects.create(crisis=crisis, created_by=author, **(values | fields))


def send(broadcast, user, capture):
    with capture(execute=True):
        return broadcasts.send_broadcast(broadcast=broadcast, sent_by=user)
