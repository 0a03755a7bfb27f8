"""Generated input to every public and citizen form and public URL parameter: never a 500.

Hypothesis posts text of every kind (NUL bytes, bidirectional controls, 320-character addresses,
huge numbers, formsets claiming thousands of forms) with a fixed budget, so CI stays quick.
"""

import uuid

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrations.tests.factories import make_profile, make_user

pytestmark = pytest.mark.django_db

BUDGET = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=250, max_size=330),
    st.sampled_from(["\x00", "a\x00b", "\u202eevil", "9" * 5000, "-1", "3000", "ir", "IR-23", "1900-02-30"]),
    st.emails().map(lambda email: "x" * 250 + email),
)


def _client(**kwargs):
    return Client(raise_request_exception=False, **kwargs)


def _assert_no_500(response):
    assert response.status_code < 500, response.status_code


PUBLIC_FORMS = {
    "/en/accounts/signup/": ["email", "password1", "password2"],
    "/en/accounts/login/": ["username", "password"],
    "/en/accounts/confirm/resend/": ["email"],
    "/en/accounts/password/reset/": ["email"],
    "/en/advisories/subscribe/": ["email", "country", "language"],
}


@pytest.mark.parametrize("url", list(PUBLIC_FORMS))
def test_public_forms_never_answer_500(url):
    fields = PUBLIC_FORMS[url]

    @BUDGET
    @given(st.fixed_dictionaries(dict.fromkeys(fields, text)))
    def post(data):
        _assert_no_500(_client(REMOTE_ADDR=f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}").post(url, data))

    post()


PUBLIC_URLS = [
    "/advisories/{}/feed/",
    "/advisories/{}/cap.xml",
    "/api/v1/advisories/{}/",
    "/en/accounts/regions/{}/",
    "/en/accounts/confirm/{}/",
    "/subscriptions/confirm/{}/",
    "/subscriptions/unsubscribe/{}/",
    "/en/advisories/?q={}",
    "/en/embassies/?country={}",
    "/en/advisories/subscribe/?country={}",
]


@pytest.mark.parametrize("pattern", PUBLIC_URLS)
def test_public_url_parameters_never_answer_500(pattern):
    from urllib.parse import quote

    @BUDGET
    @given(text)
    def get(value):
        _assert_no_500(_client().get(pattern.format(quote(value, safe=""))))

    get()


@pytest.fixture
def citizen_client(db):
    user = make_user("fuzzed@example.com")
    make_profile(user)
    client = _client()
    client.force_login(user)
    return client


CITIZEN_FORMS = {
    "/en/accounts/profile/": [
        "surname_latin",
        "given_names_latin",
        "full_name_native",
        "date_of_birth",
        "national_id",
        "passport_number",
        "passport_expires_on",
        "phone",
        "preferred_language",
        "preferred_channel",
        "emergency_contact_name",
        "emergency_contact_phone",
        "emergency_contact_email",
    ],
    "/en/accounts/household/add/": ["full_name", "date_of_birth", "relationship", "citizenship", "document_number"],
    "/en/accounts/trips/add/": [
        "kind",
        "travellers",
        "phone_abroad",
        "submission_token",
        "action",
        "stops-TOTAL_FORMS",
        "stops-INITIAL_FORMS",
        "stops-0-country",
        "stops-0-region",
        "stops-0-city",
        "stops-0-arrival_date",
        "stops-0-departure_date",
    ],
    "/en/accounts/delete/": ["password"],
}


@pytest.mark.parametrize("url", list(CITIZEN_FORMS))
def test_citizen_forms_never_answer_500(citizen_client, settings, url):
    settings.PROFILE_RATE = "10000/h"
    fields = CITIZEN_FORMS[url]

    @BUDGET
    @given(st.fixed_dictionaries(dict.fromkeys(fields, text)))
    def post(data):
        _assert_no_500(citizen_client.post(url, data))

    post()


def test_a_name_with_bidirectional_controls_is_refused(citizen_client):
    response = citizen_client.post(
        "/en/accounts/household/add/",
        {
            "full_name": "Timur \u202eved\u202c Saparov",
            "date_of_birth": "2015-03-01",
            "relationship": "child",
            "citizenship": "KZ",
        },
    )

    assert response.status_code == 200
    assert "invisible text-direction characters" in response.text
