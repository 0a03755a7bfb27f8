"""Delete subscriptions never confirmed once their link has expired; run daily from cron."""

from django.core.management.base import BaseCommand

from advisories.subscriptions.services import purge_unconfirmed_subscriptions


class Command(BaseCommand):
    help = (
        "Delete advisory subscriptions never confirmed whose confirmation link expired "
        "(EMAIL_CONFIRMATION_MAX_AGE) more than a day ago. Run daily."
    )

    def handle(self, *args, **options):
        deleted = purge_unconfirmed_subscriptions()
        self.stdout.write(f"Unconfirmed subscriptions deleted: {deleted}.")
