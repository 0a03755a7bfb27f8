"""Each admin list page of registrations costs the same number of queries for 1 row and for 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import roles
from registrations.models import StaffAssignment
from registrations.tests.factories import days, make_citizen, make_officer

pytestmark = pytest.mark.django_db

LISTS = [
    "/admin/registrations/citizenprofile/",
    "/admin/registrations/householdmember/",
    "/admin/registrations/trip/",
    "/admin/registrations/stop/",
    "/admin/registrations/presence/",
    "/admin/registrations/presence/?country=IR&region=IR-23&city=Tehran",
    "/admin/registrations/user/",
    "/admin/registrations/auditevent/",
    "/admin/registrations/staffassignment/",
]


def _citizens(start, count):
    for number in range(start, start + count):
        make_citizen(
            f"person{number}@example.com",
            f"SURNAME{number}",
            "GIVEN",
            [f"Child {number}", f"Spouse {number}"],
            ("IR", "IR-23", days(-2), days(5)),
            city="Tehran",
        )


def _queries(client, url):
    client.get(url)  # the content types' cache, filled by the first audit event, must not count
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_page_costs_the_same_for_1_and_20_rows(url, superuser, staff_client, missions):
    client = staff_client(superuser)
    mission = missions.tehran
    _citizens(0, 1)
    _officer, _device = make_officer("officer0@mfa.example.gov.kz", roles.MISSION_OFFICER, mission=mission)
    client.get("/admin/registrations/trip/")  # audit events to list
    one = _queries(client, url)

    _citizens(1, 19)
    for number in range(1, 20):
        staff, _device = make_officer(f"officer{number}@mfa.example.gov.kz", roles.MISSION_OFFICER)
        StaffAssignment.objects.create(user=staff, mission=mission)
        client.get("/admin/registrations/trip/")
    twenty = _queries(client, url)

    assert twenty == one, f"{url}: {one} queries for one row, {twenty} for twenty"


def test_a_mission_officers_list_costs_the_same_for_1_and_20_rows(tehran_officer, staff_client):
    client = staff_client(tehran_officer)
    _citizens(0, 1)
    counts_one = {url: _queries(client, url) for url in LISTS[:6]}
    _citizens(1, 19)
    counts_twenty = {url: _queries(client, url) for url in LISTS[:6]}
    assert counts_twenty == counts_one
