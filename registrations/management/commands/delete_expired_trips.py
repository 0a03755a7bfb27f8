"""Delete trips that ended or were cancelled more than TRIP_RETENTION_DAYS ago; run daily from cron."""

from django.core.management.base import BaseCommand

from registrations.services.trips import delete_expired_trips


class Command(BaseCommand):
    help = "Delete trips, with their stops, ended or cancelled more than TRIP_RETENTION_DAYS ago. Run daily."

    def handle(self, *args, **options):
        deleted = delete_expired_trips()
        self.stdout.write(f"Expired trips deleted: {deleted}.")
