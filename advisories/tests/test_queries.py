import pytest
from django.apps import apps

from advisories.models import Advisory, Mission, MissionKind
from advisories.tests.factories import make_mission, make_published_advisory

pytestmark = pytest.mark.django_db


def test_levels_for_gives_the_published_level_of_each_country():
    make_published_advisory("IR", level=4)
    make_published_advisory("TR", level=2)
    make_published_advisory("TR", level=3)  # a newer edition replaces the old one
    Advisory.objects.create(country="DE")  # never published

    assert Advisory.objects.levels_for(["IR", "TR", "DE", "FR"]) == {"IR": 4, "TR": 3}


def test_the_missions_that_help_in_a_country_come_local_first(baku, tehran):
    make_mission("IL", "Tel Aviv", jurisdiction=("IL",), name="Embassy in Tel Aviv")
    consulate = make_mission(
        "IR", "Mashhad", jurisdiction=("IR", "TM"), kind=MissionKind.CONSULATE_GENERAL, name="Consulate in Mashhad"
    )

    assert list(Mission.objects.serving("IR")) == [tehran, consulate, baku]
    assert list(Mission.objects.serving("TM")) == [consulate]


def test_the_first_mission_serving_each_country_in_one_query(django_assert_num_queries):
    baku = make_mission("AZ", "Baku", jurisdiction=("AZ", "IR", "TM"), name="Embassy in Baku")
    tehran = make_mission("IR", "Tehran", jurisdiction=("IR",), name="Embassy in Tehran")
    make_mission(
        "IR", "Mashhad", jurisdiction=("IR", "TM"), kind=MissionKind.CONSULATE_GENERAL, name="Consulate in Mashhad"
    )

    with django_assert_num_queries(1):
        first = Mission.objects.first_serving_each(["IR", "AZ", "TM", "FR"])

    # The same choice as serving(code).first(), for every country at once.
    assert first == {(code, ""): Mission.objects.serving(code).first() for code in ["IR", "AZ", "TM"]}
    assert first[("IR", "")] == tehran
    assert first[("AZ", "")] == baku


def test_a_mission_for_some_regions_helps_there_before_the_one_for_the_rest_of_the_country(
    django_assert_num_queries,
):
    """A consulate general in Istanbul covers İstanbul and Kocaeli; the embassy in Ankara the other provinces."""
    istanbul = make_mission(
        "TR", "Istanbul", jurisdiction=("TR-34", "TR-41"), kind=MissionKind.CONSULATE_GENERAL, name="CG Istanbul"
    )
    ankara = make_mission("TR", "Ankara", jurisdiction=("TR-06", "TR-07", "TR-35"), name="Embassy in Ankara")
    baku = make_mission("AZ", "Baku", jurisdiction=("AZ", "TR"), name="Embassy in Baku")

    assert list(Mission.objects.serving("TR", "TR-34")) == [istanbul, baku]
    assert list(Mission.objects.serving("TR", "TR-06")) == [ankara, baku]
    # With no region (the country's page): every mission serving some of it, whole-country ones first.
    assert list(Mission.objects.serving("TR")) == [baku, ankara, istanbul]
    places = [("TR", "TR-34"), ("TR", "TR-06"), ("TR", "TR-41"), ("TR", ""), ("TR", "TR-01"), ("AZ", "")]
    with django_assert_num_queries(1):
        first = Mission.objects.first_serving_each(places)
    assert first == {place: Mission.objects.serving(*place).first() for place in places}
    assert first[("TR", "TR-41")] == istanbul
    assert first[("TR", "TR-01")] == baku  # Adana: only the whole-country jurisdiction covers it


@pytest.mark.parametrize(
    "model", list(apps.get_app_config("advisories").get_models()), ids=lambda model: model.__name__
)
def test_the_default_order_is_on_the_models_own_columns(model):
    """Ordering by a foreign key would add a join to every query that does not order itself."""
    assert "JOIN" not in str(model.objects.all().query)
