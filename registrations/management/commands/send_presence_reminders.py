"""Ask residents and long stays "are you still there?"; run daily from cron."""

from django.core.management.base import BaseCommand

from registrations.services.freshness import send_presence_reminders


class Command(BaseCommand):
    help = (
        "Email citizens living abroad, or on trips longer than REGISTRATION_RECONFIRM_AFTER_DAYS, who have not "
        "confirmed for that many days, a link to confirm they are still there. Run daily."
    )

    def handle(self, *args, **options):
        sent = send_presence_reminders()
        self.stdout.write(f"Reminders sent: {sent}.")
