"""The JSON API as a client program meets it over HTTP (requests, against a live server): problem details for
every error with the right status, pages with links, the language asked for."""

import pytest
import requests

from advisories.models import Mission
from advisories.tests.factories import make_mission, make_published_advisory

pytestmark = pytest.mark.django_db(transaction=True)

PROBLEM = "application/problem+json"


@pytest.fixture
def api(live_server, settings):
    settings.SITE_URL = live_server.url
    session = requests.Session()

    def call(method, path, **kwargs):
        return session.request(method, live_server.url + path, timeout=10, allow_redirects=False, **kwargs)

    return call


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("http") and "#problem-" in body["type"]
    assert body["title"] and body["instance"]
    return body


def test_an_unknown_country_and_a_country_without_advisory_are_json_404s(api):
    make_published_advisory("IR", level=4)

    unknown = problem(api("GET", "/api/v1/advisories/zz/"), 404)
    without = problem(api("GET", "/api/v1/advisories/fr/"), 404)
    nowhere = problem(api("GET", "/api/v1/nothing-here/"), 404)

    assert unknown["type"].endswith("#problem-unknown-country")
    assert without["type"].endswith("#problem-no-advisory")
    assert nowhere["type"].endswith("#problem-not-found")
    assert "<html" not in api("GET", "/api/v1/advisories/zz/").text


def test_invalid_parameters_are_a_400_naming_each(api):
    response = api("GET", "/api/v1/advisories/", params={"level": "7", "page": "first", "sort": "name"})

    body = problem(response, 400)
    assert body["type"].endswith("#problem-invalid-parameters")
    assert {param["name"] for param in body["invalid_params"]} == {"sort"}  # unknown parameters first
    body = problem(api("GET", "/api/v1/advisories/", params={"level": "7"}), 400)
    assert [param["name"] for param in body["invalid_params"]] == ["level"]
    body = problem(api("GET", "/api/v1/missions/", params={"per_page": "0"}), 400)
    assert [param["name"] for param in body["invalid_params"]] == ["per_page"]
    body = problem(api("GET", "/api/v1/missions/", params={"serves": "TR-99"}), 400)
    assert [param["name"] for param in body["invalid_params"]] == ["serves"]
    body = problem(api("GET", "/api/v1/advisories/", params={"lang": "de"}), 400)
    assert [param["name"] for param in body["invalid_params"]] == ["lang"]


def test_a_post_is_a_json_405_not_a_csrf_page(api):
    make_published_advisory("IR", level=4)

    for path in ["/api/v1/advisories/", "/api/v1/advisories/ir/", "/api/v1/missions/"]:
        response = api("POST", path, data={"level": "1"})
        body = problem(response, 405)
        assert response.headers["Allow"] == "GET, HEAD"
        assert "CSRF" not in response.text
        assert body["type"].endswith("#problem-method-not-allowed")
    assert api("DELETE", "/api/v1/advisories/ir/").status_code == 405


def test_problems_speak_the_language_asked_for(api):
    response = api("GET", "/api/v1/advisories/zz/", headers={"Accept-Language": "kk"})

    assert response.headers["Content-Language"] == "kk"
    assert problem(response, 404)["title"] != "Unknown country"


def test_lists_come_in_pages_with_links_in_the_body_and_the_link_header(api):
    for city in ["Tehran", "Mashhad", "Tabriz", "Shiraz", "Isfahan"]:
        make_mission("IR", city, ("IR",), name=f"Mission in {city}")

    first = api("GET", "/api/v1/missions/", params={"per_page": 2})
    second = api("GET", first.json()["links"]["next"].replace(first.url.split("/api/")[0], ""))
    last = api("GET", "/api/v1/missions/", params={"per_page": 2, "page": 3})
    beyond = api("GET", "/api/v1/missions/", params={"per_page": 2, "page": 4})

    body = first.json()
    assert (body["count"], body["page"], body["pages"], body["per_page"]) == (5, 1, 3, 2)
    assert len(body["missions"]) == 2
    assert set(body["links"]) == {"self", "first", "last", "next"}
    assert 'rel="next"' in first.headers["Link"] and 'rel="last"' in first.headers["Link"]
    assert second.json()["page"] == 2 and set(second.json()["links"]) >= {"prev", "next"}
    assert len(last.json()["missions"]) == 1 and "next" not in last.json()["links"]
    assert problem(beyond, 404)["type"].endswith("#problem-page-not-found")
    everyone = {mission["id"] for page in (first, second, last) for mission in page.json()["missions"]}
    assert everyone == set(Mission.objects.values_list("pk", flat=True))


def test_the_answer_is_in_the_language_asked_and_content_language_is_true(api):
    make_published_advisory("IR", level=4, summary="Do not travel.")

    kazakh = api("GET", "/api/v1/advisories/ir/", headers={"Accept-Language": "kk-KZ, ru;q=0.8"})
    russian = api("GET", "/api/v1/advisories/ir/", params={"lang": "ru"}, headers={"Accept-Language": "kk"})
    default = api("GET", "/api/v1/advisories/ir/", headers={"Accept-Language": "de"})

    assert (kazakh.headers["Content-Language"], kazakh.json()["country_name"]) == ("kk", "Иран")
    assert kazakh.json()["fallbacks"] == {"summary": "en", "change_note": "en"}
    assert russian.headers["Content-Language"] == "ru"
    assert (default.headers["Content-Language"], default.json()["country_name"]) == ("en", "Iran")
    assert "Accept-Language" in kazakh.headers["Vary"]


def test_missions_that_serve_a_region_closest_first(api):
    make_mission("TR", "Istanbul", ("TR-34",), kind="consulate_general", name="Consulate General in Istanbul")
    make_mission("TR", "Ankara", ("TR-06", "TR-07"), name="Embassy in Ankara")
    make_mission("AZ", "Baku", ("AZ", "TR"), name="Embassy in Baku")

    istanbul = api("GET", "/api/v1/missions/", params={"serves": "TR-34"}).json()["missions"]
    host = api("GET", "/api/v1/missions/", params={"country": "TR"}).json()["missions"]

    assert [mission["name"] for mission in istanbul] == ["Consulate General in Istanbul", "Embassy in Baku"]
    assert istanbul[0]["jurisdiction"] == ["TR-34"]
    assert {mission["name"] for mission in host} == {"Consulate General in Istanbul", "Embassy in Ankara"}
