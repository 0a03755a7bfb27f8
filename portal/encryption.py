"""Encryption at rest of national ID and passport numbers, and of the staff's TOTP secrets.

A database dump, a backup or a read replica must not reveal who our citizens
are. The identifiers are stored as Fernet tokens (AES-128-CBC + HMAC-SHA256,
from `cryptography`) under keys kept outside the database, in
FIELD_ENCRYPTION_KEYS: the first key encrypts, every listed key decrypts, so
a new key can be put first and old rows re-encrypted later with
`manage.py rotate_encryption_keys`.

Encryption is randomised, so equal numbers give different tokens. Exact
lookups and the uniqueness of national IDs use a keyed hash instead
(HMAC-SHA256 under IDENTIFIER_HMAC_KEY), stored beside the token.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys):
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64 bytes), comma-separated."
        ) from None


def fernet():
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext):
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token):
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS: was a key removed too early?"
        ) from None


def identifier_digest(value):
    """Keyed hash for exact lookup: the same for the same identifier, useless without the key."""
    normalized = "".join(str(value).split()).upper()
    return hmac.new(settings.IDENTIFIER_HMAC_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def mask(value, visible=4):
    """What lists show: enough to tell two people apart, not enough to use."""
    if not value:
        return ""
    return "•" * max(len(value) - visible, 0) + value[-visible:]


class EncryptedCharField(models.TextField):
    """Text kept as a Fernet token in the database and as plaintext in Python.

    Only the plaintext's length is validated (max_length applies to it);
    the column is a text column because tokens are about 2.5 times longer.
    Filter on the companion digest column, never on this one: with
    `digest_field`, every save (bulk_create included) also writes the keyed
    hash of the plaintext to that field, which must come after this one in
    the model. QuerySet.update() bypasses it, so update both or neither.
    """

    def __init__(self, *args, max_length=None, digest_field=None, **kwargs):
        self.plaintext_max_length = max_length
        self.digest_field = digest_field
        super().__init__(*args, **kwargs)
        if max_length:
            from django.core.validators import MaxLengthValidator

            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plaintext_max_length:
            kwargs["max_length"] = self.plaintext_max_length
        if self.digest_field:
            kwargs["digest_field"] = self.digest_field
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if self.digest_field:
            setattr(model_instance, self.digest_field, identifier_digest(value) if value else None)
        return value

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def formfield(self, **kwargs):
        from django import forms

        # A one-line input with the plaintext's limit, as for a CharField.
        return super().formfield(**{"max_length": self.plaintext_max_length, "widget": forms.TextInput, **kwargs})
