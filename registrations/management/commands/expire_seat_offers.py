"""End the seat offers past their deadline and offer their seats to the next people; run every few minutes."""

from django.core.management.base import BaseCommand

from registrations.services.seat_offers import expire_seat_offers


class Command(BaseCommand):
    help = (
        "End the evacuation seat offers not answered before their deadline, and offer every free seat of the "
        "transports being offered to the next people by priority. Run from cron every few minutes."
    )

    def handle(self, *args, **options):
        expired, made = expire_seat_offers()
        self.stdout.write(f"Seat offers expired: {expired}; new offers: {made}.")
