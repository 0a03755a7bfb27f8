import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from registrations.tests.factories import PASSWORD, make_user

# Real transactions: emails leave only after the sign-up commits.
pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"


def sign_up(client, email="new@example.com", password=PASSWORD, repeat=None):
    return client.post(SIGNUP, {"email": email, "password1": password, "password2": repeat or password})


def confirmation_path(mail):
    match = re.search(r"https?://[^/\s]+(/\S+/confirm/\S+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_sign_up_opens_an_inactive_account_and_mails_a_confirmation_link(client, mailoutbox):
    response = sign_up(client, email="New.Citizen@Example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:signup_done")
    user = User.objects.get()
    assert user.email == "new.citizen@example.com"
    assert not user.is_active
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.citizen@example.com"]
    assert "/confirm/" in mailoutbox[0].body


def test_confirmation_link_carries_no_email_address(client, mailoutbox):
    sign_up(client, email="private.person@example.com")

    assert "private.person" not in confirmation_path(mailoutbox[0])


def test_unconfirmed_account_cannot_sign_in_and_is_told_what_to_do(client, mailoutbox):
    sign_up(client)

    response = client.post(LOGIN, {"username": "new@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Confirm your email address first" in response.text
    assert reverse("registrations:resend_confirmation") in response.text


def test_wrong_password_on_unconfirmed_account_reveals_nothing(client, mailoutbox):
    sign_up(client)

    response = client.post(LOGIN, {"username": "new@example.com", "password": "not-the-password"})

    assert "Confirm your email address first" not in response.text
    assert "The email address or the password is wrong" in response.text


def test_following_the_link_confirms_the_account_and_it_can_sign_in(client, mailoutbox):
    sign_up(client)

    response = client.get(confirmation_path(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:login")
    user = User.objects.get()
    assert user.is_active
    assert user.email_confirmed_at is not None
    response = client.post(LOGIN, {"username": "NEW@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_confirmation_link_expires(client, mailoutbox, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_up(client)
    path = confirmation_path(mailoutbox[0])

    time_machine.shift(timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE + 60))
    response = client.get(path)

    assert response.status_code == 410
    assert "has expired" in response.text
    assert not User.objects.get().is_active


def test_an_altered_link_is_refused(client, mailoutbox):
    sign_up(client)
    path = confirmation_path(mailoutbox[0])

    response = client.get(path.replace("/confirm/", "/confirm/x"))

    assert response.status_code == 404
    assert not User.objects.get().is_active


def test_a_link_does_not_reopen_an_account_staff_closed(client, mailoutbox):
    sign_up(client)
    path = confirmation_path(mailoutbox[0])
    client.get(path)
    User.objects.update(is_active=False)

    client.get(path)

    assert not User.objects.get().is_active


def test_signing_up_with_a_registered_address_creates_nothing_and_tells_its_owner(client, mailoutbox):
    make_user("taken@example.com")

    response = sign_up(client, email="Taken@example.com")

    # The same answer as for a new address, so the page reveals nothing.
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:signup_done")
    assert User.objects.count() == 1
    assert len(mailoutbox) == 1
    assert "already has an account" in mailoutbox[0].body


def test_a_double_submitted_sign_up_opens_one_account(client, mailoutbox):
    sign_up(client)
    sign_up(client)

    assert User.objects.count() == 1


def test_resend_confirmation_mails_a_new_link_only_to_unconfirmed_accounts(client, mailoutbox):
    sign_up(client)
    make_user("confirmed@example.com")
    mailoutbox.clear()

    client.post(reverse("registrations:resend_confirmation"), {"email": "new@example.com"})
    client.post(reverse("registrations:resend_confirmation"), {"email": "confirmed@example.com"})
    client.post(reverse("registrations:resend_confirmation"), {"email": "nobody@example.com"})

    assert [mail.to for mail in mailoutbox] == [["new@example.com"]]


def test_sign_up_errors_keep_what_was_typed(client):
    response = sign_up(client, email="not-an-email", password=PASSWORD, repeat="something-else-entirely")

    assert response.status_code == 200
    assert 'value="not-an-email"' in response.text
    assert "Enter a valid email address." in response.text
    assert "The two passwords are different" in response.text
    assert 'id="error-summary"' in response.text
    assert 'href="#id_email"' in response.text
    assert User.objects.count() == 0


def test_weak_passwords_are_refused(client):
    response = sign_up(client, password="12345678")

    assert "too short" in response.text
    assert "entirely numeric" in response.text
    assert User.objects.count() == 0


@pytest.mark.real_password_hasher  # the other tests hash with MD5 (conftest.py)
def test_passwords_are_hashed_with_argon2id_at_the_owasp_minimum():
    user = make_user()

    algorithm, variety, version, params, *_ = user.password.split("$")
    assert (algorithm, variety, version) == ("argon2", "argon2id", "v=19")
    assert params == "m=19456,t=2,p=1"
    assert user.check_password(PASSWORD)


def test_sign_out_needs_a_post(client):
    client.force_login(make_user())

    assert client.get(reverse("registrations:logout")).status_code == 405
    client.post(reverse("registrations:logout"))
    assert "_auth_user_id" not in client.session


def test_sign_in_does_not_redirect_to_another_site(client):
    make_user()

    response = client.post(
        LOGIN + "?next=https://evil.example/steal",
        {"username": "citizen@example.com", "password": PASSWORD, "next": "https://evil.example/steal"},
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_sign_in_rotates_the_session_key(client):
    make_user()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key

    client.post(LOGIN, {"username": "citizen@example.com", "password": PASSWORD})

    assert client.session.session_key != before


def test_account_page_needs_sign_in_and_is_never_cached(client):
    assert client.get(reverse("registrations:account")).status_code == 302
    client.force_login(make_user())

    response = client.get(reverse("registrations:account"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "citizen@example.com" in response.text


def test_password_reset_by_email(client, mailoutbox):
    user = make_user()

    client.post(reverse("registrations:password_reset"), {"email": "citizen@example.com"})

    assert len(mailoutbox) == 1
    path = re.search(r"https?://[^/\s]+(/\S+)", mailoutbox[0].body).group(1)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    new_password = "another-long-passphrase"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_tells_nothing_about_unknown_addresses(client, mailoutbox):
    response = client.post(reverse("registrations:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mailoutbox == []


def test_password_change(client):
    user = make_user()
    client.force_login(user)

    response = client.post(
        reverse("registrations:password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_emails_are_sent_in_the_language_of_the_page(client, mailoutbox):
    client.post(
        "/ru/accounts/signup/",
        {"email": "ru@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert "/ru/accounts/confirm/" in mailoutbox[0].body
    assert mailoutbox[0].subject != "Confirm your email address for the Consular Portal"


def test_the_database_refuses_an_address_in_mixed_case():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="Mixed@Example.com")])
