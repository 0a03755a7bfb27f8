import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from registrations.encryption import decrypt, encrypt, identifier_digest, mask


def test_identifiers_are_encrypted_and_randomised():
    token = encrypt("900101300123")

    assert "900101300123" not in token
    assert encrypt("900101300123") != token
    assert decrypt(token) == "900101300123"


def test_a_new_key_keeps_old_rows_readable_and_rotation_moves_them_to_it(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    token_under_old_key = encrypt("N12345678")
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert decrypt(token_under_old_key) == "N12345678"
    rotated = encrypt(decrypt(token_under_old_key))  # what rotate_encryption_keys does to each row

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert decrypt(rotated) == "N12345678"
    with pytest.raises(ImproperlyConfigured, match="removed too early"):
        decrypt(token_under_old_key)


def test_the_lookup_digest_is_stable_keyed_and_ignores_spacing(settings):
    digest = identifier_digest("900101 300123")

    assert digest == identifier_digest("900101300123")
    assert digest != identifier_digest("900101300124")
    settings.IDENTIFIER_HMAC_KEY = "another-key"
    assert identifier_digest("900101300123") != digest


def test_lists_show_identifiers_masked():
    assert mask("900101300123") == "••••••••0123"
    assert mask("") == ""
