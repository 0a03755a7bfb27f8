"""Rules that used to be written in several places and disagreed, now defined once."""

import pytest
from django.urls import reverse

from registrations.tests.factories import PASSWORD, days, make_profile, make_staff_with_device, make_trip, make_user
from registrations.tests.form_posts import stop, trip_data

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def test_staff_who_sign_in_land_in_the_workplace_and_citizens_on_their_dashboard(client):
    make_staff_with_device(email="officer@example.gov.kz", password=PASSWORD)
    make_user(email="citizen@example.com")

    staff = client.post(LOGIN, {"username": "officer@example.gov.kz", "password": PASSWORD})
    client.logout()
    citizen = client.post(LOGIN, {"username": "citizen@example.com", "password": PASSWORD})

    assert staff["Location"] == reverse("admin:index")
    assert citizen["Location"] == reverse("registrations:account")


def test_a_residents_passport_running_out_within_six_months_is_flagged_by_the_trip_form_and_the_dashboard_alike(
    client,
):
    user = make_user()
    make_profile(user, passport_expires_on=days(100))
    client.force_login(user)

    # A stay without an end: the trip form used to say nothing, the dashboard warned.
    saved = client.post(
        reverse("registrations:trip_add"), trip_data(stop("TR", "TR-34", "Istanbul", days(1), "")), follow=True
    )

    assert "Your passport expires on" in saved.text
    assert "Your passport expires on" in client.get(reverse("registrations:account")).text


def test_a_passport_valid_beyond_a_trip_and_six_months_is_not_flagged(client):
    user = make_user()
    make_profile(user, passport_expires_on=days(400))
    make_trip(user, ("TR", "TR-34", days(1), None))
    client.force_login(user)

    assert "Your passport expires on" not in client.get(reverse("registrations:account")).text


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/en/accounts/signup/", {"email": "x@example.com", "password1": "a", "password2": "b"}),
        ("/en/accounts/delete/", {"password": "wrong"}),
        ("/admin/verify/", {"otp_token": "123456"}),
    ],
)
def test_passwords_and_codes_are_kept_out_of_error_reports(client, url, fields):
    staff, _device = make_staff_with_device(email="officer@example.gov.kz")
    client.force_login(staff)

    response = client.post(url, fields)

    assert set(response.wsgi_request.sensitive_post_parameters) >= set(fields) - {"email"}
