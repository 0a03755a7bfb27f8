"""Who is in a country (or a region) on a day: people, not accounts."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from registrations.models import Stop, Trip
from registrations.models.trips import TripStatus
from registrations.tests.factories import days, make_member, make_trip, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]


@pytest.fixture
def iran_today():
    """Hand-counted: 6 people in Iran today, 4 of them in Tehran."""
    aigerim = make_user("aigerim@example.com")
    husband, daughter, mother = (
        make_member(aigerim, "Husband", relationship="spouse", citizenship="TR"),
        make_member(aigerim, "Daughter"),
        make_member(aigerim, "Mother", relationship="parent"),
    )
    # Aigerim, her husband and daughter in Tehran (3); her mother stays home.
    make_trip(aigerim, ("IR", "IR-23", days(-2), days(3)), travellers=[husband, daughter])
    # The same family registered an overlapping trip too: still 3 people, not 6.
    make_trip(aigerim, ("IR", "IR-23", days(-1), days(1)), travellers=[daughter])

    bolat = make_user("bolat@example.com")
    make_trip(bolat, ("IR", "IR-23", days(-30), None), kind="residence")  # resident in Tehran (1)

    dana = make_user("dana@example.com")
    son = make_member(dana, "Son")
    # Dana and son are in Isfahan today (2), having left Tehran yesterday.
    make_trip(dana, ("IR", "IR-23", days(-5), days(-1)), ("IR", "IR-10", days(-1), days(0)), travellers=[son])

    # Not counted: a cancelled trip, a trip that ended yesterday, one that starts tomorrow, another country.
    erlan = make_user("erlan@example.com")
    make_trip(erlan, ("IR", "IR-23", days(-1), days(4)), status=TripStatus.CANCELLED)
    make_trip(erlan, ("IR", "IR-23", days(-9), days(-1)))
    make_trip(erlan, ("IR", "IR-23", days(1), days(4)), travellers=[make_member(erlan, "Wife")])
    make_trip(erlan, ("TR", "TR-34", days(-1), days(4)))
    return mother


def test_presence_counts_people_in_the_country_today(iran_today):
    assert Stop.objects.present_in("IR").count_people() == 6


def test_presence_counts_people_in_a_region(iran_today):
    assert Stop.objects.present_in("IR", region="IR-23").count_people() == 4
    assert Stop.objects.present_in("IR", region="IR-10").count_people() == 2


def test_presence_on_another_day(iran_today):
    # Tomorrow: Aigerim's family (3), Bolat (1), Erlan and his wife (2); Dana has left.
    assert Stop.objects.present_in("IR", on=days(1)).count_people() == 6
    # In ten days only the resident is left.
    assert Stop.objects.present_in("IR", on=days(10)).count_people() == 1


def test_nobody_is_counted_twice_in_the_country_on_a_travel_day(iran_today):
    # Yesterday Dana left Tehran for Isfahan: two of her stops cover the day. It was also
    # the last day of Erlan's ended trip.
    assert Stop.objects.present_in("IR", on=days(-1)).count_people() == 3 + 1 + 2 + 1


def test_presence_in_a_country_nobody_is_in(iran_today):
    assert Stop.objects.present_in("IL").count_people() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
def test_the_presence_query_uses_its_index_on_postgresql():
    owner = make_user("many@example.com")
    trips = Trip.objects.bulk_create(Trip(owner=owner, kind="tourism", status="current") for _ in range(2000))
    countries = ["IR", "IL", "TR", "AE", "GE", "DE", "US", "KR", "CN", "RU"]
    Stop.objects.bulk_create(
        Stop(
            trip=trip,
            country=countries[index % len(countries)],
            city="City",
            arrival_date=days(-(index % 50)),
            departure_date=days(index % 30),
        )
        for index, trip in enumerate(trips)
    )
    queryset = Stop.objects.present_in("IR", on=days(0))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registrations_stop")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Either index on the country: registrations_stop_city_idx leads with it too.
    assert "registrations_presence_idx" in plan or "registrations_stop_city_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # VACUUM, as autovacuum would, runs outside a transaction
def test_the_city_filters_choices_are_read_from_an_index_alone_on_postgresql(hq_client):
    # At a million stops, reading every stop of a big country and its trip for the choices took 300 ms.
    owner = make_user("many@example.com")
    trips = Trip.objects.bulk_create(Trip(owner=owner, kind="tourism", status="current") for _ in range(2000))
    Stop.objects.bulk_create(
        Stop(trip=trip, country="IR", city=f"City {index % 7}", arrival_date=days(-1), departure_date=days(index % 30))
        for index, trip in enumerate(trips)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registrations_stop")
    with CaptureQueriesContext(connection) as queries:
        listing = hq_client.get("/admin/registrations/presence/", {"country": "IR"})
    assert "City 6" in listing.text
    (sql,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT DISTINCT "registrations_stop"."city"')
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using registrations_stop_city_idx" in plan, plan
