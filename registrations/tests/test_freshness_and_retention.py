"""Records stay fresh: long stays are asked "still there?", old trips are deleted."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from registrations.models import HouseholdMember, Stop, Trip
from registrations.models.trips import TripStatus
from registrations.tests.factories import days, make_member, make_profile, make_trip, make_user

pytestmark = pytest.mark.django_db(transaction=True)  # emails leave after the commit


def age(trip, *, days_ago):
    Trip.objects.filter(pk=trip.pk).update(last_confirmed_at=timezone.now() - timedelta(days=days_ago))


def test_residents_and_long_stays_not_confirmed_for_n_days_are_asked_once(now, mailoutbox, settings):
    settings.REGISTRATION_RECONFIRM_AFTER_DAYS = 90
    resident = make_user("resident@example.com")
    make_profile(resident, preferred_language="en")
    asked = make_trip(resident, ("AE", "AE-DU", days(-400), None), kind="residence")
    age(asked, days_ago=91)
    student = make_user("student@example.com")
    long_stay = make_trip(student, ("DE", "DE-BE", days(-100), days(200)), kind="study")
    age(long_stay, days_ago=100)
    recently_confirmed = make_trip(student, ("TR", "TR-07", days(-400), None))
    age(recently_confirmed, days_ago=30)
    short_trip = make_trip(student, ("GE", "GE-TB", days(-5), days(5)))
    age(short_trip, days_ago=120)  # registered long ago, but a ten-day trip

    call_command("send_presence_reminders", stdout=None)

    assert sorted(mail.to[0] for mail in mailoutbox) == ["resident@example.com", "student@example.com"]
    assert "still there" in mailoutbox[0].body
    # Asked again only after another N days, not every day.
    call_command("send_presence_reminders", stdout=None)
    assert len(mailoutbox) == 2


def test_the_reminder_is_in_the_citizens_language_and_its_link_carries_no_personal_data(now, mailoutbox, client):
    resident = make_user("dana.saparova@example.com")
    profile = make_profile(resident, preferred_language="ru")
    trip = make_trip(resident, ("AE", "AE-DU", days(-400), None), kind="residence")
    age(trip, days_ago=200)

    call_command("send_presence_reminders", stdout=None)

    mail = mailoutbox[0]
    assert "/ru/accounts/still-there/" in mail.body  # in Russian, whatever the language of the command
    link = re.search(r"https?://\S+/still-there/\S+/", mail.body).group(0)
    for personal in ["dana", "saparova", profile.national_id, profile.passport_number]:
        assert personal.lower() not in link.lower()

    path = re.sub(r"^https?://[^/]+", "", link)
    page = client.get(path)  # no sign-in needed; GET changes nothing
    assert page.status_code == 200
    trip.refresh_from_db()
    assert (now - trip.last_confirmed_at).days == 200

    client.post(path)
    client.post(path)  # twice is harmless
    trip.refresh_from_db()
    assert trip.last_confirmed_at == now


def test_an_altered_still_there_link_is_refused(client):
    response = client.get("/en/accounts/still-there/not-a-token/")

    assert response.status_code == 404


def test_retention_deletes_exactly_the_trips_ended_or_cancelled_more_than_m_days_ago(now, settings):
    settings.TRIP_RETENTION_DAYS = 30
    owner = make_user("owner@example.com")
    member = make_member(owner)
    expired = make_trip(owner, ("IR", days(-60), days(-31)), travellers=[member])
    on_the_edge = make_trip(owner, ("IR", days(-60), days(-30)))
    recent = make_trip(owner, ("IR", days(-10), days(-2)))
    current = make_trip(owner, ("IR", days(-100), days(3)))
    resident = make_trip(owner, ("TR", days(-900), None))
    resident_with_old_first_stop = make_trip(owner, ("IR", days(-900), days(-400)), ("TR", days(-400), None))
    cancelled_long_ago = make_trip(owner, ("GE", days(40), days(50)), status=TripStatus.CANCELLED)
    Trip.objects.filter(pk=cancelled_long_ago.pk).update(cancelled_at=now - timedelta(days=31))
    cancelled_recently = make_trip(owner, ("GE", days(40), days(50)), status=TripStatus.CANCELLED)

    call_command("delete_expired_trips", stdout=None)

    assert set(Trip.objects.values_list("pk", flat=True)) == {
        on_the_edge.pk,
        recent.pk,
        current.pk,
        resident.pk,
        resident_with_old_first_stop.pk,
        cancelled_recently.pk,
    }
    assert not Stop.objects.filter(trip_id__in=[expired.pk, cancelled_long_ago.pk]).exists()
    assert HouseholdMember.objects.filter(pk=member.pk).exists()  # people stay; only the trip goes


def test_the_status_command_moves_trips_along_their_dates(now, time_machine):
    owner = make_user("owner@example.com")
    trip = make_trip(owner, ("IR", days(0), days(2)), status=TripStatus.PLANNED)

    call_command("update_trip_statuses", stdout=None)
    trip.refresh_from_db()
    assert trip.status == TripStatus.CURRENT

    time_machine.shift(timedelta(days=3))
    call_command("update_trip_statuses", stdout=None)
    trip.refresh_from_db()
    assert trip.status == TripStatus.ENDED
