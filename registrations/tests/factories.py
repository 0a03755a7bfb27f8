from django.contrib.auth import get_user_model
from django.utils import timezone

PASSWORD = "a-long-test-passphrase"


def make_user(email="citizen@example.com", *, password=PASSWORD, confirmed=True, **fields):
    User = get_user_model()
    return User.objects.create_user(
        email=email,
        password=password,
        is_active=confirmed,
        email_confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )
