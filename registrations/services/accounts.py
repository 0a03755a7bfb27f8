"""Writes about accounts that have side effects (emails)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac

from portal.outbound import LinkExpired, LinkInvalid, SignedLink, absolute_url, queue_email

User = get_user_model()

# The longest address an account can have (and RFC 5321's limit of a path).
EMAIL_MAX_LENGTH = 254
# Only the account's number (and a mark of its password) travel in the link: no address in URLs or logs.
CONFIRMATION_LINK = SignedLink(salt="registrations.email-confirmation", max_age="EMAIL_CONFIRMATION_MAX_AGE")


class ConfirmationLinkInvalid(Exception):
    """The link was altered, or belongs to no account."""


class ConfirmationLinkExpired(Exception):
    """The link is genuine but older than EMAIL_CONFIRMATION_MAX_AGE."""


def _password_mark(user):
    """A short keyed mark of the account's password hash: a new sign-up's password voids the links sent before."""
    return salted_hmac("registrations.confirmation-password", user.password).hexdigest()[:16]


def make_confirmation_token(user):
    return CONFIRMATION_LINK.make([user.pk, _password_mark(user)])


def lockout_username(request, credentials):
    """The account a sign-in attempt is about, as django-axes counts it (AXES_USERNAME_CALLABLE).

    Normalised as accounts are stored (stripped, lowercase), so that changing the
    letter case of the address gives no fresh attempts, and cut to what an
    address can be, so that an absurd one never reaches axes' 255-character column.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return User.objects.normalize_email(str(username))[:EMAIL_MAX_LENGTH]


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

    The answer, its content and its time, is the same whether the address is
    new, pending or taken: one password is hashed and one email queued in every
    case. An address that already has a confirmed account gets an email to its
    owner instead and nothing changes. An address whose account was never
    confirmed takes the newest sign-up's password (so that whoever signed it up
    first, perhaps someone else, cannot keep theirs: "pre-hijacking"), and
    only the link sent with that password confirms it.
    """
    email = User.objects.normalize_email(email)
    language = translation.get_language()
    password_hash = make_password(password)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _register(email=email, password_hash=password_hash, language=language)
        except IntegrityError:
            # A parallel sign-up of the same address created the account after our look: it is an existing one now.
            continue
    return None


def _register(*, email, password_hash, language):
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is None:
        user = User(email=email, password=password_hash, is_active=False)
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
        user.save()
        send_confirmation_email(user=user, language=language)
        return user
    if not existing.is_active and existing.email_confirmed_at is None:
        existing.password = password_hash
        # The pending account's age counts from its newest link (unconfirmed accounts are purged by it).
        existing.date_joined = timezone.now()
        existing.save(update_fields=["password", "date_joined"])
        send_confirmation_email(user=existing, language=language)
        return None
    _notify_existing_account(user=existing, language=language)
    return None


def _notify_existing_account(*, user, language):
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
        # A fresh link, valid for EMAIL_CONFIRMATION_MAX_AGE from now: the purge of unconfirmed accounts counts from it.
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now())
        send_confirmation_email(user=user, language=translation.get_language())


def confirm_email(*, token):
    """Activate the account the link was made for; return it."""
    try:
        user_pk, mark = CONFIRMATION_LINK.read(token)
    except LinkExpired:
        raise ConfirmationLinkExpired from None
    except (LinkInvalid, TypeError, ValueError):
        raise ConfirmationLinkInvalid from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_pk).first()
        if user is None:
            raise ConfirmationLinkInvalid
        if user.email_confirmed_at is None and not constant_time_compare(mark, _password_mark(user)):
            # Sent with a password that a later sign-up replaced.
            raise ConfirmationLinkInvalid
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
            user.is_active = True
            user.save(update_fields=["email_confirmed_at", "is_active"])
    return user
