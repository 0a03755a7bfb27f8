"""Erasure leaves nothing that names the citizen: admin log entries, lockout records, subscriptions."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry

from advisories.subscriptions.models import Subscription
from registrations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_deleting_the_account_removes_every_trace_that_names_the_citizen(world, client, staff_client, superuser):
    citizen = world.in_france
    admin = staff_client(superuser)
    change = admin.get(f"/admin/registrations/citizenprofile/{citizen.profile.pk}/change/")
    assert change.status_code == 200
    LogEntry.objects.log_actions(
        user_id=superuser.pk, queryset=[citizen.profile, citizen.user], action_flag=2, change_message="[]"
    )
    client.post("/en/accounts/login/", {"username": citizen.user.email, "password": "wrong-guess-1234"})
    Subscription.objects.create(email=citizen.user.email.upper(), country="FR", language="en")
    assert LogEntry.objects.exists() and AccessAttempt.objects.exists()

    client.post("/en/accounts/login/", {"username": citizen.user.email, "password": PASSWORD})
    response = client.post("/en/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not LogEntry.objects.filter(object_repr__icontains="PARISOV").exists()
    assert not LogEntry.objects.filter(object_repr__icontains=citizen.user.email).exists()
    assert not AccessAttempt.objects.filter(username=citizen.user.email).exists()
    assert not Subscription.objects.filter(email__iexact=citizen.user.email).exists()
