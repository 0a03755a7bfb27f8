"""A citizen's form cut off by a database restart after it was saved: run again when that is safe."""

import uuid

import pytest
from django.db import OperationalError

from portal import outage as outage_module
from registrations.models import CheckIn, HouseholdMember, Trip
from registrations.models.crises import PersonStatus
from registrations.services import trips as trip_services
from registrations.tests.factories import days
from registrations.tests.form_posts import answers, link_path, member_data, stop, trip_data
from registrations.views import checkins as checkin_views
from registrations.views import household

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now", "database_outage")]


def _cut_after_commit(monkeypatch, module, name):
    """The connection is cut once, after the view committed: while it reads what to show next."""
    real, cuts = getattr(module, name), []

    def cut_once(*args, **kwargs):
        if not cuts:
            cuts.append(1)
            raise OperationalError("terminating connection due to administrator command")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, cut_once)
    monkeypatch.setattr(outage_module.DatabaseOutage, "probe", lambda self: True)  # a restart already over
    return cuts


def test_a_trip_cut_off_after_it_was_saved_runs_again_and_the_citizen_sees_it_registered_once(
    client, citizen, monkeypatch
):
    cuts = _cut_after_commit(monkeypatch, trip_services, "trip_warnings")

    response = client.post(
        "/en/accounts/trips/add/", trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), token=uuid.uuid4())
    )

    assert cuts == [1]
    assert response.status_code == 302
    assert Trip.objects.filter(owner=citizen).count() == 1


def test_a_form_without_a_submission_token_cut_off_after_saving_says_it_may_have_been_saved(
    client, citizen, monkeypatch
):
    cuts = _cut_after_commit(monkeypatch, household, "redirect")

    response = client.post(
        "/en/accounts/household/add/",
        member_data(full_name="Dana Serikova"),
    )

    assert cuts == [1]
    assert response.status_code == 503
    assert "part of it may have been saved" in response.text
    assert HouseholdMember.objects.filter(full_name="Dana Serikova").count() == 1  # not added twice


def test_a_checkin_cut_off_after_it_was_recorded_runs_again_and_is_recorded_once(client, arman, monkeypatch):
    cuts = _cut_after_commit(monkeypatch, checkin_views, "_confirmation")

    response = client.post(link_path(arman), answers(arman, own=PersonStatus.SAFE))

    assert cuts == [1]
    assert response.status_code == 200  # the confirmation, as if nothing had happened
    assert CheckIn.objects.filter(person=arman).count() == 1
