"""A stop's country is checked by a lookup in the list of countries (portal/country_field.py), and an
unknown one is still refused with the usual words: on the form, beside the field, and by the model."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from registrations.models import Stop, Trip
from registrations.tests.factories import days
from registrations.tests.form_posts import stop, trip_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]
ADD = reverse("registrations:trip_add")


def test_a_country_that_does_not_exist_is_refused_beside_the_field_and_nothing_is_saved(client, citizen):
    response = client.post(ADD, trip_data(stop("XX", "", "Atlantis", days(1), days(3)), token=uuid.uuid4()))

    assert response.status_code == 200
    assert "Select a valid choice. XX is not one of the available choices." in response.text
    assert 'href="#id_stops-0-country"' in response.text
    assert 'value="Atlantis"' in response.text
    assert not Trip.objects.exists()


def test_the_country_list_is_drawn_in_the_page_language_with_the_choice_kept(client, citizen):
    response = client.post(
        "/ru" + ADD.removeprefix("/en"), trip_data(stop("TR", "", "", days(1), days(3)), token=uuid.uuid4())
    )

    assert response.status_code == 200  # the region and the city are missing
    assert '<option value="TR" selected>Турция</option>' in response.text
    assert "Выберите страну" in response.text


def test_the_model_refuses_an_unknown_country_and_takes_a_known_one():
    unknown, known = Stop(country="XX", city="Atlantis"), Stop(country="TR", city="İstanbul")
    others = [field.name for field in Stop._meta.fields if field.name != "country"]

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        unknown.clean_fields(exclude=others)
    known.clean_fields(exclude=others)

    assert refused.value.message_dict == {"country": ["Value 'XX' is not a valid choice."]}
