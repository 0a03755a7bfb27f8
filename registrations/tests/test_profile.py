from datetime import date

import pytest
from django.urls import reverse

from registrations.models import PRIVACY_NOTICE_VERSION, CitizenProfile
from registrations.national_ids import make_kazakh_iin
from registrations.tests.form_posts import profile_data

pytestmark = pytest.mark.django_db

PROFILE = reverse("registrations:profile")


def test_citizen_completes_the_profile_with_consent_time_and_version(client, new_citizen):
    response = client.post(PROFILE, profile_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:account")
    profile = CitizenProfile.objects.get(user=new_citizen)
    assert profile.phone == "+77011234567"
    assert profile.emergency_contact_phone == "+905321234567"
    assert profile.passport_number == "N12345678"
    assert profile.privacy_notice_version == PRIVACY_NOTICE_VERSION == "1"
    assert profile.privacy_consented_at is not None
    assert profile.needs_consent_at is None


def test_an_iin_with_a_wrong_check_digit_is_refused_with_a_clear_message(client, new_citizen):
    good = make_kazakh_iin(date(1990, 5, 17), female=True)
    bad = good[:11] + str((int(good[11]) + 1) % 10)

    response = client.post(PROFILE, profile_data(national_id=bad))

    assert response.status_code == 200
    assert "its last digit does not match the others" in response.text
    assert 'href="#id_national_id"' in response.text
    assert f'value="{bad}"' in response.text  # what was typed is kept
    assert not CitizenProfile.objects.exists()


def test_an_iin_that_does_not_match_the_date_of_birth_is_refused(client, new_citizen):
    response = client.post(PROFILE, profile_data(date_of_birth="1990-05-18"))

    assert "This IIN belongs to someone born on another date" in response.text
    assert "1990-05-18" in response.text
    assert not CitizenProfile.objects.exists()


def test_an_iin_of_the_wrong_length_is_refused(client, new_citizen):
    response = client.post(PROFILE, profile_data(national_id="90051740001"))

    assert "An IIN has exactly 12 digits; you entered 11 characters" in response.text


def test_a_phone_number_that_cannot_be_real_is_refused(client, new_citizen):
    response = client.post(PROFILE, profile_data(phone="12345"))

    assert "Enter the number with its country code" in response.text
    assert not CitizenProfile.objects.exists()


def test_needs_are_kept_only_with_explicit_consent(client, new_citizen):
    response = client.post(PROFILE, profile_data(medical_needs="Insulin-dependent diabetes"))

    assert "Tick this box to let us keep your medical and mobility needs" in response.text
    assert not CitizenProfile.objects.exists()

    client.post(PROFILE, profile_data(medical_needs="Insulin-dependent diabetes", needs_consent="on"))

    profile = CitizenProfile.objects.get()
    assert profile.medical_needs == "Insulin-dependent diabetes"
    assert profile.needs_consent_at is not None


def test_the_privacy_notice_must_be_accepted(client, new_citizen):
    data = profile_data()
    del data["privacy_consent"]

    response = client.post(PROFILE, data)

    assert response.status_code == 200
    assert not CitizenProfile.objects.exists()


def test_editing_the_profile_keeps_the_consent_and_does_not_ask_again(client, citizen):
    profile = citizen.citizen_profile
    consented_at = profile.privacy_consented_at

    page = client.get(PROFILE)
    assert "privacy_consent" not in page.text
    data = profile_data(phone="+7 701 765 4321", national_id=profile.national_id, date_of_birth="1990-05-17")
    del data["privacy_consent"]
    response = client.post(PROFILE, data)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.phone == "+77017654321"
    assert profile.privacy_consented_at == consented_at


def test_labels_say_which_fields_are_optional_and_inputs_help_phones(client, new_citizen):
    page = client.get(PROFILE).text

    assert "Medical needs (optional)" in page
    # A text field in the order its hint gives (a date picker shows the browser's order instead).
    assert 'type="text" name="date_of_birth"' in page
    assert "For example 2027-03-31 (year-month-day)." in page
    assert 'autocomplete="bday"' in page
    assert 'type="tel"' in page
    assert 'inputmode="numeric"' in page


def test_a_citizen_cannot_register_a_trip_before_completing_the_profile(client, new_citizen):
    response = client.get(reverse("registrations:trip_add"), follow=True)

    assert response.redirect_chain[-1][0] == PROFILE
    assert "Complete your profile first" in response.text
