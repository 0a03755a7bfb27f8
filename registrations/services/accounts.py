"""Writes about accounts that have side effects (emails)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from portal.outbound import absolute_url, send_templated_email

User = get_user_model()

_CONFIRMATION_SALT = "registrations.email-confirmation"


class ConfirmationLinkInvalid(Exception):
    """The link was altered, or belongs to no account."""


class ConfirmationLinkExpired(Exception):
    """The link is genuine but older than EMAIL_CONFIRMATION_MAX_AGE."""


def make_confirmation_token(user):
    # Only the account's number travels in the link: no address in URLs or logs.
    return signing.dumps(user.pk, salt=_CONFIRMATION_SALT, compress=True)


def send_confirmation_email(*, user):
    path = reverse("registrations:confirm_email", kwargs={"token": make_confirmation_token(user)})
    send_templated_email(
        to=user.email,
        template="registrations/email/confirm_email",
        context={
            "confirm_url": absolute_url(path),
            "valid_days": settings.EMAIL_CONFIRMATION_MAX_AGE // (24 * 3600) or 1,
        },
    )


def register_account(*, email, password):
    """Create an inactive account and mail the confirmation link.

    When the address already has an account we create nothing and mail its
    owner instead, so the sign-up page never reveals who is registered.
    """
    email = User.objects.normalize_email(email)
    language = translation.get_language()
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email=email).first()
        if existing is not None:
            transaction.on_commit(lambda: _notify_existing_account(user=existing, language=language))
            return None
        user = User.objects.create_user(email=email, password=password, is_active=False)
        transaction.on_commit(lambda: _send_in_language(language, send_confirmation_email, user=user))
        return user


def _send_in_language(language, sender, **kwargs):
    with translation.override(language):
        sender(**kwargs)


def _notify_existing_account(*, user, language):
    if not user.is_active and user.email_confirmed_at is None:
        _send_in_language(language, send_confirmation_email, user=user)
        return
    with translation.override(language):
        send_templated_email(
            to=user.email,
            template="registrations/email/account_exists",
            context={
                "sign_in_url": absolute_url(reverse("registrations:login")),
                "reset_url": absolute_url(reverse("registrations:password_reset")),
            },
        )


def resend_confirmation(*, email):
    user = User.objects.filter(
        email=User.objects.normalize_email(email), is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        send_confirmation_email(user=user)


def confirm_email(*, token):
    """Activate the account the link was made for; return it."""
    try:
        user_pk = signing.loads(token, salt=_CONFIRMATION_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ConfirmationLinkExpired from None
    except signing.BadSignature:
        raise ConfirmationLinkInvalid from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_pk).first()
        if user is None:
            raise ConfirmationLinkInvalid
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            user.is_active = True
            user.save(update_fields=["email_confirmed_at", "is_active"])
    return user
