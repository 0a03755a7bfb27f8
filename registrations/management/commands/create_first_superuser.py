"""Create the first superuser, with the TOTP device the staff workplace requires."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from portal.second_factor import DEVICE_NAME
from portal.second_factor.models import AuthenticatorDevice


class Command(BaseCommand):
    help = (
        "Create the first superuser and a confirmed TOTP device, and print the device's provisioning URI "
        "(otpauth://) to add to an authenticator app. The password comes from PORTAL_SUPERUSER_PASSWORD "
        "or is asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)

    def handle(self, *args, email, **options):
        self._check_database()
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
            device = AuthenticatorDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        self.stdout.write(self.style.SUCCESS(f"Superuser {user.email} created."))
        self.stdout.write("Add this to an authenticator app (or turn it into a QR code); it is shown only now:")
        self.stdout.write(device.config_url)

    def _check_database(self):
        """Name what is missing (a reachable, migrated database) instead of failing on the first query."""
        connection = connections[DEFAULT_DB_ALIAS]
        name = connection.settings_dict["NAME"]
        try:
            executor = MigrationExecutor(connection)
            unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise CommandError(f"Cannot use the database {name} (DATABASE_URL): {error}".strip()) from None
        if unapplied:
            raise CommandError(
                f"The database {name} (DATABASE_URL) has {len(unapplied)} migrations to apply: "
                "run `python manage.py migrate` first."
            )

    def _ask_password(self):
        if not sys.stdin.isatty():
            raise CommandError(
                "No password: set PORTAL_SUPERUSER_PASSWORD, or run the command in a terminal to type one."
            )
        try:
            first = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("Cancelled; no account was created.") from None
        if first != again:
            raise CommandError("The two passwords are different.")
        return first
