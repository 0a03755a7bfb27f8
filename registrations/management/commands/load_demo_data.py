"""Fill the portal with demonstration data; safe to run again and again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import advisories.demo
import registrations.demo


class Command(BaseCommand):
    help = "Create demonstration accounts and data. Refuses to run unless DEBUG is on."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (for a staging copy; never in production).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data has known passwords: run with DEBUG=1, or --force on a staging copy.")
        with transaction.atomic():
            # Advisories first: citizens' dashboards show their destinations' levels.
            advisories.demo.load(stdout=self.stdout)
            registrations.demo.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
