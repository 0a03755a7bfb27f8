"""National ID, passport and document numbers are ciphertext in the database."""

from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from registrations.encryption import identifier_digest
from registrations.models import CitizenProfile
from registrations.national_ids import make_kazakh_iin
from registrations.tests.factories import make_member, make_profile, make_user

pytestmark = pytest.mark.django_db

IIN = make_kazakh_iin(date(1990, 5, 17), female=True, serial=4242)


def raw_rows(table):
    """The table as a database dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def test_a_raw_read_of_the_tables_contains_no_plaintext_identifier():
    profile = make_profile(national_id=IIN, passport_number="N98765432")
    make_member(profile.user, document_number="K55554444")

    dump = " ".join(raw_rows("registrations_citizenprofile") + raw_rows("registrations_householdmember"))

    for plaintext in (IIN, "N98765432", "K55554444"):
        assert plaintext not in dump
    assert "SAPAROVA" in dump  # the read itself worked
    profile.refresh_from_db()
    assert (profile.national_id, profile.passport_number) == (IIN, "N98765432")


def test_a_citizen_is_found_by_exact_national_id():
    profile = make_profile(national_id=IIN)
    make_profile(make_user("other@example.com"))

    found = CitizenProfile.objects.filter(national_id_digest=identifier_digest(IIN))

    assert list(found) == [profile]


def test_rotating_to_a_new_key_keeps_old_rows_readable_then_moves_them(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    profile = make_profile(national_id=IIN, passport_number="N98765432")
    [before] = raw_rows("registrations_citizenprofile")

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    profile.refresh_from_db()
    assert profile.national_id == IIN  # readable with the old key still listed
    call_command("rotate_encryption_keys", stdout=None)

    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key removed
    profile.refresh_from_db()
    assert (profile.national_id, profile.passport_number) == (IIN, "N98765432")
    assert raw_rows("registrations_citizenprofile") != [before]
    assert CitizenProfile.objects.filter(national_id_digest=identifier_digest(IIN)).exists()
