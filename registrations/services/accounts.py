"""Writes about accounts that have side effects (emails)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from portal.outbound import LinkExpired, LinkInvalid, SignedLink, absolute_url, queue_email

User = get_user_model()

# Only the account's number travels in the link: no address in URLs or logs.
CONFIRMATION_LINK = SignedLink(salt="registrations.email-confirmation", max_age="EMAIL_CONFIRMATION_MAX_AGE")


class ConfirmationLinkInvalid(Exception):
    """The link was altered, or belongs to no account."""


class ConfirmationLinkExpired(Exception):
    """The link is genuine but older than EMAIL_CONFIRMATION_MAX_AGE."""


def make_confirmation_token(user):
    return CONFIRMATION_LINK.make(user.pk)


def send_confirmation_email(*, user, language):
    with translation.override(language):
        path = reverse("registrations:confirm_email", kwargs={"token": make_confirmation_token(user)})
    queue_email(
        "confirm_email",
        to=user.email,
        language=language,
        context={
            "confirm_url": absolute_url(path),
            "valid_days": settings.EMAIL_CONFIRMATION_MAX_AGE // (24 * 3600) or 1,
        },
    )


def register_account(*, email, password):
    """Create an inactive account and mail the confirmation link (in the background, after the commit).

    When the address already has an account we create nothing and mail its
    owner instead, so the sign-up page never reveals who is registered.
    """
    email = User.objects.normalize_email(email)
    language = translation.get_language()
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email=email).first()
        if existing is not None:
            _notify_existing_account(user=existing, language=language)
            return None
        user = User.objects.create_user(email=email, password=password, is_active=False)
        send_confirmation_email(user=user, language=language)
        return user


def _notify_existing_account(*, user, language):
    if not user.is_active and user.email_confirmed_at is None:
        send_confirmation_email(user=user, language=language)
        return
    with translation.override(language):
        sign_in_path, reset_path = reverse("registrations:login"), reverse("registrations:password_reset")
    queue_email(
        "account_exists",
        to=user.email,
        language=language,
        context={"sign_in_url": absolute_url(sign_in_path), "reset_url": absolute_url(reset_path)},
    )


def resend_confirmation(*, email):
    user = User.objects.filter(
        email=User.objects.normalize_email(email), is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        send_confirmation_email(user=user, language=translation.get_language())


def confirm_email(*, token):
    """Activate the account the link was made for; return it."""
    try:
        user_pk = CONFIRMATION_LINK.read(token)
    except LinkExpired:
        raise ConfirmationLinkExpired from None
    except LinkInvalid:
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
