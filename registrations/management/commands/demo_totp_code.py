"""Print the current TOTP code of a demo staff account: no authenticator app needed for a demo."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from portal.second_factor.models import AuthenticatorDevice


class Command(BaseCommand):
    help = "Print the current second-factor code of a staff account's device. Refuses to run unless DEBUG is on."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default="officer@example.com")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("Only for the demo (DEBUG=1): in production the code lives on the staff's phone.")
        device = AuthenticatorDevice.objects.filter(user__email=email.lower(), confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no confirmed authenticator device.")
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        self.stdout.write(f"{code:0{device.digits}d}")
