"""The staff's authenticator: django-otp's TOTP device, with its secret encrypted at rest.

django-otp's TOTPDevice keeps the secret as clear hex in its `key` column, so
a database dump alone would let anyone compute every staff member's codes.
A concrete third-party model's field cannot be replaced, and the column (80
characters) cannot hold a Fernet token, so this is a device model of our own
with the same columns, whose `key` is an EncryptedCharField under
FIELD_ENCRYPTION_KEYS (rotated by `rotate_encryption_keys` with the
identifiers). Everything else is django-otp's own code: the abstract Device,
ThrottlingMixin and TimestampMixin, and TOTPDevice's methods (verification
with its tolerance, drift and replay guard, throttling, the otpauth:// URI),
borrowed as they are. django_otp finds the model as it finds any device
(devices_for_user, the persistent id kept in the session).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key, key_validator

from portal.encryption import EncryptedCharField


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator app bound to a staff member's account."""

    # Hex, as in TOTPDevice (up to 40 bytes); stored as a Fernet token.
    key = EncryptedCharField(
        _("secret key"), max_length=80, validators=[key_validator], default=default_key, editable=False
    )
    step = models.PositiveSmallIntegerField(_("time step (seconds)"), default=30)
    t0 = models.BigIntegerField(_("Unix time of the first step"), default=0)
    digits = models.PositiveSmallIntegerField(_("digits"), choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(_("steps of tolerance"), default=1)
    drift = models.SmallIntegerField(_("drift (steps)"), default=0)
    last_t = models.BigIntegerField(_("step of the last code accepted"), default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(digits__in=[6, 8]), name="second_factor_device_digits_valid"),
        ]

    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings
