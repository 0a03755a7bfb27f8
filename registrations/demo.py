"""Demonstration accounts and citizens; called by `manage.py load_demo_data`."""

from django.contrib.auth import get_user_model
from django.utils import timezone

# Printed for the demo; the command refuses to run in production.
DEMO_PASSWORD = "demo-portal-2026"

DEMO_ACCOUNTS = [
    # email, is_staff, is_superuser
    ("citizen@example.com", False, False),
    ("aigerim@example.com", False, False),
    ("officer@example.com", True, True),
]


def load(*, stdout):
    User = get_user_model()
    created = 0
    for email, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            email=email,
            defaults={"is_staff": is_staff, "is_superuser": is_superuser, "email_confirmed_at": timezone.now()},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
    stdout.write(
        f"Accounts: {created} new. Sign in with any of {', '.join(email for email, *_ in DEMO_ACCOUNTS)} "
        f"and the password {DEMO_PASSWORD}"
    )
