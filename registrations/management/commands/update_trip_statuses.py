"""Move trips from planned to under way to ended as their dates pass; run daily from cron, after midnight."""

from django.core.management.base import BaseCommand

from registrations.services.trips import update_trip_statuses


class Command(BaseCommand):
    help = "Set each trip's status (planned, current, ended) from its stops' dates. Run daily after midnight."

    def handle(self, *args, **options):
        changed = update_trip_statuses()
        self.stdout.write(f"Trips whose status changed: {changed}.")
