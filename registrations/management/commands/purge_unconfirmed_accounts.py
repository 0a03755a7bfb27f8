"""Delete sign-ups never confirmed once their link has expired; run daily from cron."""

from django.core.management.base import BaseCommand

from registrations.services.rights import purge_never_confirmed_accounts


class Command(BaseCommand):
    help = (
        "Delete accounts never confirmed whose confirmation link expired (EMAIL_CONFIRMATION_MAX_AGE) "
        "more than a day ago, with the lockout records and admin log entries naming them. Run daily."
    )

    def handle(self, *args, **options):
        deleted = purge_never_confirmed_accounts()
        self.stdout.write(f"Never-confirmed accounts deleted: {deleted}.")
