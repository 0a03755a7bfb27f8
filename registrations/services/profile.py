"""Writes about the citizen's profile."""

from django.utils import timezone

from ..models import PRIVACY_NOTICE_VERSION


def save_profile(*, profile, needs_consent, privacy_consent):
    """Save a profile filled in by its owner, stamping the consents they just gave."""
    now = timezone.now()
    if not (profile.medical_needs or profile.mobility_needs or needs_consent):
        profile.needs_consent_at = None
    elif needs_consent and profile.needs_consent_at is None:
        profile.needs_consent_at = now
    if privacy_consent:
        profile.privacy_notice_version = PRIVACY_NOTICE_VERSION
        profile.privacy_consented_at = now
    profile.full_clean()
    profile.save()
    return profile
