"""Citizen B tries to reach citizen A's records by guessing addresses and posting ids."""

import uuid

import pytest
from django.urls import reverse

from registrations.models import CitizenProfile, HouseholdMember, Trip
from registrations.tests.factories import days, make_member, make_profile, make_trip, make_user
from registrations.tests.form_posts import stop, trip_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]


@pytest.fixture
def records_of_a():
    a = make_user("a@example.com")
    profile = make_profile(a, surname_latin="AKHMETOVA", full_name_native="Ахметова Гульнар")
    member = make_member(a, "Child Of A")
    trip = make_trip(a, ("IR", "IR-23", days(-1), days(5)), travellers=[member])
    return profile, member, trip


@pytest.fixture
def b(client):
    user = make_user("b@example.com")
    make_profile(user, surname_latin="BEKOV")
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ["registrations:trip_edit", "registrations:trip_end", "registrations:trip_cancel"])
def test_b_cannot_open_or_change_a_trip_of_a(client, b, records_of_a, name):
    *_, trip = records_of_a
    url = reverse(name, args=[trip.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, trip_data(stop("TR", "TR-34", "Istanbul", days(1), days(2)))).status_code == 404

    trip.refresh_from_db()
    assert trip.status == "current"
    assert [s.country.code for s in trip.stops.all()] == ["IR"]


def test_b_cannot_confirm_a_trip_of_a(client, b, records_of_a):
    *_, trip = records_of_a

    assert client.post(reverse("registrations:trip_confirm", args=[trip.pk])).status_code == 404


@pytest.mark.parametrize("name", ["registrations:household_edit", "registrations:household_delete"])
def test_b_cannot_open_edit_or_delete_a_household_member_of_a(client, b, records_of_a, name):
    _, member, _ = records_of_a
    url = reverse(name, args=[member.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "Changed", "date_of_birth": "2015-01-01"}).status_code == 404
    member.refresh_from_db()
    assert member.full_name == "Child Of A"


def test_b_cannot_put_a_household_member_of_a_on_a_trip(client, b, records_of_a):
    _, member_of_a, _ = records_of_a

    response = client.post(
        reverse("registrations:trip_add"),
        trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), travellers=[member_of_a], token=uuid.uuid4()),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Trip.objects.filter(owner=b).exists()


def test_b_cannot_move_a_stop_of_a_into_a_trip_of_b(client, b, records_of_a):
    *_, trip_of_a = records_of_a
    trip_of_b = make_trip(b, ("GE", "GE-TB", days(1), days(3)))

    response = client.post(
        reverse("registrations:trip_edit", args=[trip_of_b.pk]),
        trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), stop_ids=[trip_of_a.stops.get().pk]),
    )

    # The foreign id is ignored: B's trip gets a stop of its own, A's stop is untouched.
    assert response.status_code == 302
    stop_of_a = trip_of_a.stops.get()
    assert (stop_of_a.country.code, stop_of_a.arrival_date, stop_of_a.departure_date) == ("IR", days(-1), days(5))
    assert [s.country.code for s in trip_of_b.stops.all()] == ["IR"]


def test_b_sees_only_their_own_profile_household_and_trips(client, b, records_of_a):
    pages = [
        client.get(reverse(name)).text
        for name in ["registrations:account", "registrations:profile", "registrations:household"]
    ]
    export = client.get(reverse("registrations:my_data")).content.decode()

    for text in [*pages, export]:
        assert "AKHMETOVA" not in text
        assert "Ахметова" not in text
        assert "Child Of A" not in text
    assert "BEKOV" in pages[1]


def test_every_personal_page_needs_sign_in_and_is_never_cached(client, b, records_of_a):
    make_member(b)
    trip = make_trip(b, ("IR", "IR-23", days(-1), days(5)))
    member = HouseholdMember.objects.filter(owner=b).first()
    urls = [
        reverse("registrations:account"),
        reverse("registrations:profile"),
        reverse("registrations:household"),
        reverse("registrations:household_add"),
        reverse("registrations:household_edit", args=[member.pk]),
        reverse("registrations:household_delete", args=[member.pk]),
        reverse("registrations:trip_add"),
        reverse("registrations:trip_edit", args=[trip.pk]),
        reverse("registrations:trip_end", args=[trip.pk]),
        reverse("registrations:trip_cancel", args=[trip.pk]),
        reverse("registrations:my_data"),
        reverse("registrations:delete_account"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url

    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302, url


def test_addresses_carry_ids_never_names_emails_or_national_ids(client, b, records_of_a):
    make_member(b, "Aruzhan Bekova")
    make_trip(b, ("IR", "IR-23", days(-1), days(5)))
    profile = CitizenProfile.objects.get(user=b)
    pages = client.get(reverse("registrations:account")).text + client.get(reverse("registrations:household")).text

    hrefs = " ".join(__import__("re").findall(r'(?:href|action)="([^"]+)"', pages))
    for personal in ["Aruzhan", "Bekova", "b@example.com", profile.national_id, profile.passport_number]:
        assert personal not in hrefs
