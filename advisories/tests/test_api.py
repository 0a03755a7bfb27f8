# ruff: noqa: RUF001 - Kazakh and Russian texts: Cyrillic letters are meant.
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advisories.models import AdvisoryEdition, MissionPhone, OperatingStatus, PhoneKind
from advisories.tests.factories import make_mission, make_published_advisory

pytestmark = pytest.mark.django_db

ADVISORIES = "/api/v1/advisories/"
MISSIONS = "/api/v1/missions/"


def test_the_list_gives_each_published_advisory_with_iso_codes_in_english_by_default(client):
    make_published_advisory(
        "IR", level=3, summary="Reconsider travel.", regions=[("IR-23", 4, "Armed clashes near the border.")]
    )
    make_published_advisory("TR", level=2)

    response = client.get(ADVISORIES)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Language"] == "en"
    iran = response.json()["advisories"][0]
    assert iran["country_code"] == "IR"
    assert iran["country_name"] == "Iran"
    assert (iran["level"], iran["level_label"], iran["summary"]) == (3, "Reconsider travel", "Reconsider travel.")
    assert iran["regions"] == [
        {
            "code": "IR-23",
            "name": iran["regions"][0]["name"],
            "level": 4,
            "level_label": "Do not travel",
            "reason": "Armed clashes near the border.",
        }
    ]
    assert iran["version"] == 1
    assert iran["published_at"]
    assert iran["url"].endswith("/en/advisories/ir/")
    assert (iran["language"], iran["fallbacks"]) == ("en", {})
    assert [advisory["country_code"] for advisory in response.json()["advisories"]] == ["IR", "TR"]


def test_the_list_answers_in_the_language_asked_and_says_which_texts_fell_back(client):
    iran = make_published_advisory("IR", level=4, summary="Do not travel.", regions=[("IR-11", 4, "Kidnappings.")])
    AdvisoryEdition.objects.filter(pk=iran.current_edition_id).update(summary_kk="Иранға бармаңыз.")

    by_header = client.get(ADVISORIES, HTTP_ACCEPT_LANGUAGE="kk-KZ,kk;q=0.9,ru;q=0.8")
    by_parameter = client.get(ADVISORIES, {"lang": "ru"}, HTTP_ACCEPT_LANGUAGE="kk")

    assert by_header["Content-Language"] == "kk"
    assert "Accept-Language" in by_header["Vary"]
    [kazakh] = by_header.json()["advisories"]
    assert (kazakh["country_name"], kazakh["summary"], kazakh["language"]) == ("Иран", "Иранға бармаңыз.", "kk")
    assert kazakh["url"].endswith("/kk/advisories/ir/")
    # The change note and the region's reason exist in English only: given in English, and said so.
    assert kazakh["fallbacks"] == {"change_note": "en"}
    assert kazakh["regions"][0]["fallbacks"] == {"reason": "en"}
    assert by_parameter["Content-Language"] == "ru"
    [russian] = by_parameter.json()["advisories"]
    assert (russian["country_name"], russian["level_label"]) == ("Иран", "Не совершайте поездку")
    assert russian["fallbacks"]["summary"] == "kk"  # Kazakh comes before English for a Russian reader


def test_one_country_by_its_code(client):
    make_published_advisory("IR", level=4)

    assert client.get(f"{ADVISORIES}ir/").json()["level"] == 4
    assert client.get(f"{ADVISORIES}IR/").json()["country_code"] == "IR"
    assert client.get(f"{ADVISORIES}fr/").status_code == 404


def test_answers_carry_validators_and_short_public_caching(client):
    make_published_advisory("IR", level=4)

    response = client.get(ADVISORIES)

    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]


def test_a_conditional_get_with_the_etag_answers_304(client):
    make_published_advisory("IR", level=4)
    etag = client.get(ADVISORIES)["ETag"]

    response = client.get(ADVISORIES, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_conditional_get_with_the_date_answers_304(client):
    make_published_advisory("IR", level=4)
    last_modified = client.get(f"{ADVISORIES}ir/")["Last-Modified"]

    assert client.get(f"{ADVISORIES}ir/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_new_edition_changes_the_etag(client):
    make_published_advisory("IR", level=3)
    etag = client.get(ADVISORIES)["ETag"]

    make_published_advisory("IR", level=4)

    response = client.get(ADVISORIES, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["advisories"][0]["level"] == 4


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_advisory_list_costs_the_same_queries_for_one_country_or_many(client):
    make_published_advisory("IR", regions=[("IR-23", 4, "Armed clashes near the border.")])
    one = count_queries(client, ADVISORIES)
    for code, region in [("TR", "TR-06"), ("IL", "IL-D"), ("AF", "AF-KAB"), ("SY", "SY-DI")]:
        make_published_advisory(code, regions=[(region, 4, "Armed clashes near the border.")])

    assert count_queries(client, ADVISORIES) == one


def test_missions_with_phones_by_kind_status_and_jurisdiction(client, baku):
    MissionPhone.objects.create(mission=baku, kind=PhoneKind.MAIN, number="+994 12 000 0000")
    baku.latitude, baku.longitude = "40.40930", "49.86710"
    baku.operating_status = OperatingStatus.LIMITED
    baku.status_note = "Consular section by appointment."
    baku.save()

    [data] = client.get(MISSIONS).json()["missions"]

    assert data["kind"] == "embassy"
    assert (data["country_code"], data["country_name"], data["city"]) == ("AZ", "Azerbaijan", "Baku")
    assert data["coordinates"] == {"latitude": 40.4093, "longitude": 49.8671}
    assert data["phones"] == {"emergency": ["+98 21 0000 0000"], "main": ["+994 12 000 0000"]}
    assert data["operating_status"]["code"] == "limited"
    assert data["operating_status"]["label"] == "Limited services"
    assert data["operating_status"]["note"] == "Consular section by appointment."
    assert data["jurisdiction"] == ["AZ", "IR"]


@pytest.mark.usefixtures("tehran")
def test_the_mission_list_costs_the_same_queries_for_one_mission_or_many(client):
    one = count_queries(client, MISSIONS)
    for city in ["Mashhad", "Tabriz", "Shiraz"]:
        make_mission("IR", city, jurisdiction=("IR", "TM", "AF"))

    assert count_queries(client, MISSIONS) == one


@pytest.mark.usefixtures("tehran")
def test_the_mission_list_answers_304_when_unchanged(client):
    first = client.get(MISSIONS)

    assert client.get(MISSIONS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(MISSIONS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_the_api_is_read_only(client):
    assert client.post(ADVISORIES).status_code == 405
