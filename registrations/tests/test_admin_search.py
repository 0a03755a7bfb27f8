"""Staff find a citizen by the exact national ID, although the numbers are stored encrypted."""

import pytest

from registrations.tests.staff_search import search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["citizenprofile", "trip", "presence"])
def test_the_exact_national_id_finds_the_citizen(world, hq_client, model):
    national_id = world.in_israel.profile.national_id
    spaced = f"{national_id[:6]} {national_id[6:]}"

    for term in [national_id, spaced, f" {national_id} "]:
        response = search(hq_client, f"/admin/registrations/{model}/", term)
        assert response.status_code == 200
        assert "zarina.israel@example.com" in response.text or "YAFFOVA" in response.text
        assert "arman.iran@example.com" not in response.text


def test_part_of_a_national_id_finds_nobody(world, hq_client):
    national_id = world.in_israel.profile.national_id
    response = search(hq_client, "/admin/registrations/citizenprofile/", national_id[:8])
    assert "YAFFOVA" not in response.text


def test_lists_show_identifiers_masked(world, hq_client):
    profile = world.in_israel.profile
    response = hq_client.get("/admin/registrations/citizenprofile/")
    assert profile.national_id not in response.text
    assert profile.passport_number not in response.text
    assert profile.national_id[-4:] in response.text
    presence = hq_client.get("/admin/registrations/presence/")
    assert profile.national_id not in presence.text
    assert profile.national_id[-4:] in presence.text


def test_a_mission_officer_finds_nobody_outside_the_jurisdiction_by_national_id(world, tehran_officer, staff_client):
    client = staff_client(tehran_officer)
    outside = search(client, "/admin/registrations/citizenprofile/", world.in_israel.profile.national_id)
    assert "YAFFOVA" not in outside.text
    inside = search(client, "/admin/registrations/citizenprofile/", world.in_iran.profile.national_id)
    assert "TEHRANIOV" in inside.text
