"""Staff members of the advisories workplace, and their way into the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

PASSWORD = "a-long-test-passphrase"


def make_advisory_staff(email, *, publish=True):
    """A staff member with every advisories permission (publishing too, unless publish=False)."""
    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, is_staff=True, email_confirmed_at=timezone.now()
    )
    permissions = Permission.objects.filter(content_type__app_label="advisories")
    if not publish:
        permissions = permissions.exclude(codename="publish_edition")
    user.user_permissions.set(permissions)
    return get_user_model().objects.get(pk=user.pk)  # fresh: no stale permission cache


def add_totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(device):
    """The code the staff member's authenticator app shows right now."""
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in_to_admin(client, user):
    """Signed in with the password and the second factor, as the admin requires."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = add_totp_device(user).persistent_id
    session.save()
    return client
