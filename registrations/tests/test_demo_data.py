import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from registrations.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

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
