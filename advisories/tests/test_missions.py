"""Missions as staff keep them: since when a mission's operating status holds."""

from datetime import UTC, datetime

import pytest

from advisories import services
from advisories.models import Mission, MissionKind, OperatingStatus

pytestmark = pytest.mark.django_db

OPENED = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2030, 3, 5, 16, 30, tzinfo=UTC)


@pytest.fixture
def mission(tehran, time_machine):
    """The embassy in Tehran, its status dated OPENED; the clock now shows LATER."""
    tehran.status_changed_at = OPENED
    tehran.save()
    time_machine.move_to(LATER, tick=False)
    return tehran


def test_a_new_mission_is_dated(time_machine):
    time_machine.move_to(OPENED, tick=False)
    mission = Mission(
        name="Embassy in Baku", kind=MissionKind.EMBASSY, country="AZ", city="Baku", address="1 Example Street"
    )

    services.save_mission(mission=mission, changed_fields=["name", "kind", "country", "city", "address"])

    mission.refresh_from_db()
    assert mission.status_changed_at == OPENED


@pytest.mark.parametrize(
    ("field", "value"), [("operating_status", OperatingStatus.SUSPENDED), ("status_note", "Closed on Friday.")]
)
def test_a_new_status_or_note_is_dated(mission, field, value):
    setattr(mission, field, value)

    services.save_mission(mission=mission, changed_fields=[field])

    mission.refresh_from_db()
    assert getattr(mission, field) == value
    assert mission.status_changed_at == LATER


def test_other_changes_keep_the_date_of_the_status(mission):
    mission.address = "2 Example Street, Tehran"

    services.save_mission(mission=mission, changed_fields=["address"])

    mission.refresh_from_db()
    assert mission.address == "2 Example Street, Tehran"
    assert mission.status_changed_at == OPENED
