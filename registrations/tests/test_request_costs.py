"""What one citizen's request may cost the server: formsets, lists posted, households, the regions endpoint.

Each test sends what an attacker sent (a formset claiming thousands of forms, a damaged management form,
a list of ids longer than any household) and checks that the work done stays bounded and that the
citizen is told what went wrong.
"""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations.forms.base import BoundedInlineFormSet
from registrations.forms.trips import MAX_STOPS, StopForm, StopFormSet
from registrations.models import HouseholdMember, Trip
from registrations.models.household import MAX_HOUSEHOLD_MEMBERS
from registrations.tests.factories import days, make_member, make_trip
from registrations.tests.form_posts import stop, trip_data

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


# What a citizen's write costs the database: a fixed number of queries, whatever the number of stops
# or of trips the citizen has had. Each budget lists its queries; a test runs in a transaction, so
# every atomic block of the code is a SAVEPOINT and a RELEASE here (in production the outer one is
# BEGIN and COMMIT, which are not counted).
TRIP_POST_BUDGET = [
    "the session",
    "the user",
    "the view: has the citizen a profile?",
    "the household members posted as travellers (the form's choices)",
    "SAVEPOINT: the trip and its stops, all or nothing",
    "INSERT the trip",
    "the travellers already linked (Django asks before adding, for the m2m_changed signal)",
    "INSERT the travellers",
    "INSERT the stops, all in one",
    "the stops just written, read once for the status, the crisis check and the warnings",
    "the open crises whose area the trip is in today (one query, however many are open)",
    "RELEASE SAVEPOINT",
    "the warnings: does another trip overlap this one?",
    "the warnings: the passport's expiry date",
]


def _trip_post(stops, household):
    dates = [(days(10 + 3 * number), days(11 + 3 * number)) for number in range(stops)]
    return trip_data(*(stop("TR", "TR-34", "Istanbul", *pair) for pair in dates), travellers=household)


@pytest.mark.parametrize("stops", [1, 5])
def test_a_trip_post_costs_a_fixed_number_of_queries(client, citizen, household, stops):
    client.get(reverse("registrations:account"))  # the session's first request writes its times once
    for number in range(12):
        make_trip(citizen, ("GE", days(100 + 10 * number), days(105 + 10 * number)))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(ADD, _trip_post(stops, household))

    assert response.status_code == 302
    assert Trip.objects.filter(owner=citizen).count() == 13
    assert len(queries) == len(TRIP_POST_BUDGET), "\n".join(query["sql"][:120] for query in queries)


def test_a_trip_posts_queries_do_not_grow_with_stops_or_past_trips(client, citizen, household):
    client.get(reverse("registrations:account"))
    counts = []
    for stops, past_trips in [(1, 0), (5, 0), (5, 15)]:
        for number in range(past_trips):
            make_trip(citizen, ("GE", days(200 + 10 * number), days(205 + 10 * number)))
        with CaptureQueriesContext(connection) as queries:
            assert client.post(ADD, _trip_post(stops, household)).status_code == 302
        counts.append(len(queries))

    assert counts[0] == counts[1] == counts[2]
