from django.contrib.auth import get_user_model
from django.utils import timezone

PASSWORD = "a-long-test-passphrase"


def make_user(email="citizen@example.com", *, password=PASSWORD, confirmed=True, **fields):
    User = get_user_model()
    return User.objects.create_user(
        email=email,
        password=password,
        is_active=confirmed,
        email_confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )


def make_staff_with_device(email="officer@example.gov.kz", **fields):
    """A staff member with a confirmed TOTP device; returns (user, device)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user(email, is_staff=True, **fields)
    return user, TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(device):
    """The code the person's authenticator app shows right now."""
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
