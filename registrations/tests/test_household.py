import pytest
from django.urls import reverse

from registrations.models import HouseholdMember
from registrations.tests.factories import days, make_member, make_trip
from registrations.tests.form_posts import member_data

pytestmark = pytest.mark.django_db


def test_citizen_adds_a_foreign_spouse_to_the_household(client, citizen):
    response = client.post(reverse("registrations:household_add"), member_data(), follow=True)

    member = HouseholdMember.objects.get()
    assert member.owner == citizen
    assert member.citizenship.code == "TR"
    assert "Dana Saparova is added to your household." in response.text
    assert "Dana Saparova" in client.get(reverse("registrations:household")).text


def test_the_home_country_is_offered_first_and_chosen_by_default(client, citizen):
    page = client.get(reverse("registrations:household_add")).text

    first_option = page.index('<option value="KZ" selected>')
    assert first_option < page.index('<option value="AF"')


def test_needs_need_consent(client, citizen):
    response = client.post(reverse("registrations:household_add"), member_data(needs="Wheelchair"))

    assert "Tick this box to let us keep their needs" in response.text
    client.post(reverse("registrations:household_add"), member_data(needs="Wheelchair", needs_consent="on"))
    assert HouseholdMember.objects.get().needs_consent_at is not None


def test_citizen_edits_and_removes_a_member_who_leaves_their_trips(client, citizen):
    member = make_member(citizen, "Timur")
    trip = make_trip(citizen, ("IR", "IR-23", days(1), days(4)), travellers=[member])

    client.post(reverse("registrations:household_edit", args=[member.pk]), member_data(full_name="Timur Saparov"))
    member.refresh_from_db()
    assert member.full_name == "Timur Saparov"

    client.post(reverse("registrations:household_delete", args=[member.pk]))
    assert not HouseholdMember.objects.exists()
    assert trip.travellers.count() == 0
