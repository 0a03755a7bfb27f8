"""The scoping matrix, extended to what a list can be asked: place filters, search terms, lookups, ordering.

A mission officer in Tehran sees Arman (in Iran). Arman has a second trip, to Haifa, that the Tehran
officer must not know about. Every personal-data list, filtered by a place of that other trip, searched
for the value of any searchable field of anyone out of scope, or asked a lookup across a relation, must
answer as if that trip and those people did not exist.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR

from registrations.admin.mixins import ScopedAdminMixin
from registrations.models import Stop
from registrations.tests.factories import days, make_trip
from registrations.tests.staff_search import search

pytestmark = pytest.mark.django_db

PLACE_FILTERS = ["country", "region", "city"]


def _personal_admins():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdminMixin) and model._meta.app_label == "registrations"
    ]


def _changelist_url(model_admin):
    opts = model_admin.model._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/"


def _parameters(model_admin):
    return {getattr(item, "parameter_name", None) for item in model_admin.list_filter}


@pytest.fixture
def haifa_trip(world):
    """Arman, whom the Tehran officer sees because of Iran, also goes to Haifa on another trip."""
    trip = make_trip(world.in_iran.user, ("IL", "IL-HA", days(40), days(45)))
    Stop.objects.filter(trip=trip).update(city="Haifa")
    return trip


@pytest.fixture
def tehran(staff_client, tehran_officer):
    return staff_client(tehran_officer)


@pytest.mark.parametrize(
    "params", [{"city": "Haifa"}, {"region": "IL-HA"}, {"country": "IL"}, {"country": "IL", "city": "Haifa"}]
)
def test_filtering_by_a_place_of_a_trip_out_of_scope_learns_nothing(tehran, world, haifa_trip, params):
    checked = 0
    for model_admin in _personal_admins():
        if not set(params) <= _parameters(model_admin):
            continue
        response = tehran.get(_changelist_url(model_admin), params)
        assert response.status_code == 200, _changelist_url(model_admin)
        assert list(response.context["cl"].result_list) == [], (_changelist_url(model_admin), params)
        checked += 1
    assert checked >= 4  # profiles, household members, trips, stops, people present


def test_filtering_by_a_place_of_the_visible_trip_still_finds_the_citizen(tehran, world, haifa_trip):
    response = tehran.get("/admin/registrations/citizenprofile/", {"city": "Tehran"})

    assert [profile.pk for profile in response.context["cl"].result_list] == [world.in_iran.profile.pk]


@pytest.mark.parametrize(("name", "value"), [("city", "x" * 101), ("region", "IL-HAIFA"), ("country", "ISR")])
def test_a_place_filter_that_is_no_place_is_refused_like_any_malformed_filter(tehran, world, name, value):
    response = tehran.get("/admin/registrations/citizenprofile/", {name: value})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def _field_values(model, path, queryset):
    return {str(value) for value in queryset.values_list(path, flat=True) if value not in (None, "")}


def test_no_search_term_over_any_field_finds_anyone_out_of_scope(tehran, tehran_officer, world, haifa_trip):
    """Every search field of every personal-data list, searched for the values it holds out of scope."""
    searched = 0
    for model_admin in _personal_admins():
        if not model_admin.search_fields:
            continue
        model = model_admin.model
        if tehran.get(_changelist_url(model_admin)).status_code != 200:
            continue  # a list the officer may not open at all
        visible = set(model._default_manager.visible_to(tehran_officer).values_list("pk", flat=True))
        hidden = model._default_manager.exclude(pk__in=visible)
        for field in model_admin.search_fields:
            path = field.lstrip("^=@")
            for value in sorted(_field_values(model, path, hidden))[:5]:
                response = search(tehran, _changelist_url(model_admin), value)
                assert response.status_code == 200
                found = {row.pk for row in response.context["cl"].result_list}
                assert found <= visible, (_changelist_url(model_admin), field)
                searched += 1
    assert searched > 10


def test_a_lookup_across_a_relation_to_rows_out_of_scope_is_refused(tehran, world, haifa_trip):
    # A household member's trips include the Haifa trip, which the officer must not see. Django's
    # lookup_allowed refuses a lookup past a related row's key; this guards that it stays so.
    response = tehran.get("/admin/registrations/householdmember/", {"trips__kind": haifa_trip.kind})
    assert response.status_code == 400
    response = tehran.get("/admin/registrations/citizenprofile/", {"user__trips__stops__city": "Haifa"})
    assert response.status_code == 400


def test_the_lists_own_filters_still_cross_relations(staff_client, superuser, world):
    client = staff_client(superuser)

    response = client.get("/admin/registrations/user/", {"groups__id__exact": "1"})

    assert response.status_code == 200


def test_every_ordering_of_every_list_shows_only_rows_in_scope(tehran, tehran_officer, world, haifa_trip):
    for model_admin in _personal_admins():
        request_url = _changelist_url(model_admin)
        visible = set(model_admin.model._default_manager.visible_to(tehran_officer).values_list("pk", flat=True))
        for index in range(len(model_admin.list_display)):
            for direction in ("", "-"):
                response = tehran.get(request_url, {ORDER_VAR: f"{direction}{index}"})
                if response.status_code != 200:
                    continue  # a list the officer may not open at all
                assert {row.pk for row in response.context["cl"].result_list} <= visible, (request_url, index)
