"""The profile form is no oracle for national IDs: a clash becomes a case for headquarters, audited."""

import pytest
from django.urls import reverse

from registrations.models import AuditEvent, CitizenProfile, IdentityClash
from registrations.tests.factories import make_profile, make_user
from registrations.tests.form_posts import profile_data

pytestmark = pytest.mark.django_db

PROFILE = reverse("registrations:profile")


def _answer(client, email, national_id):
    client.force_login(make_user(email))
    response = client.post(PROFILE, profile_data(national_id=national_id), follow=True)
    return response.redirect_chain, [str(message) for message in response.context["messages"]]


def test_someone_elses_number_gets_the_same_answer_as_a_free_one_and_opens_a_case(client):
    taken = profile_data()["national_id"]
    holder = make_profile(make_user("holder@example.com"), national_id=taken)
    free = make_profile(make_user("other@example.com")).national_id
    CitizenProfile.objects.filter(national_id_digest=holder.national_id_digest).exclude(pk=holder.pk).delete()
    CitizenProfile.objects.get(user__email="other@example.com").delete()

    with_taken = _answer(client, "prober@example.com", taken)
    with_free = _answer(client, "honest@example.com", free)

    assert with_taken == with_free
    assert with_taken[1] == ["Your profile is complete."]
    clash = IdentityClash.objects.get()
    assert (clash.claimant.user.email, clash.holder) == ("prober@example.com", holder)
    assert clash.resolved_at is None


def test_saving_again_opens_no_second_case(client):
    taken = profile_data()["national_id"]
    make_profile(make_user("holder@example.com"), national_id=taken)
    client.force_login(make_user("prober@example.com"))
    for _ in range(3):
        client.post(PROFILE, profile_data(national_id=taken))

    assert IdentityClash.objects.count() == 1


def test_the_profile_form_is_rate_limited(client, settings):
    settings.PROFILE_RATE = "5/h"
    client.force_login(make_user("prober@example.com"))

    statuses = [client.post(PROFILE, profile_data(surname_latin="")).status_code for _ in range(7)]

    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]


def test_headquarters_sees_the_cases_and_every_look_is_audited(client, hq_client, tehran_officer, staff_client):
    taken = profile_data()["national_id"]
    make_profile(make_user("holder@example.com"), national_id=taken)
    client.force_login(make_user("prober@example.com"))
    client.post(PROFILE, profile_data(national_id=taken))
    clash = IdentityClash.objects.get()

    assert hq_client.get("/admin/registrations/identityclash/").status_code == 200
    assert hq_client.get(f"/admin/registrations/identityclash/{clash.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=str(clash.pk)).exists()
    assert staff_client(tehran_officer).get("/admin/registrations/identityclash/").status_code == 403
