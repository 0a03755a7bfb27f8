"""The citizen's rights: download everything, delete everything."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from registrations.models import CitizenProfile, HouseholdMember, Stop, Trip
from registrations.tests.factories import PASSWORD, days, make_member, make_profile, make_trip, make_user

# The citizen, their household and their trips come from conftest.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now", "household", "trips")]


def test_export_contains_the_profile_household_trips_and_stops(client, citizen):
    profile = citizen.citizen_profile
    profile.medical_needs = "Asthma"
    profile.needs_consent_at = "2026-01-01T00:00Z"
    profile.save()

    response = client.get(reverse("registrations:my_data"))

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "citizen@example.com"
    assert data["profile"]["national_id"] == profile.national_id
    assert data["profile"]["passport_number"] == "N12345678"
    assert data["profile"]["full_name_native"] == "Сапарова Айгерим Нурлановна"
    assert data["profile"]["medical_needs"] == "Asthma"
    assert {member["full_name"] for member in data["household"]} == {"Dana Saparova", "Timur Saparov"}
    assert {member["citizenship"] for member in data["household"]} == {"TR", "KZ"}
    assert len(data["trips"]) == 2
    iran_trip = next(trip for trip in data["trips"] if trip["stops"][0]["country"] == "IR")
    assert [(stop["country"], stop["region"]) for stop in iran_trip["stops"]] == [("IR", "IR-23"), ("TR", "TR-34")]
    assert iran_trip["stops"][0]["arrival_date"] == days(-2).isoformat()
    spouse_id = next(member["id"] for member in data["household"] if member["full_name"] == "Dana Saparova")
    assert iran_trip["travellers"] == [spouse_id]
    residence = next(trip for trip in data["trips"] if trip["kind"] == "residence")
    assert residence["stops"][0]["departure_date"] is None


def test_deleting_the_account_needs_the_right_password(client, citizen):
    response = client.post(reverse("registrations:delete_account"), {"password": "not-my-password"})

    assert response.status_code == 200
    assert "The password is wrong. Nothing was deleted." in response.text
    assert get_user_model().objects.filter(email="citizen@example.com").exists()
    assert Trip.objects.count() == 2


def test_deleting_the_account_deletes_everything_attached(client, citizen):
    other = make_user("other@example.com")
    make_profile(other)
    make_trip(other, ("GE", "GE-TB", days(1), days(3)), travellers=[make_member(other)])

    response = client.post(reverse("registrations:delete_account"), {"password": PASSWORD}, follow=True)

    assert "Your account and everything in it are deleted." in response.text
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="citizen@example.com").exists()
    assert list(CitizenProfile.objects.values_list("user__email", flat=True)) == ["other@example.com"]
    assert list(HouseholdMember.objects.values_list("owner__email", flat=True)) == ["other@example.com"]
    assert list(Trip.objects.values_list("owner__email", flat=True)) == ["other@example.com"]
    assert list(Stop.objects.values_list("country", flat=True)) == ["GE"]
