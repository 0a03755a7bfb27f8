import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.geography import is_region_of
from registrations.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from registrations.demo.citizens import PLACES
from registrations.models import CitizenProfile, Stop, Trip
from registrations.national_ids import KazakhIin

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates(settings):
    settings.DEBUG = True

    call_command("load_demo_data", stdout=None)
    counts = get_user_model().objects.count()
    call_command("load_demo_data", stdout=None)

    assert get_user_model().objects.count() == counts >= len(DEMO_ACCOUNTS)
    assert get_user_model().objects.get(email="citizen@example.com").check_password(DEMO_PASSWORD)


def test_demo_data_refuses_to_run_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
    assert not get_user_model().objects.exists()


def test_demo_citizens_are_plausible_and_present_where_crises_are_drilled(settings, now):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=None)

    assert CitizenProfile.objects.count() >= 300
    assert Stop.objects.present_in("IR").count_people() >= 50
    assert Stop.objects.present_in("IL").count_people() >= 150
    assert Stop.objects.filter(departure_date__isnull=True).exists()  # residents
    assert Trip.objects.filter(status="ended").exists()
    iin = KazakhIin()
    for national_id, born in CitizenProfile.objects.values_list("national_id", "date_of_birth"):
        iin.validate(national_id, date_of_birth=born)
    assert all(is_region_of(region, country) for country, places in PLACES.items() for region, _city in places)

    citizen = get_user_model().objects.get(email="citizen@example.com")
    assert citizen.citizen_profile.national_id
    assert citizen.household_members.count() == 2
    assert citizen.trips.current_or_upcoming(today=timezone.localdate()).exists()
