"""Every admin list with a date drill-down answers absurd dates with the list and a message, never an error 500."""

import pytest
from django.contrib import admin
from django.test import Client

from registrations.tests.factories import make_officer, sign_in_staff

pytestmark = pytest.mark.django_db

# Years Python's dates cannot hold, and drill-downs whose "next year/month/day" overflows or does not exist.
ABSURD = [
    {"year": "99999"},
    {"year": "0"},
    {"year": "-1"},
    {"year": "10000"},
    {"year": "9999", "month": "12"},
    {"year": "9999", "month": "12", "day": "31"},
    {"year": "2026", "month": "13"},
    {"year": "2026", "month": "2", "day": "30"},
    {"year": "nineteen"},
]


def _drill_down_admins():
    return sorted(
        (model_admin for model_admin in admin.site._registry.values() if model_admin.date_hierarchy),
        key=lambda model_admin: model_admin.model._meta.label,
    )


def test_every_date_drill_down_is_covered():
    labels = {model_admin.model._meta.label for model_admin in _drill_down_admins()}

    assert {"registrations.User", "registrations.Broadcast", "advisories.Subscription"} <= labels
    assert len(labels) >= 8


@pytest.mark.parametrize("model_admin", _drill_down_admins(), ids=lambda model_admin: model_admin.model._meta.label)
def test_an_out_of_range_date_drill_down_never_answers_500(model_admin):
    client = sign_in_staff(
        Client(raise_request_exception=False), make_officer("root@mfa.example.gov.kz", is_superuser=True)[0]
    )
    opts = model_admin.model._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/"

    for parts in ABSURD:
        query = {f"{model_admin.date_hierarchy}__{part}": value for part, value in parts.items()}
        response = client.get(url, query, follow=True)

        assert response.status_code < 500, (query, response.status_code)
        assert response.status_code in {200, 400, 404}, (query, response.status_code)
