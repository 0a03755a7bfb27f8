"""Accounts, sessions and links for the load: run by run.py in the portal's environment; prints JSON.

Citizens with a profile and a session (the trip write), citizens with the demo
password (sign-in), a staff session past the second factor (the board), and the
personal check-in links of the people on the open crisis's board (when there is one).
Nothing is measured here.
"""

import json
import os
import secrets
import string
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

DEMO_PASSWORD = "demo-portal-2026"
CITIZENS = int(os.environ.get("BENCH_CITIZENS", "200"))


def csrf_secret():
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def session_for(user, *, verified_device=None):
    """(session cookie, CSRF secret) of a signed-in session, as the sign-in page would leave it."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    secret = csrf_secret()
    session = client.session
    if verified_device is not None:
        from django_otp import DEVICE_ID_SESSION_KEY

        session[DEVICE_ID_SESSION_KEY] = verified_device.persistent_id
    if getattr(settings, "CSRF_USE_SESSIONS", False):
        from django.middleware.csrf import CSRF_SESSION_KEY

        session[CSRF_SESSION_KEY] = secret
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value, secret


def citizens():
    from registrations.management.commands.bench_presence import Filler
    from registrations.models import CitizenProfile

    User = get_user_model()
    now = timezone.now()
    filler = Filler(seed=13, today=timezone.localdate(now), now=now, write=lambda _line: None)
    password = make_password(DEMO_PASSWORD)
    users = []
    for n in range(1, CITIZENS + 1):
        user, created = User.objects.get_or_create(
            email=f"bench.web.{n}@example.com", defaults={"password": password, "email_confirmed_at": now}
        )
        if created:
            # Serials far from bench_presence's, so national IDs never collide with them.
            CitizenProfile.objects.create(**_profile_fields(filler._profile(user, 900_000 + n)))
        users.append(user)
    return users


def _profile_fields(profile):
    return {
        field.attname: getattr(profile, field.attname)
        for field in profile._meta.concrete_fields
        if field.attname != "id"
    }


def staff():
    from portal.second_factor.models import AuthenticatorDevice

    officer = get_user_model().objects.get(email="officer@example.com")
    device = AuthenticatorDevice.objects.filter(user=officer, confirmed=True).first()
    return session_for(officer, verified_device=device)


def checkin_links():
    try:
        from registrations.models import CrisisPerson
        from registrations.services.checkins import CHECKIN_LINK
    except ImportError:
        return []
    people = CrisisPerson.objects.citizens().filter(crisis__closed_at__isnull=True).order_by("pk")[:200]
    return [{"token": CHECKIN_LINK.make(person.pk), "person": person.pk} for person in people]


def main():
    users = citizens()
    today = timezone.localdate()
    output = {
        "trip_sessions": [],
        "signin_emails": [user.email for user in users],
        "staff": staff(),
        "checkins": checkin_links(),
        "arrival": (today + timedelta(days=10)).isoformat(),
        "departure": (today + timedelta(days=20)).isoformat(),
    }
    for user in users:
        output["trip_sessions"].append(session_for(user))
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main()
