# ruff: noqa: RUF001 - Kazakh and Russian texts: Cyrillic letters are meant.
"""The CAP 1.2 feed, read back by two independent readers from PyPI.

capvalidator checks each alert against OASIS's CAP 1.2 XSD; cap-tools (xsData
bindings generated from that schema) parses it into typed objects.
"""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import capvalidator
import pytest
from cap_tools.models import Alert, Category, MsgType, Scope, Severity, Status, Urgency
from capvalidator.validate import Validator
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser

from advisories.models import AdvisoryEdition
from advisories.outputs.cap import cap_time
from advisories.tests.factories import make_published_advisory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CAP_FEED = "/advisories/cap.xml"
# CAP's date-time: whole seconds and a numeric offset (never "Z").
CAP_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d")


def schema_errors(document):
    """The XSD's complaint, for a readable failure (capvalidator only says pass or fail)."""
    try:
        etree.fromstring(document, Validator(document).get_schema_parser())
    except etree.XMLSyntaxError as error:
        return str(error)
    return ""


def read_alert(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml"
    document = response.content
    assert capvalidator.check_schema(document).passed, schema_errors(document)
    return XmlParser().from_bytes(document, Alert)


def english(alert):
    """The alert's one <info> in English (the alerts here have one level)."""
    [info] = [info for info in alert.infos if info.language == "en"]
    return info


def alert_links(client):
    response = client.get(CAP_FEED)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]


def local_path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_every_alert_in_the_feed_is_valid_cap_with_the_required_elements(client, settings):
    settings.PORTAL_CAP_SENDER = "consular.example.gov.kz"
    iran = make_published_advisory("IR", level=4, summary="Do not travel to Iran.")
    AdvisoryEdition.objects.filter(pk=iran.current_edition_id).update(risk_indicators=["terrorism", "health"])
    make_published_advisory("AF", level=3)
    make_published_advisory("TR", level=2)

    links = alert_links(client)

    assert sorted(local_path(link) for link in links) == ["/advisories/af/cap.xml", "/advisories/ir/cap.xml"]
    alert = read_alert(client, "/advisories/ir/cap.xml")
    assert alert.identifier == "consular.example.gov.kz:advisory:IR:1"
    assert alert.sender == "consular.example.gov.kz"
    assert CAP_TIME.fullmatch(str(alert.sent))
    assert (alert.status, alert.msg_type, alert.scope) == (Status.ACTUAL, MsgType.ALERT, Scope.PUBLIC)
    assert alert.references is None
    # One <info> per language, English first (for readers that take the first).
    assert [info.language for info in alert.infos] == ["en", "kk", "ru"]
    info = alert.infos[0]
    assert info.expires is None  # it stands as long as the advisory does
    assert info.categories == [Category.SECURITY, Category.HEALTH]
    assert (info.severity, info.urgency) == (Severity.EXTREME, Urgency.IMMEDIATE)
    assert info.headline == "Iran: Do not travel (level 4)"
    assert info.description == "Do not travel to Iran."
    assert info.instruction
    assert info.web.endswith("/en/advisories/ir/")
    [area] = info.areas
    assert area.area_desc == "Iran"
    assert [(code.value_name.value, code.value.value) for code in area.geocodes] == [("ISO 3166-1 alpha-2", "IR")]


def test_level_3_is_severe_and_has_no_risk_category_but_safety(client):
    make_published_advisory("AF", level=3)

    info = english(read_alert(client, "/advisories/af/cap.xml"))

    assert (info.severity, info.urgency, info.categories) == (Severity.SEVERE, Urgency.EXPECTED, [Category.SAFETY])


def test_a_new_edition_is_an_update_that_references_the_previous_alert(client):
    make_published_advisory("IR", level=3)
    first = read_alert(client, "/advisories/ir/cap.xml")

    make_published_advisory("IR", level=4)
    update = read_alert(client, "/advisories/ir/cap.xml")

    assert update.msg_type == MsgType.UPDATE
    assert update.identifier != first.identifier
    [reference] = update.references_to_list()
    assert (reference.sender, reference.identifier) == (first.sender, first.identifier)
    assert str(reference.sent) == str(first.sent)


def test_an_edition_after_a_calm_one_is_a_new_alert(client):
    make_published_advisory("IR", level=2)
    make_published_advisory("IR", level=4)

    assert read_alert(client, "/advisories/ir/cap.xml").msg_type == MsgType.ALERT


def test_a_dangerous_region_of_a_calmer_country_is_an_alert_for_that_region_only(client):
    make_published_advisory("TR", level=2, regions=[("TR-73", 4, "Cross-border attacks.")])

    assert [local_path(link) for link in alert_links(client)] == ["/advisories/tr/cap.xml"]
    info = english(read_alert(client, "/advisories/tr/cap.xml"))
    assert info.severity == Severity.EXTREME
    [area] = info.areas
    assert [(code.value_name.value, code.value.value) for code in area.geocodes] == [("ISO 3166-2", "TR-73")]
    assert "Cross-border attacks." in info.description


def test_a_calm_country_has_no_alert(client):
    make_published_advisory("TR", level=2)

    assert alert_links(client) == []
    assert client.get("/advisories/tr/cap.xml").status_code == 404


def test_cap_times_have_whole_seconds_and_write_utc_as_minus_zero(settings):
    moment = datetime(2026, 11, 25, 5, 0, 0, 123456, tzinfo=UTC)

    assert cap_time(moment) == "2026-11-25T10:00:00+05:00"
    settings.TIME_ZONE = "UTC"
    assert cap_time(moment) == "2026-11-25T05:00:00-00:00"


def test_an_alert_answers_304_when_unchanged(client):
    make_published_advisory("IR", level=4)
    etag = client.get("/advisories/ir/cap.xml")["ETag"]

    assert client.get("/advisories/ir/cap.xml", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_index_cannot_carry_markup_from_the_summary(client):
    make_published_advisory("IR", level=4, summary="<img src=x onerror=alert(1)>")

    feed = ET.fromstring(client.get(CAP_FEED).content)

    assert "<img" not in feed.find(f"{ATOM}entry").findtext(f"{ATOM}summary")


def test_every_language_has_its_info_block_in_it_and_validates(client):
    iran = make_published_advisory("IR", level=4, summary="Do not travel.", regions=[("IR-11", 4, "Kidnappings.")])
    AdvisoryEdition.objects.filter(pk=iran.current_edition_id).update(
        summary_kk="Иранға бармаңыз.", summary_ru="Не совершайте поездок в Иран."
    )

    alert = read_alert(client, "/advisories/ir/cap.xml")

    by_language = {info.language: info for info in alert.infos}
    assert set(by_language) == {"en", "kk", "ru"}
    assert by_language["kk"].description.startswith("Иранға бармаңыз.")
    assert by_language["ru"].description.startswith("Не совершайте поездок в Иран.")
    assert by_language["kk"].web.endswith("/kk/advisories/ir/")
    assert by_language["kk"].areas[0].area_desc == "Иран"
    # The region's reason exists in English only: given so, with a line saying its translation is coming.
    assert "Kidnappings." in by_language["ru"].description
    assert "(" in by_language["ru"].description.split("Kidnappings.")[1]
    assert all(info.expires is None for info in alert.infos)


def test_a_standing_alert_does_not_expire_however_old(client, time_machine):
    time_machine.move_to("2025-01-01 09:00 +05:00")
    make_published_advisory("IR", level=4)
    time_machine.move_to("2026-06-01 09:00 +05:00")

    alert = read_alert(client, "/advisories/ir/cap.xml")

    assert b"<expires>" not in client.get("/advisories/ir/cap.xml").content
    assert alert.msg_type == MsgType.ALERT
    assert [local_path(link) for link in alert_links(client)] == ["/advisories/ir/cap.xml"]


def test_a_country_lowered_below_level_3_publishes_a_cancel_of_its_last_alert(client):
    make_published_advisory("IR", level=3, summary="Reconsider travel.")
    alert = read_alert(client, "/advisories/ir/cap.xml")
    make_published_advisory("IR", level=2, summary="Exercise increased caution.")

    cancel = read_alert(client, "/advisories/ir/cap.xml")  # valid against the XSD, like every alert

    assert cancel.msg_type == MsgType.CANCEL
    assert cancel.identifier != alert.identifier
    [reference] = cancel.references_to_list()
    assert (reference.sender, reference.identifier, str(reference.sent)) == (
        alert.sender,
        alert.identifier,
        str(alert.sent),
    )
    assert {info.language for info in cancel.infos} == {"en", "kk", "ru"}
    english_info = english(cancel)
    assert english_info.urgency == Urgency.PAST
    assert "level 2" in english_info.headline
    # Listed in the index, so that readers holding the alert hear of its end.
    assert [local_path(link) for link in alert_links(client)] == ["/advisories/ir/cap.xml"]


def test_a_cancel_leaves_the_index_after_a_month_and_a_calm_history_has_none(client, time_machine):
    time_machine.move_to("2026-01-01 09:00 +05:00")
    make_published_advisory("IR", level=3)
    make_published_advisory("IR", level=2)
    make_published_advisory("TR", level=1)
    make_published_advisory("TR", level=2)
    time_machine.move_to("2026-03-01 09:00 +05:00")

    assert alert_links(client) == []
    assert client.get("/advisories/tr/cap.xml").status_code == 404


def test_every_alert_of_the_demo_is_valid_and_unexpired(client):
    from io import StringIO

    from django.utils import timezone

    from advisories import demo

    demo.load(stdout=StringIO())

    links = alert_links(client)

    assert len(links) >= 7
    now = timezone.now()
    for link in links:
        alert = read_alert(client, local_path(link))
        for info in alert.infos:
            assert info.expires is None or info.expires.to_datetime() > now
