"""Delete the personal data of crises closed more than CRISIS_RETENTION_DAYS ago; run daily from cron."""

from django.core.management.base import BaseCommand

from registrations.services.crises import purge_closed_crises


class Command(BaseCommand):
    help = (
        "Delete the answers, notes, help requests and deliveries of crises closed more than "
        "CRISIS_RETENTION_DAYS ago, keeping their counts. Run daily."
    )

    def handle(self, *args, **options):
        purged = purge_closed_crises()
        self.stdout.write(f"Crises whose personal data was deleted: {purged}.")
