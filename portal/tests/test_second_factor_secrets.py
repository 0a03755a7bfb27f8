"""The staff's TOTP secrets are encrypted at rest under FIELD_ENCRYPTION_KEYS, and still give working codes."""

import importlib
import time
from io import StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django_otp.oath import TOTP

from portal.second_factor.models import AuthenticatorDevice
from registrations import roles
from registrations.tests.factories import PASSWORD, make_officer, make_user, sign_in_staff, totp_code

pytestmark = pytest.mark.django_db

MIGRATION = [("second_factor", "0002_move_totp_devices"), ("otp_totp", "0003_add_timestamps")]


def stored_key(device):
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM second_factor_authenticatordevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def code_at(device, offset_steps):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def test_the_database_holds_no_secret_a_dump_could_turn_into_codes():
    _staff, device = make_officer()
    device.refresh_from_db()

    stored = stored_key(device)

    assert len(device.key) == 40 and int(device.key, 16) >= 0
    assert device.key.lower() not in stored.lower()
    assert stored != device.key
    # Nor the base32 form an authenticator app is given.
    assert "secret=" not in stored


def test_a_code_from_the_app_verifies_once_and_a_replay_is_refused():
    _staff, device = make_officer()
    code = totp_code(device)

    assert device.verify_token(code)
    device.refresh_from_db()
    assert not device.verify_token(code)


def test_a_slow_phone_clock_is_tolerated_and_remembered_as_drift():
    _staff, device = make_officer()

    assert device.verify_token(code_at(device, -1))
    device.refresh_from_db()
    assert device.drift == -1


def test_wrong_codes_throttle_the_device_even_against_the_right_code():
    _staff, device = make_officer()
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    assert not device.verify_token(wrong)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not device.verify_token(totp_code(device))  # within the pause after a wrong code


def test_after_key_rotation_the_device_still_verifies_and_its_stored_value_changed(settings, client):
    staff, device = make_officer()
    before = stored_key(device)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key removed

    assert "second_factor.AuthenticatorDevice: 1 rows re-encrypted (key)" in out.getvalue()
    assert stored_key(device) != before
    device.refresh_from_db()
    client.post("/en/accounts/login/", {"username": staff.email, "password": PASSWORD})
    response = client.post("/admin/verify/", {"otp_token": totp_code(device)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_device_enrolled_on_the_page_is_stored_encrypted(client):
    staff = make_user("new.officer@example.gov.kz", is_staff=True)
    client.post("/en/accounts/login/", {"username": staff.email, "password": PASSWORD})
    client.get("/admin/enrol/")
    device = AuthenticatorDevice.objects.get(user=staff)

    assert client.post("/admin/enrol/", {"otp_token": totp_code(device)}).status_code == 302

    device.refresh_from_db()
    assert device.confirmed
    assert device.key.lower() not in stored_key(device).lower()


def test_the_migration_moves_clear_devices_into_encrypted_ones_and_leaves_no_clear_secret():
    staff = make_user("old.officer@example.gov.kz", is_staff=True)
    old_apps = MigrationExecutor(connection).loader.project_state(MIGRATION).apps
    hex_key = "3132333435363738393031323334353637383930"
    old_apps.get_model("otp_totp", "TOTPDevice").objects.create(
        user_id=staff.pk, name="Authenticator app", confirmed=True, key=hex_key, drift=1, last_t=7
    )

    migration = importlib.import_module("portal.second_factor.migrations.0002_move_totp_devices")
    migration.encrypt_into_ours(old_apps, SimpleNamespace(connection=connection))

    assert not old_apps.get_model("otp_totp", "TOTPDevice").objects.exists()
    device = AuthenticatorDevice.objects.get(user=staff)
    assert (device.key, device.confirmed, device.drift, device.last_t) == (hex_key, True, 1, 7)
    assert hex_key not in stored_key(device)

    migration.decrypt_into_theirs(old_apps, SimpleNamespace(connection=connection))  # and back

    assert old_apps.get_model("otp_totp", "TOTPDevice").objects.get().key == hex_key
    assert not AuthenticatorDevice.objects.exists()


def test_the_demo_prints_a_code_the_demo_officer_can_type(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    out = StringIO()

    call_command("demo_totp_code", "officer@example.com", stdout=out)

    device = AuthenticatorDevice.objects.get(user__email="officer@example.com", confirmed=True)
    assert device.key.lower() not in stored_key(device).lower()
    assert device.verify_token(out.getvalue().strip())


def test_a_superuser_lists_devices_without_their_secret_and_deletes_one_to_reset_it():
    chief = make_officer("root@mfa.example.gov.kz", is_superuser=True)[0]
    _lost, device = make_officer("lost.phone@mfa.example.gov.kz")
    client = sign_in_staff(Client(), chief)
    changelist = "/admin/second_factor/authenticatordevice/"

    page = client.get(changelist)
    assert page.status_code == 200
    assert "lost.phone@mfa.example.gov.kz" in page.text
    assert device.key not in page.text and stored_key(device) not in page.text
    detail = client.get(f"{changelist}{device.pk}/change/")
    assert detail.status_code == 200 and device.key not in detail.text
    assert client.get(f"{changelist}add/").status_code == 403
    index = client.get("/admin/").text
    assert "/admin/second_factor/" in index and "/admin/otp_totp/" not in index  # django-otp's clear model is hidden

    client.post(f"{changelist}{device.pk}/delete/", {"post": "yes"})
    assert not AuthenticatorDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.parametrize("role", [roles.HEADQUARTERS_OFFICER, roles.MISSION_OFFICER, roles.AUDITOR])
def test_staff_who_are_not_superusers_cannot_see_or_delete_anyones_device(role):
    officer = make_officer("officer@mfa.example.gov.kz", role)[0]
    _other, device = make_officer("other@mfa.example.gov.kz")
    client = sign_in_staff(Client(), officer)
    changelist = "/admin/second_factor/authenticatordevice/"

    assert client.get(changelist).status_code == 403
    assert client.post(f"{changelist}{device.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuthenticatorDevice.objects.filter(pk=device.pk).exists()
