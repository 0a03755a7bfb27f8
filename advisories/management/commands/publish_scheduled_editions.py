"""Publish the scheduled editions whose time has come; run it every minute from cron."""

from django.core.management.base import BaseCommand

from advisories.services import publish_due_editions


class Command(BaseCommand):
    help = "Publish every scheduled advisory edition whose “publish at” time has passed."

    def handle(self, *args, **options):
        published = publish_due_editions()
        for edition in published:
            self.stdout.write(f"Published {edition}.")
        if options["verbosity"] >= 2 or published:
            self.stdout.write(self.style.SUCCESS(f"{len(published)} edition(s) published."))
