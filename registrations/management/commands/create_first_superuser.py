"""Create the first superuser, with the TOTP device the staff workplace requires."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.second_factor import DEVICE_NAME


class Command(BaseCommand):
    help = (
        "Create the first superuser and a confirmed TOTP device, and print the device's provisioning URI "
        "(otpauth://) to add to an authenticator app. The password comes from PORTAL_SUPERUSER_PASSWORD "
        "or is asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)

    def handle(self, *args, email, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            raise CommandError("A superuser exists already; create further staff in the staff workplace.")
        password = os.environ.get("PORTAL_SUPERUSER_PASSWORD") or self._ask_password()
        user = User(email=User.objects.normalize_email(email))
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            user = User.objects.create_superuser(email=email, password=password, email_confirmed_at=timezone.now())
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        self.stdout.write(self.style.SUCCESS(f"Superuser {user.email} created."))
        self.stdout.write("Add this to an authenticator app (or turn it into a QR code); it is shown only now:")
        self.stdout.write(device.config_url)

    def _ask_password(self):
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords are different.")
        return first
