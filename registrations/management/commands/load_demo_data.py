"""Fill the portal with demonstration data; safe to run again and again."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

# Printed for the demo; the command refuses to run in production.
DEMO_PASSWORD = "demo-portal-2026"

DEMO_ACCOUNTS = [
    # email, is_staff, is_superuser
    ("citizen@example.com", False, False),
    ("aigerim@example.com", False, False),
    ("officer@example.com", True, True),
]


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
            created = self._accounts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} new accounts). Sign in with any of "
                f"{', '.join(email for email, *_ in DEMO_ACCOUNTS)} and the password {DEMO_PASSWORD}"
            )
        )

    def _accounts(self):
        User = get_user_model()
        created = 0
        for email, is_staff, is_superuser in DEMO_ACCOUNTS:
            user, was_created = User.objects.get_or_create(
                email=email,
                defaults={
                    "is_staff": is_staff,
                    "is_superuser": is_superuser,
                    "email_confirmed_at": timezone.now(),
                },
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
        return created
