"""Staff need a password and a TOTP code; guessing passwords gets a pair locked."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command

from portal.second_factor.models import AuthenticatorDevice
from registrations.tests.factories import PASSWORD, make_officer, make_user, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def sign_in(client, email, password=PASSWORD, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_password_alone_does_not_open_the_staff_workplace(client):
    staff, _device = make_officer()
    sign_in(client, staff.email)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/admin/verify/")
    assert "Second step of sign-in" in response.text
    assert client.get("/admin/registrations/user/").status_code == 302


def test_the_current_code_opens_the_staff_workplace(client):
    staff, device = make_officer()
    sign_in(client, staff.email)

    response = client.post("/admin/verify/?next=/admin/registrations/user/", {"otp_token": totp_code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/registrations/user/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client):
    staff, device = make_officer()
    sign_in(client, staff.email)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post("/admin/verify/", {"otp_token": wrong})

    assert response.status_code == 200
    assert "This code is wrong or has expired" in response.text
    assert client.get("/admin/").status_code == 302


def test_staff_enrol_a_device_on_their_first_visit(client):
    staff = make_user("new.officer@example.gov.kz", is_staff=True)
    sign_in(client, staff.email)

    page = client.get("/admin/", follow=True)

    assert page.redirect_chain[-1][0].startswith("/admin/enrol/")
    assert 'src="data:image/svg+xml' in page.text
    device = AuthenticatorDevice.objects.get(user=staff)
    assert not device.confirmed
    secret = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    assert parse_qs(urlsplit(device.config_url).query)["secret"] == [secret]

    response = client.post("/admin/enrol/", {"otp_token": totp_code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_citizens_cannot_reach_the_second_factor_pages(client):
    citizen = make_user()
    client.force_login(citizen)

    assert client.get("/admin/verify/").status_code == 403
    assert client.get("/admin/enrol/").status_code == 403
    assert not AuthenticatorDevice.objects.exists()


def test_the_second_factor_step_does_not_redirect_to_another_site(client):
    staff, device = make_officer()
    sign_in(client, staff.email)

    response = client.post("/admin/verify/?next=https://evil.example/", {"otp_token": totp_code(device)})

    assert response["Location"] == "/admin/"


def test_deactivating_a_staff_member_ends_their_session(client):
    staff, device = make_officer()
    sign_in(client, staff.email)
    client.post("/admin/verify/", {"otp_token": totp_code(device)})
    assert client.get("/admin/").status_code == 200

    staff.is_active = False
    staff.save()

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous


def test_repeated_wrong_passwords_lock_the_account_and_address_pair(client, settings):
    make_user("target@example.com")
    make_user("neighbour@example.com")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "target@example.com", password="wrong-guess", ip="198.51.100.1")

    locked = sign_in(client, "target@example.com", ip="198.51.100.1")

    assert locked.status_code == 429
    assert "Sign-in paused" in locked.text
    assert "_auth_user_id" not in client.session
    # Not the address alone: others behind the same carrier still sign in...
    assert sign_in(client, "neighbour@example.com", ip="198.51.100.1").status_code == 302
    client.logout()
    # ...and the owner can from another connection.
    assert sign_in(client, "target@example.com", ip="192.0.2.55").status_code == 302


def test_the_client_address_behind_our_proxy_is_the_one_it_saw(rf, settings):
    from portal.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.9"

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"


def test_first_superuser_command_creates_a_device_and_prints_its_uri(monkeypatch, capsys):
    monkeypatch.setenv("PORTAL_SUPERUSER_PASSWORD", "a-strong-first-passphrase")

    call_command("create_first_superuser", email="Chief@MFA.example")

    output = capsys.readouterr().out
    device = AuthenticatorDevice.objects.get(user__email="chief@mfa.example", confirmed=True)
    assert device.user.is_superuser
    assert device.config_url in output
    assert output.count("otpauth://totp/") == 1
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_first_superuser", email="second@mfa.example")


@pytest.mark.parametrize(
    ("path", "data", "rate_setting"),
    [
        ("/en/accounts/signup/", {"email": "x@example.com", "password1": "p", "password2": "p"}, "SIGNUP_RATE"),
        ("/en/accounts/password/reset/", {"email": "x@example.com"}, "PASSWORD_RESET_RATE"),
    ],
)
def test_sign_ups_and_password_resets_are_rate_limited_per_address(client, settings, path, data, rate_setting):
    setattr(settings, rate_setting, "3/h")
    for _request in range(3):
        assert client.post(path, data, REMOTE_ADDR="198.51.100.20").status_code in {200, 302}

    refused = client.post(path, data, REMOTE_ADDR="198.51.100.20")

    assert refused.status_code == 429
    assert "Too many requests" in refused.text
    # Another address is not affected; reading the page never is.
    assert client.post(path, data, REMOTE_ADDR="198.51.100.21").status_code in {200, 302}
    assert client.get(path, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_the_admin_sends_visitors_to_the_common_sign_in_page_then_to_the_second_step(client):
    staff, _device = make_officer()

    response = client.get("/admin/registrations/user/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/accounts/login/?next=%2Fadmin%2Fregistrations%2Fuser%2F"

    response = client.post(response.redirect_chain[-1][0], {"username": staff.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/verify/?next=%2Fadmin%2Fregistrations%2Fuser%2F")


def test_the_demo_code_command_prints_the_code_that_signs_in(client, settings, capsys):
    staff, _device = make_officer("officer@example.com")
    settings.DEBUG = True
    call_command("demo_totp_code", "officer@example.com")
    code = capsys.readouterr().out.strip()
    sign_in(client, staff.email)

    assert client.post("/admin/verify/", {"otp_token": code}).status_code == 302

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp_code")
