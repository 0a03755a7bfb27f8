"""Writes about the citizen's profile."""

from django.db import transaction
from django.utils import timezone

from ..models import PRIVACY_NOTICE_VERSION, CitizenProfile, IdentityClash


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
    with transaction.atomic():
        profile.save()
        _record_clashes(profile)
    return profile


def _record_clashes(profile):
    """Open a case for headquarters for each other profile holding the same national ID (the same work every time)."""
    holders = CitizenProfile.objects.filter(national_id_digest=profile.national_id_digest).exclude(pk=profile.pk)
    for holder in holders:
        IdentityClash.objects.get_or_create(claimant=profile, holder=holder)
