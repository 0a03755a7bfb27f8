"""What a citizen reads in the forms, in each language: the date hint and the field agree, radios start right,
and without JavaScript "Show regions" and "Add a stop" bring the page back where the citizen was."""

import pytest
from django.utils import translation

from registrations.models import Trip
from registrations.tests.factories import days, make_trip
from registrations.tests.form_posts import stop, trip_data

pytestmark = pytest.mark.django_db


def _hint(language, example, order):
    with translation.override(language):
        return translation.gettext("For example %(example)s (%(order)s).") % {
            "example": example,
            "order": translation.gettext(order),
        }


@pytest.mark.parametrize(
    ("language", "example", "order", "shown"),
    [
        ("en", "2027-03-31", "year-month-day", "{:%Y-%m-%d}"),
        ("ru", "31.03.2027", "day.month.year", "{:%d.%m.%Y}"),
        ("kk", "31.03.2027", "day.month.year", "{:%d.%m.%Y}"),
    ],
)
def test_the_date_hint_gives_the_order_the_field_shows(client, citizen, language, example, order, shown):
    trip = make_trip(citizen, ("IR", "IR-23", days(2), days(9)))

    page = client.get(f"/{language}/accounts/trips/{trip.pk}/edit/").text

    assert _hint(language, example, order) in page
    assert f'value="{shown.format(days(2))}"' in page
    assert 'type="date"' not in page  # a picker would show the browser's order, not the hint's


def test_a_date_typed_in_the_pages_order_or_in_iso_is_read_right(client, citizen):
    arrival, departure = days(3), days(8)

    response = client.post(
        "/ru/accounts/trips/add/",
        trip_data(stop("IR", "IR-23", "Tehran", f"{arrival:%d.%m.%Y}", departure.isoformat())),
    )

    assert response.status_code == 302
    saved = Trip.objects.get().stops.get()
    assert (saved.arrival_date, saved.departure_date) == (arrival, departure)


def test_a_new_profile_offers_no_empty_choice_and_starts_in_the_pages_language(client, new_citizen):
    page = client.get("/kk/accounts/profile/").text

    for name in ["preferred_language", "preferred_channel"]:
        assert f'name="{name}" value=""' not in page  # no "---------" radio, ticked or not
    form = client.get("/kk/accounts/profile/").context["form"]
    assert form["preferred_language"].value() == "kk"
    assert not form["preferred_channel"].value()  # the citizen chooses how to be reached
    assert "" not in dict(form.fields["preferred_channel"].choices)


def test_without_javascript_show_regions_and_add_a_stop_come_back_at_the_stop(client, citizen):
    page = client.get("/en/accounts/trips/add/").text

    assert 'id="stop-1"' in page
    assert 'name="action" value="regions" formaction="#stop-1"' in page
    assert 'name="action" value="add_stop" formaction="#stop-2"' in page

    two_stops = client.post("/en/accounts/trips/add/", trip_data(stop("TR", "", "", "", ""), action="add_stop")).text
    assert 'id="stop-2"' in two_stops
    assert 'formaction="#stop-2" class="btn btn-outline-secondary btn-sm mb-3"' in two_stops
    assert 'formaction="#stop-3"' in two_stops
