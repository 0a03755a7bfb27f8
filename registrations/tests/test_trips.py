import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from registrations.models import Stop, Trip
from registrations.models.trips import TripStatus
from registrations.tests.factories import days, make_trip, make_user
from registrations.tests.form_posts import stop, trip_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]

ADD = reverse("registrations:trip_add")


def test_citizen_registers_a_trip_with_two_stops_and_two_household_members(client, citizen, household):
    wife, son = household

    response = client.post(
        ADD,
        trip_data(
            stop("IR", "IR-23", "Tehran", days(-3), days(4)),
            stop("TR", "TR-34", "Istanbul", days(4), days(10), address="Hotel Pera"),
            kind="business",
            travellers=[wife, son],
            phone="+98 912 345 6789",
            token=uuid.uuid4(),
        ),
    )

    assert response.status_code == 302
    trip = Trip.objects.get()
    assert trip.owner == citizen
    assert trip.kind == "business"
    assert trip.status == TripStatus.CURRENT
    assert trip.phone_abroad == "+989123456789"
    assert set(trip.travellers.all()) == {wife, son}
    assert [(s.position, s.country.code, s.region, s.city) for s in trip.stops.order_by("position")] == [
        (0, "IR", "IR-23", "Tehran"),
        (1, "TR", "TR-34", "Istanbul"),
    ]


def test_a_double_submitted_form_creates_one_trip(client, citizen):
    data = trip_data(stop("IR", "IR-23", "Tehran", days(1), days(5)), token=uuid.uuid4())

    first = client.post(ADD, data)
    second = client.post(ADD, data, follow=True)

    assert first.status_code == 302
    assert Trip.objects.count() == 1
    assert Stop.objects.count() == 1
    assert "This trip was registered already" in second.text


def test_each_form_shown_gets_its_own_token_so_two_real_trips_are_two(client, citizen):
    tokens = set()
    for _ in range(2):
        page = client.get(ADD)
        tokens.add(page.context["form"]["submission_token"].value())
    assert len(tokens) == 2


def test_departure_before_arrival_is_refused_in_the_summary_and_beside_the_field(client, citizen):
    response = client.post(ADD, trip_data(stop("IR", "IR-23", "Tehran", days(5), days(1))))

    assert response.status_code == 200
    assert "The departure date is before the arrival date." in response.text
    assert 'href="#id_stops-0-departure_date"' in response.text
    assert "Stop 1, Departure date (optional)" in response.text
    assert 'value="Tehran"' in response.text
    assert not Trip.objects.exists()


def test_every_link_of_the_error_summary_leads_to_an_element_of_the_page(client, citizen):
    """The purpose is a group of radio buttons: its link goes to the first, the only element with an id."""
    response = client.post(ADD, trip_data(stop("IR", "IR-23", "Tehran", days(5), days(1)), kind=""))

    assert response.status_code == 200
    start = response.text.index('id="error-summary"')
    summary = response.text[start : response.text.index("</ul>", start)]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert "id_kind_0" in targets and "id_stops-0-departure_date" in targets
    for target in targets:
        assert f'id="{target}"' in response.text, target


def test_stops_must_follow_each_other(client, citizen):
    response = client.post(
        ADD,
        trip_data(
            stop("IR", "IR-23", "Tehran", days(1), days(10)),
            stop("TR", "TR-34", "Istanbul", days(5), days(12)),
        ),
    )

    assert "Stop 2 begins before stop 1 ends" in response.text
    assert not Trip.objects.exists()


def test_only_the_last_stop_may_have_no_departure_date(client, citizen):
    response = client.post(
        ADD,
        trip_data(stop("IR", "IR-23", "Tehran", days(1)), stop("TR", "TR-34", "Istanbul", days(5), days(12))),
    )

    assert "Only the last stop can have no departure date" in response.text


def test_a_resident_has_no_departure_date(client, citizen):
    client.post(ADD, trip_data(stop("TR", "TR-07", "Antalya", days(-400)), kind="residence"))

    trip = Trip.objects.get()
    assert trip.ends_on is None
    assert trip.status == TripStatus.CURRENT


def test_a_region_of_another_country_is_refused(client, citizen):
    response = client.post(ADD, trip_data(stop("TR", "IR-23", "Tehran", days(1), days(3))))

    assert "Choose a region of the country above" in response.text
    assert not Trip.objects.exists()


def test_a_country_with_regions_needs_one(client, citizen):
    response = client.post(ADD, trip_data(stop("IR", "", "Tehran", days(1), days(3))))

    assert "Choose the region" in response.text
    assert not Trip.objects.exists()


def test_show_regions_fills_the_region_list_for_the_chosen_country_and_keeps_what_was_typed(client, citizen):
    page = client.get(ADD).text
    assert "Choose the country first" in page

    response = client.post(ADD, trip_data(stop("IR", "", "Tehran", days(1), ""), action="regions"))

    assert response.status_code == 200
    assert '<option value="IR-23">Tehrān</option>' in response.text
    assert 'value="Tehran"' in response.text
    assert "There is a problem" not in response.text
    assert not Trip.objects.exists()


def test_add_a_stop_without_javascript_shows_one_more_empty_stop(client, citizen):
    response = client.post(ADD, trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), action="add_stop"))

    assert response.status_code == 200
    assert 'name="stops-TOTAL_FORMS" value="2"' in response.text
    assert 'name="stops-1-city"' in response.text
    assert 'value="Tehran"' in response.text
    assert "There is a problem" not in response.text


def test_an_empty_added_stop_is_ignored_on_save(client, citizen):
    data = trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3)), stop("", "", "", "", ""))

    client.post(ADD, data)

    assert Trip.objects.get().stops.count() == 1


def test_an_overlap_with_another_trip_is_a_warning_not_an_error(client, citizen):
    make_trip(citizen, ("GE", days(2), days(6)))

    response = client.post(ADD, trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3))), follow=True)

    assert Trip.objects.count() == 2
    assert "This trip overlaps another of your trips" in response.text


@pytest.mark.parametrize(
    ("arrival", "departure", "status", "warned"),
    [
        (3, 6, None, False),  # it begins the day this one ends: a travel day
        (-5, 1, None, False),  # it ends the day this one begins
        (-300, None, None, True),  # a stay without an end
        (2, 6, TripStatus.CANCELLED, False),
        (-5, 2, None, True),
    ],
)
def test_the_overlap_warning_ignores_travel_days_and_cancelled_trips(
    client, citizen, arrival, departure, status, warned
):
    make_trip(citizen, ("GE", days(arrival), days(departure) if departure is not None else None), status=status)

    response = client.post(ADD, trip_data(stop("IR", "IR-23", "Tehran", days(1), days(3))), follow=True)

    assert Trip.objects.count() == 2
    assert ("This trip overlaps another of your trips" in response.text) is warned


def test_a_passport_that_expires_before_the_trip_ends_is_a_warning(client, citizen):
    citizen.citizen_profile.passport_expires_on = days(2)
    citizen.citizen_profile.save()

    response = client.post(ADD, trip_data(stop("IR", "IR-23", "Tehran", days(1), days(30))), follow=True)

    assert Trip.objects.count() == 1
    assert "Your passport expires on" in response.text


def test_citizen_edits_a_trip_replacing_its_stops(client, citizen):
    trip = make_trip(citizen, ("IR", "IR-23", days(1), days(5)))
    old_stop = trip.stops.get()

    response = client.post(
        reverse("registrations:trip_edit", args=[trip.pk]),
        trip_data(
            stop("IR", "IR-01", "Rasht", days(1), days(6)),
            stop("TR", "TR-34", "Istanbul", days(6), days(9)),
            kind="study",
            stop_ids=[old_stop.pk],
        ),
    )

    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.kind == "study"
    assert [s.city for s in trip.stops.order_by("position")] == ["Rasht", "Istanbul"]


def test_citizen_removes_a_stop_when_editing(client, citizen):
    trip = make_trip(citizen, ("IR", "IR-23", days(1), days(5)), ("TR", "TR-34", days(5), days(8)))
    first, second = trip.stops.order_by("position")
    data = trip_data(
        stop("IR", "IR-23", "Tehran", days(1), days(5)),
        stop("TR", "TR-34", "Istanbul", days(5), days(8)),
        stop_ids=[first.pk, second.pk],
    )
    data["stops-1-DELETE"] = "on"

    client.post(reverse("registrations:trip_edit", args=[trip.pk]), data)

    assert [s.country.code for s in trip.stops.all()] == ["IR"]


def test_citizen_ends_a_current_trip_early(client, citizen):
    trip = make_trip(citizen, ("IR", "IR-23", days(-5), days(5)), ("TR", "TR-34", days(5), days(9)))

    client.post(reverse("registrations:trip_end", args=[trip.pk]))

    trip.refresh_from_db()
    assert trip.status == TripStatus.ENDED
    assert [(s.country.code, s.departure_date) for s in trip.stops.all()] == [("IR", days(0))]
    assert trip.status_on(days(0)) == TripStatus.ENDED


def test_a_planned_trip_cannot_end_early_but_can_be_cancelled(client, citizen):
    trip = make_trip(citizen, ("IR", "IR-23", days(5), days(9)))

    response = client.post(reverse("registrations:trip_end", args=[trip.pk]), follow=True)
    assert "you can cancel it instead" in response.text
    client.post(reverse("registrations:trip_cancel", args=[trip.pk]))

    trip.refresh_from_db()
    assert trip.status == TripStatus.CANCELLED
    assert trip.cancelled_at is not None


def test_a_cancelled_trip_cannot_be_edited(client, citizen):
    trip = make_trip(citizen, ("IR", "IR-23", days(5), days(9)), status=TripStatus.CANCELLED)

    response = client.get(reverse("registrations:trip_edit", args=[trip.pk]), follow=True)

    assert "This trip is cancelled" in response.text


def test_regions_of_a_country_as_json_for_the_script(client):
    response = client.get(reverse("registrations:regions", args=["ir"]))

    assert ["IR-23", "Tehrān"] in response.json()["regions"]
    assert client.get(reverse("registrations:regions", args=["xyz"])).status_code == 404


def test_statuses_follow_the_dates(db):
    owner = make_user("statuses@example.com")
    starting = make_trip(owner, ("IR", days(0), days(5)), status=TripStatus.PLANNED)
    finished = make_trip(owner, ("IR", days(-9), days(-1)), status=TripStatus.CURRENT)
    resident = make_trip(owner, ("IR", days(-900), None), status=TripStatus.CURRENT)
    cancelled = make_trip(owner, ("IR", days(-9), days(-1)), status=TripStatus.CANCELLED)

    assert Trip.objects.update_statuses(today=days(0)) == 2

    statuses = dict(Trip.objects.values_list("pk", "status"))
    assert statuses[starting.pk] == TripStatus.CURRENT
    assert statuses[finished.pk] == TripStatus.ENDED
    assert statuses[resident.pk] == TripStatus.CURRENT
    assert statuses[cancelled.pk] == TripStatus.CANCELLED


def test_the_dates_rule_is_checked_in_python_and_still_enforced_by_the_database(citizen, django_assert_num_queries):
    trip = make_trip(citizen, ("TR", days(1), days(3)))
    stop_ = Stop(trip=trip, country="TR", city="Istanbul", arrival_date=days(5), departure_date=days(4))

    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        stop_.full_clean(exclude=["trip"])  # as the service does: the trip is its own

    assert refused.value.message_dict["departure_date"] == ["The departure date is before the arrival date."]
    with pytest.raises(IntegrityError), transaction.atomic():
        stop_.save()
