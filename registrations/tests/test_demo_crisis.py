"""`make run` tells the crisis story: the demo crisis over the demo's people in Iran and Israel."""

import pytest
from django.core.management import call_command

from registrations.demo.crises import NAME
from registrations.models import Broadcast, CheckIn, Crisis, HelpRequest

pytestmark = pytest.mark.django_db


def test_the_demo_opens_a_crisis_with_a_broadcast_in_three_languages_answers_and_help_requests(settings):
    settings.DEBUG = True

    call_command("load_demo_data", stdout=None)
    call_command("load_demo_data", stdout=None)  # loaded once, however often the command runs

    crisis = Crisis.objects.get(name=NAME)
    assert crisis.is_open
    assert set(crisis.areas.values_list("country", flat=True)) == {"IR", "IL"}
    assert set(crisis.people.values_list("country", flat=True)) == {"IR", "IL"}
    (broadcast,) = Broadcast.objects.filter(crisis=crisis)
    assert set(broadcast.texts) == {"kk", "ru", "en"} and broadcast.status == "sent"
    assert broadcast.deliveries.filter(status="delivered").exists()
    answered = crisis.people.exclude(status="not_answered").count()
    assert 0 < answered < crisis.people.count()  # answers coming in, some people still silent
    assert CheckIn.objects.filter(person__crisis=crisis, channel="sms").exists()
    assert HelpRequest.objects.filter(crisis=crisis, owner__isnull=False).exists()
    assert HelpRequest.objects.filter(crisis=crisis, status="new").exists()
    assert crisis.estimates.get(country="IR").people == 230
    assert crisis.people.filter(citizen__email="aigerim@example.com").count() == 2  # she and her brother
