"""The staff's counts: how many of our people are where today, of which kind of stay, how fresh; and who."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registrations.models import Stop
from registrations.models.trips import TripStatus
from registrations.services import counts
from registrations.tests.factories import days, make_member, make_officer, make_trip, make_user, sign_in_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]


def make_stay(owner, country, region, city, arrival, departure, **trip_fields):
    trip = make_trip(owner, (country, region, arrival, departure), **trip_fields)
    trip.stops.update(city=city)
    return trip


def confirmed(days_ago):
    return timezone.now() - timedelta(days=days_ago)


@pytest.fixture
def abroad_today():
    """Hand-counted. Iran today: 5 people (3 citizens, 2 household members), Israel: 1.

    Iran, Tehran province (IR-23): Aigerim with her husband and son in Tehran (tourism, confirmed
    today), Bolat living in Rey (residence, confirmed 200 days ago). Isfahan (IR-10): Dana in
    Isfahan (business, confirmed 45 days ago). Not counted: Erlan's cancelled trip, Farida's trip
    that ended yesterday, Gani's that starts tomorrow. Israel, Tel Aviv (IL-TA): Zhanna (study).
    """
    aigerim = make_user("aigerim@example.com")
    husband = make_member(aigerim, "Husband", relationship="spouse", citizenship="TR")
    son = make_member(aigerim, "Son")
    make_member(aigerim, "Mother stays home", relationship="parent")
    make_stay(aigerim, "IR", "IR-23", "Tehran", days(-3), days(4), travellers=[husband, son])
    # An overlapping second registration of the same family: still three people.
    make_stay(aigerim, "IR", "IR-23", "Tehran", days(-1), days(1), travellers=[son])
    make_stay(
        make_user("bolat@example.com"),
        "IR",
        "IR-23",
        "Rey",
        days(-400),
        None,
        kind="residence",
        last_confirmed_at=confirmed(200),
    )
    make_stay(
        make_user("dana@example.com"),
        "IR",
        "IR-10",
        "Isfahan",
        days(-10),
        days(10),
        kind="business",
        last_confirmed_at=confirmed(45),
    )
    erlan = make_user("erlan@example.com")
    make_stay(erlan, "IR", "IR-23", "Tehran", days(-1), days(5), status=TripStatus.CANCELLED)
    make_stay(make_user("farida@example.com"), "IR", "IR-23", "Tehran", days(-9), days(-1))
    make_stay(make_user("gani@example.com"), "IR", "IR-10", "Isfahan", days(1), days(9))
    make_stay(make_user("zhanna@example.com"), "IL", "IL-TA", "Tel Aviv", days(-30), days(200), kind="study")


def kinds(row):
    return {kind: people for kind, _label, people in row.by_kind if people}


def test_people_present_today_by_country(abroad_today):
    iran, israel = counts.presence_by_country(Stop.objects.all(), days(0))

    assert (iran.country, iran.people, iran.household_members) == ("IR", 5, 2)
    assert str(iran.country_name) == "Iran"
    assert kinds(iran) == {"tourism": 3, "business": 1, "residence": 1}
    assert (iran.fresh, iran.recent, iran.stale) == (3, 1, 1)
    assert (israel.country, israel.people, israel.household_members) == ("IL", 1, 0)
    assert kinds(israel) == {"study": 1}
    assert (israel.fresh, israel.recent, israel.stale) == (1, 0, 0)


def test_everybody_abroad_is_counted_once(abroad_today):
    total = counts.presence_total(Stop.objects.all(), days(0))

    assert (total.people, total.household_members, total.fresh, total.recent, total.stale) == (6, 2, 4, 1, 1)


def test_people_in_the_regions_of_a_country(abroad_today):
    tehran, isfahan = counts.presence_by_region(Stop.objects.all(), "IR", days(0))

    assert (tehran.region, tehran.region_name, tehran.people, tehran.household_members) == (
        "IR-23",
        "Tehrān",
        4,
        2,
    )
    assert kinds(tehran) == {"tourism": 3, "residence": 1}
    assert (tehran.fresh, tehran.recent, tehran.stale) == (3, 0, 1)
    assert (isfahan.region, isfahan.people, kinds(isfahan)) == ("IR-10", 1, {"business": 1})
    assert (isfahan.fresh, isfahan.recent, isfahan.stale) == (0, 1, 0)
    assert counts.presence_in(Stop.objects.all(), "IR", days(0)).people == 5


def test_people_in_the_cities_of_a_region(abroad_today):
    tehran, rey = counts.presence_by_city(Stop.objects.all(), "IR", "IR-23", days(0))

    assert (tehran.city, tehran.people, tehran.household_members, kinds(tehran)) == ("Tehran", 3, 2, {"tourism": 3})
    assert (rey.city, rey.people, rey.household_members, kinds(rey)) == ("Rey", 1, 0, {"residence": 1})
    assert counts.presence_in(Stop.objects.all(), "IR", days(0), region="IR-23").people == 4


def test_stops_without_a_region_have_their_own_row():
    make_stay(make_user("someone@example.com"), "IR", "", "Tabriz", days(-1), days(1))

    (row,) = counts.presence_by_region(Stop.objects.all(), "IR", days(0))
    (city,) = counts.presence_by_city(Stop.objects.all(), "IR", "", days(0))

    assert (row.region, row.people, city.city, city.people) == ("", 1, "Tabriz", 1)


def test_counts_on_another_day(abroad_today):
    rows = {row.country: row.people for row in counts.presence_by_country(Stop.objects.all(), days(1))}
    # Tomorrow: Aigerim's family (3), Bolat, Dana and Gani; Zhanna in Israel.
    assert rows == {"IR": 6, "IL": 1}


@pytest.mark.parametrize("offset", [-1, 0, 1, 10])
def test_country_totals_agree_with_the_presence_query(abroad_today, offset):
    # Dana leaves Isfahan for Tehran today: two stops in Iran on a travel day, one person.
    dana_trip = Stop.objects.get(city="Isfahan", trip__owner__email="dana@example.com").trip
    Stop.objects.filter(trip=dana_trip).update(departure_date=days(0))
    Stop.objects.create(trip=dana_trip, position=1, country="IR", region="IR-23", city="Tehran", arrival_date=days(0))

    for row in counts.presence_by_country(Stop.objects.all(), days(offset)):
        assert row.people == Stop.objects.present_in(row.country, on=days(offset)).count_people()
        assert (
            sum(region.people for region in counts.presence_by_region(Stop.objects.all(), row.country, days(offset)))
            >= row.people
        )


# The admin pages.


def table_rows(html):
    """{place: [numbers...]} of the counts table, as a person reads it."""

    def text(fragment):
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    (table,) = re.findall(r'<table class="counts-table">.*?</table>', html, re.S)
    return {
        text(place): [int(number) for number in text(cells).split()]
        for place, cells in re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', table, re.S)
    }


def test_the_admin_index_shows_the_counts_with_links_to_the_people(client, abroad_today, superuser):
    sign_in_staff(client, superuser)

    page = client.get("/admin/")

    text = unescape(page.text)
    assert page.status_code == 200
    assert "People abroad on" in text
    assert "<caption>People present on" in text
    assert '<a href="/admin/counts/IR/">Iran</a>' in text
    assert '<a href="/admin/counts/IL/">Israel</a>' in text
    assert text.index("Iran") < text.index("Israel"), "the most people first"
    assert 'href="/static/css/staff.css"' in text
    assert table_rows(page.text) == {
        "Iran": [5, 2, 3, 1, 0, 0, 1, 0, 3, 1, 1],
        "Israel": [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0],
        "All countries": [6, 2, 3, 1, 1, 0, 1, 0, 4, 1, 1],
    }
    # The dashboard comes before the list of models.
    assert text.index('id="counts-heading"') < text.index('class="app-registrations')


def test_every_total_links_to_the_presence_list_of_its_place(client, abroad_today, superuser):
    sign_in_staff(client, superuser)

    index = unescape(client.get("/admin/").text)
    country = unescape(client.get("/admin/counts/IR/").text)
    region = unescape(client.get("/admin/counts/IR/IR-23/").text)

    assert 'href="/admin/registrations/presence/?country=IR"' in index
    assert 'href="/admin/registrations/presence/?country=IR&region=IR-23"' in country
    assert 'href="/admin/registrations/presence/?country=IR&region=IR-23&city=Tehran"' in region


def test_the_drill_down_goes_from_a_country_to_its_regions_and_their_cities(client, abroad_today, superuser):
    sign_in_staff(client, superuser)

    country = client.get("/admin/counts/ir/")
    region = client.get("/admin/counts/IR/IR-23/")

    assert country.status_code == region.status_code == 200
    country_text, region_text = unescape(country.text), unescape(region.text)
    assert "People in Iran" in country_text
    assert '<a href="/admin/counts/IR/IR-23/">Tehrān</a>' in country_text
    assert '<a href="/admin/counts/IR/IR-10/">Eşfahān</a>' in country_text
    assert "People in Tehrān, Iran" in region_text
    assert '<a href="/admin/counts/IR/">Iran</a>' in region_text
    # People, household members, tourism, business, study, work, residence, other, then freshness.
    assert table_rows(country.text) == {
        "Tehrān IR-23": [4, 2, 3, 0, 0, 0, 1, 0, 3, 0, 1],
        "Eşfahān IR-10": [1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0],
        "Whole country": [5, 2, 3, 1, 0, 0, 1, 0, 3, 1, 1],
    }
    assert table_rows(region.text) == {
        "Tehran": [3, 2, 3, 0, 0, 0, 0, 0, 3, 0, 0],
        "Rey": [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
        "Whole region": [4, 2, 3, 0, 0, 0, 1, 0, 3, 0, 1],
    }
    assert client.get("/admin/counts/XX/").status_code == 404
    assert client.get("/admin/counts/IR/IL-TA/").status_code == 404


def test_the_day_is_chosen_with_a_plain_form(client, abroad_today, superuser):
    sign_in_staff(client, superuser)

    tomorrow = client.get(f"/admin/counts/IR/?on={days(1).isoformat()}")
    wrong = client.get("/admin/counts/IR/?on=not-a-date")

    assert f'name="on" id="id_on" value="{days(1).isoformat()}"' in tomorrow.text
    assert f'href="/admin/counts/IR/IR-23/?on={days(1).isoformat()}"' in tomorrow.text
    assert '<form method="get"' in tomorrow.text
    assert "This is not a date" in wrong.text
    assert f'value="{days(0).isoformat()}"' in wrong.text


def test_staff_who_may_not_see_personal_data_see_no_counts(client, abroad_today, staff_without_role):
    sign_in_staff(client, staff_without_role)

    assert "People abroad on" not in client.get("/admin/").text
    assert client.get("/admin/counts/IR/").status_code == 403


def test_citizens_and_unverified_staff_do_not_reach_the_counts(client, abroad_today):
    client.force_login(make_user("curious@example.com"))
    assert client.get("/admin/counts/IR/").status_code == 302
    staff, _device = make_officer("half-signed-in@example.gov.kz", is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/counts/IR/").status_code == 302


def add_travellers(count, country, region):
    for number in range(count):
        owner = make_user(f"traveller-{country}-{number}@example.com")
        member = make_member(owner, "Child")
        make_stay(owner, country, region, f"City {number}", days(-number), days(number + 1), travellers=[member])


@pytest.mark.parametrize("path", ["/admin/", "/admin/counts/IR/", "/admin/counts/IR/IR-23/"])
def test_the_counts_cost_the_same_number_of_queries_whatever_the_data(
    client, abroad_today, superuser, path, django_assert_max_num_queries
):
    sign_in_staff(client, superuser)
    client.get(path)  # Warm up: sessions, content types.

    with CaptureQueriesContext(connection) as few:
        client.get(path)
    add_travellers(12, "IR", "IR-23")
    add_travellers(5, "TR", "TR-34")
    add_travellers(5, "AE", "")
    with django_assert_max_num_queries(10):
        response = client.get(path)

    assert response.status_code == 200
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("officer", "country", "mine", "other"),
    [("tehran_officer", "IR", "Iran", "IL"), ("tel_aviv_officer", "IL", "Israel", "IR")],
)
def test_a_mission_officer_counts_only_their_jurisdiction(client, abroad_today, request, officer, country, mine, other):
    sign_in_staff(client, request.getfixturevalue(officer))

    index = client.get("/admin/")
    elsewhere = client.get(f"/admin/counts/{other}/")

    expected = {"IR": [5, 2, 3, 1, 0, 0, 1, 0, 3, 1, 1], "IL": [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]}[country]
    assert table_rows(index.text) == {mine: expected, "All countries": expected}
    assert elsewhere.status_code == 200
    assert table_rows(elsewhere.text) == {}
    assert "Nobody is registered as present on this day." in elsewhere.text


def test_the_board_is_recounted_by_the_worker_right_after_a_registration(
    client, abroad_today, superuser, django_capture_on_commit_callbacks
):
    sign_in_staff(client, superuser)
    first = client.get("/admin/")
    assert table_rows(first.text)["Iran"][0] == 5
    assert "Counted at" in first.text

    with django_capture_on_commit_callbacks(execute=True):  # the task runs once the registration commits
        make_stay(make_user("late.arrival@example.com"), "IR", "IR-23", "Tehran", days(-1), days(5))

    assert table_rows(client.get("/admin/").text)["Iran"][0] == 6
    assert table_rows(client.get("/admin/counts/IR/").text)["Whole country"][0] == 6


def test_reading_the_board_costs_no_count_once_it_is_kept(client, abroad_today, superuser):
    sign_in_staff(client, superuser)
    client.get("/admin/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")

    assert not [query for query in queries.captured_queries if "registrations_stop" in query["sql"]]


def test_a_change_nobody_announced_is_counted_once_the_board_is_a_minute_old(
    client, abroad_today, superuser, time_machine, settings, django_capture_on_commit_callbacks
):
    sign_in_staff(client, superuser)
    client.get("/admin/")
    Stop.objects.filter(trip__owner__email="dana@example.com").update(departure_date=days(-1))  # no signal
    assert table_rows(client.get("/admin/").text)["Iran"][0] == 5

    time_machine.shift(timedelta(seconds=settings.STAFF_COUNTS_CACHE_SECONDS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/admin/")  # shows the old board and asks for a recount

    assert table_rows(client.get("/admin/").text)["Iran"][0] == 4


def test_a_mission_officer_never_sees_the_board_counted_for_headquarters(
    client, abroad_today, superuser, tehran_officer
):
    sign_in_staff(client, superuser)
    assert "Israel" in table_rows(client.get("/admin/").text)
    client.logout()

    sign_in_staff(client, tehran_officer)

    assert set(table_rows(client.get("/admin/").text)) == {"Iran", "All countries"}
