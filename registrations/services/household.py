"""Writes about the people who travel with a citizen."""

from django.utils import timezone


def save_household_member(*, member, needs_consent):
    if not needs_consent:
        member.needs = ""
        member.needs_consent_at = None
    elif member.needs_consent_at is None:
        member.needs_consent_at = timezone.now()
    member.full_clean()
    member.save()
    return member
