"""Writes about the people who travel with a citizen."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..models import HouseholdMember
from ..models.household import MAX_HOUSEHOLD_MEMBERS


class HouseholdFull(Exception):
    """The citizen has MAX_HOUSEHOLD_MEMBERS people in their household already."""


def save_household_member(*, member, needs_consent):
    if member.pk is None:
        with transaction.atomic():
            # One citizen's requests in a row: lock their account's row so that parallel posts count in turn.
            get_user_model().objects.select_for_update().filter(pk=member.owner_id).first()
            if HouseholdMember.objects.filter(owner_id=member.owner_id).count() >= MAX_HOUSEHOLD_MEMBERS:
                raise HouseholdFull
            return _save(member, needs_consent)
    return _save(member, needs_consent)


def _save(member, needs_consent):
    if not needs_consent:
        member.needs = ""
        member.needs_consent_at = None
    elif member.needs_consent_at is None:
        member.needs_consent_at = timezone.now()
    member.full_clean()
    member.save()
    return member
