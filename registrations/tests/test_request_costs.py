"""What one citizen's request may cost the server: formsets, lists posted, households, the regions endpoint.

Each test sends what an attacker sent (a formset claiming thousands of forms, a damaged management form,
a list of ids longer than any household) and checks that the work done stays bounded and that the
citizen is told what went wrong.
"""

from unittest import mock

import pytest
from django.urls import reverse

from registrations.forms.base import BoundedInlineFormSet
from registrations.forms.trips import MAX_STOPS, StopForm, StopFormSet
from registrations.models import HouseholdMember, Trip
from registrations.models.household import MAX_HOUSEHOLD_MEMBERS
from registrations.tests.factories import days, make_member, make_trip
from registrations.tests.trip_posts import stop, trip_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]

ADD = reverse("registrations:trip_add")


def _count_stop_forms():
    """Patch StopForm so that the test can count how many the request built."""
    built = []
    original = StopForm.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    return built, mock.patch.object(StopForm, "__init__", counting)


def test_every_citizens_formset_has_a_hard_bound():
    assert issubclass(StopFormSet, BoundedInlineFormSet)
    assert StopFormSet.max_num == StopFormSet.absolute_max == MAX_STOPS
    assert StopFormSet.validate_max


@pytest.mark.parametrize("action", ["save", "regions"])
def test_a_trip_post_claiming_3000_stops_builds_at_most_the_maximum_and_says_so(client, citizen, action):
    data = trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), action=action)
    data["stops-TOTAL_FORMS"] = "3000"
    built, counting = _count_stop_forms()

    with counting:
        response = client.post(ADD, data)

    assert response.status_code == 200
    assert len(built) <= MAX_STOPS + 1  # the formset's forms, and its empty form
    assert response.context["formset"].non_form_errors()
    assert not Trip.objects.exists()


@pytest.mark.parametrize("action", ["save", "regions", "add_stop"])
@pytest.mark.parametrize("damage", ["stops-TOTAL_FORMS", "stops-INITIAL_FORMS"])
def test_a_damaged_management_form_is_an_error_shown_to_the_citizen_never_work(client, citizen, action, damage):
    data = trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), action=action)
    data[damage] = "many"

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert "The form arrived incomplete, so nothing was saved" in response.text
    assert not Trip.objects.exists()


def test_a_trip_post_without_its_submission_token_is_refused(client, citizen):
    data = trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), token=False)

    responses = [client.post(ADD, data) for _ in range(5)]

    assert not Trip.objects.exists()
    assert all(response.status_code == 200 for response in responses)
    assert "This form is out of date, so nothing was saved" in responses[-1].text


def test_editing_a_trip_needs_no_submission_token(client, citizen):
    trip = make_trip(citizen, ("IR", "IR-23", days(1), days(3)))

    response = client.post(
        reverse("registrations:trip_edit", args=[trip.pk]),
        trip_data(stop("IR", "IR-23", "Isfahan", days(1), days(4)), token=False),
    )

    assert response.status_code == 302
    assert trip.stops.get().city == "Isfahan"


def test_travellers_posted_beyond_any_household_are_refused_before_any_lookup(client, citizen):
    data = trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)))
    data["travellers"] = [str(number) for number in range(1, MAX_HOUSEHOLD_MEMBERS + 2)]

    response = client.post(ADD, data)

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["travellers"]] == ["invalid_list"]
    assert not Trip.objects.exists()


def test_a_household_cannot_grow_beyond_its_maximum(client, citizen):
    for number in range(MAX_HOUSEHOLD_MEMBERS):
        make_member(citizen, f"Member {number}")
    data = {"full_name": "One Too Many", "date_of_birth": "2010-01-01", "relationship": "child", "citizenship": "KZ"}

    page = client.get(reverse("registrations:household_add"), follow=True)
    response = client.post(reverse("registrations:household_add"), data, follow=True)

    assert "the most it can have" in page.text
    assert "the most it can have" in response.text
    assert HouseholdMember.objects.filter(owner=citizen).count() == MAX_HOUSEHOLD_MEMBERS


@pytest.mark.parametrize(("code", "status"), [("ir", 200), ("IR", 200), ("QQ", 404), ("zz", 404), ("é1", 404)])
def test_the_regions_endpoint_answers_only_real_countries(client, code, status):
    assert client.get(f"/en/accounts/regions/{code}/").status_code == status


def test_an_admin_inline_formset_claiming_3000_forms_is_bounded(staff_client, superuser, world):
    client = staff_client(superuser)
    trip = world.in_iran.trip
    url = reverse("admin:registrations_trip_change", args=[trip.pk])
    page = client.get(url)
    data = {
        "kind": trip.kind,
        "status": trip.status,
        "phone_abroad": "",
        "stops-TOTAL_FORMS": "3000",
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "1000",
    }
    assert page.status_code == 200

    response = client.post(url, data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.absolute_max == MAX_STOPS
    assert len(formset.forms) <= MAX_STOPS
    assert formset.non_form_errors()
