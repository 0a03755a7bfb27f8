"""Subscriptions never confirmed are deleted once their confirmation link has expired."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.utils import timezone

from advisories.subscriptions.models import Subscription

# Real transactions: emails leave only after the subscription commits.
pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "traveller@example.com"


@pytest.fixture
def link_age(settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE)


def subscribe(client, country="IR"):
    client.post("/en/advisories/subscribe/", {"email": EMAIL, "country": country, "language": "en"})


def confirm_path(mail):
    return re.search(r"https?://[^/\s]+(/\S+/subscriptions/confirm/\S+/)", mail.body).group(1)


def purge():
    out = StringIO()
    call_command("purge_unconfirmed_subscriptions", stdout=out)
    return out.getvalue()


def test_an_unconfirmed_subscription_whose_link_expired_is_deleted_with_the_log_naming_it(
    client, link_age, time_machine, django_user_model
):
    subscribe(client)
    subscription = Subscription.objects.get()
    staff = django_user_model.objects.create_user(email="editor@example.gov.kz", is_staff=True)
    LogEntry.objects.log_actions(user_id=staff.pk, queryset=[subscription], action_flag=CHANGE, change_message="[]")

    time_machine.shift(link_age + timedelta(days=1, minutes=1))
    output = purge()

    assert output == "Unconfirmed subscriptions deleted: 1.\n"
    assert not Subscription.objects.exists()
    assert not LogEntry.objects.filter(object_repr__icontains=EMAIL).exists()


def test_an_unconfirmed_subscription_whose_link_is_still_valid_is_kept_and_confirms(
    client, link_age, time_machine, mailoutbox
):
    subscribe(client)

    time_machine.shift(link_age - timedelta(minutes=1))
    assert purge() == "Unconfirmed subscriptions deleted: 0.\n"

    assert client.get(confirm_path(mailoutbox[0])).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_subscribing_again_late_keeps_the_subscription_until_the_new_link_expires(client, link_age, time_machine):
    subscribe(client)
    time_machine.shift(link_age - timedelta(hours=1))
    subscribe(client)

    time_machine.shift(timedelta(days=2))
    assert purge() == "Unconfirmed subscriptions deleted: 0.\n"

    time_machine.shift(link_age)
    assert purge() == "Unconfirmed subscriptions deleted: 1.\n"


def test_a_confirmed_subscription_is_never_purged(client, link_age, time_machine, mailoutbox):
    subscribe(client)
    client.get(confirm_path(mailoutbox[0]))

    time_machine.shift(link_age * 30)

    assert purge() == "Unconfirmed subscriptions deleted: 0.\n"
    assert Subscription.objects.filter(email=EMAIL).exists()
