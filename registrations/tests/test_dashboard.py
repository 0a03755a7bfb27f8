from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advisories.tests.factories import make_mission, make_published_advisory
from registrations.models import Trip
from registrations.tests.factories import days, make_member, make_trip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]

DASHBOARD = reverse("registrations:account")


def test_a_new_citizen_is_asked_to_complete_the_profile(client, new_citizen):
    response = client.get(DASHBOARD)

    assert "Complete your profile" in response.text
    assert reverse("registrations:profile") in response.text
    assert "no-store" in response["Cache-Control"]


def test_a_citizen_without_trips_is_asked_to_add_one(client, citizen):
    response = client.get(DASHBOARD)

    assert "Add a trip" in response.text
    assert reverse("registrations:trip_add") in response.text


def test_dashboard_shows_current_and_upcoming_trips_with_levels_and_missions(client, citizen):
    make_published_advisory(country="IR", level=4)
    make_published_advisory(country="TR", level=2)
    make_mission(country="IR", city="Tehran", jurisdiction=("IR",), name="Embassy in Tehran")
    make_mission(country="AZ", city="Baku", jurisdiction=("AZ", "IR"), name="Embassy in Baku")
    son = make_member(citizen, "Timur Saparov")
    make_trip(citizen, ("IR", "IR-23", days(-2), days(3)), ("TR", "TR-34", days(3), days(7)), travellers=[son])
    make_trip(citizen, ("GE", "GE-TB", days(30), days(35)))
    make_trip(citizen, ("DE", "DE-BE", days(-30), days(-10)))  # over: not shown

    page = client.get(DASHBOARD).text

    assert "Iran" in page
    assert "Türkiye" in page
    # Each level in the map's colours, written out, with a link to that country's own page.
    assert '<span class="level-chip level-4">Level 4: Do not travel</span>' in page
    assert '<span class="level-chip level-2">Level 2: Exercise increased caution</span>' in page
    assert 'href="/en/advisories/ir/"' in page and 'href="/en/advisories/tr/"' in page
    assert "Embassy in Tehran" in page and "Embassy in Baku" not in page  # the local mission first
    assert "Georgia" in page
    assert "none published" in page
    assert "Germany" not in page
    assert "Timur Saparov" in page
    assert "Last confirmed today." in page


def test_dashboard_queries_do_not_grow_with_trips_stops_people_or_countries(
    client, citizen, django_assert_max_num_queries
):
    make_published_advisory(country="IR", level=4)
    make_mission(country="IR", city="Tehran", jurisdiction=("IR",))
    make_trip(citizen, ("IR", "IR-23", days(-2), days(3)))
    # Eleven: the session, the account, the profile (asking too whether the citizen is on an open crisis's
    # board: no, so no crisis query), trips, stops, travellers, advisory levels, missions, and the session's
    # activity time written (savepoint, update, release). What matters is that it does not grow.
    with django_assert_max_num_queries(11) as one_trip:
        client.get(DASHBOARD)

    members = [make_member(citizen, f"Member {n}") for n in range(4)]
    for offset, country in enumerate(["TR", "AE", "GE", "AZ", "AM"]):
        make_published_advisory(country=country, level=2)
        make_mission(country=country, city=f"Capital {country}", jurisdiction=(country,))
        make_trip(
            citizen,
            ("IR", "IR-23", days(offset * 10), days(offset * 10 + 3)),
            (country, "", days(offset * 10 + 3), days(offset * 10 + 5)),
            travellers=members,
        )
    with django_assert_max_num_queries(len(one_trip.captured_queries)):
        client.get(DASHBOARD)


def test_a_long_stay_not_confirmed_for_months_asks_are_you_still_there(client, citizen, settings):
    trip = make_trip(citizen, ("AE", "AE-DU", days(-400), None), kind="residence")
    Trip.objects.filter(pk=trip.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=settings.REGISTRATION_RECONFIRM_AFTER_DAYS + 5)
    )

    page = client.get(DASHBOARD).text
    assert "Are you still in United Arab Emirates?" in page
    assert f"Last confirmed {settings.REGISTRATION_RECONFIRM_AFTER_DAYS + 5} days ago." in page

    client.post(reverse("registrations:trip_confirm", args=[trip.pk]))

    assert "Are you still in" not in client.get(DASHBOARD).text
    assert "Last confirmed today." in client.get(DASHBOARD).text


def test_a_passport_expiring_before_a_trip_ends_is_flagged(client, citizen):
    citizen.citizen_profile.passport_expires_on = days(5)
    citizen.citizen_profile.save()
    make_trip(citizen, ("IR", "IR-23", days(1), days(20)))

    page = client.get(DASHBOARD).text

    assert "Your passport expires on" in page
    assert "Your passport expires before this trip ends." in page


def test_the_trip_is_named_after_its_countries_in_travel_order(client, citizen):
    make_trip(
        citizen,
        ("TR", "TR-34", days(1), days(3)),
        ("TR", "TR-07", days(3), days(6)),
        ("GE", "GE-TB", days(6), days(8)),
    )

    page = client.get(DASHBOARD).text

    assert "Türkiye → Georgia" in page
    assert "Türkiye → Türkiye" not in page


def test_a_stop_in_a_region_a_consulate_general_covers_shows_that_consulate(client, citizen):
    """The consulate general in Istanbul covers İstanbul; the embassy in Ankara the other provinces."""
    make_mission("TR", "Istanbul", ("TR-34", "TR-41"), kind="consulate_general", name="Consulate General in Istanbul")
    ankara = make_mission("TR", "Ankara", ("TR-06", "TR-07"), name="Embassy in Ankara")
    make_trip(citizen, ("TR", "TR-34", days(-1), days(3)), ("TR", "TR-07", days(3), days(6)))

    page = client.get(DASHBOARD).text

    stops = page.split('class="trip-stops"')[1].split("</ol>")[0]
    istanbul_stop, antalya_stop = stops.split("<li>")[1:3]
    assert "Consulate General in Istanbul" in istanbul_stop and "Embassy in Ankara" not in istanbul_stop
    assert f"#mission-{ankara.pk}" in antalya_stop
