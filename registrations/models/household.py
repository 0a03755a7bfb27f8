"""Who travels with a citizen: household members, who have no account of their own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.country_field import CountryField
from portal.encryption import EncryptedCharField

from .profile import Sex
from .scoping import PersonalDataQuerySet

# A household larger than this is a mistake (or a script): it bounds every list and trip form built from it.
MAX_HOUSEHOLD_MEMBERS = 20


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    RELATIVE = "relative", _("Other relative")
    OTHER = "other", _("Other")


class HouseholdMemberQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        from .trips import Trip

        return self.filter(owner_id__in=Trip.objects.in_jurisdiction(jurisdiction).values("owner_id"))

    def with_stop_where(self, condition):
        from .trips import Stop

        return self.filter(owner_id__in=Stop.objects.present(onwards=True).filter(condition).values("trip__owner_id"))


class HouseholdMember(models.Model):
    """Someone who travels with a citizen and has no account: a child, a foreign spouse, a parent."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="household_members", verbose_name=_("citizen")
    )
    full_name = models.CharField(_("full name"), max_length=250)
    date_of_birth = models.DateField(_("date of birth"))
    # Optional: passenger lists show it empty when unknown.
    sex = models.CharField(_("sex, as in the passport"), max_length=1, choices=Sex, blank=True)
    relationship = models.CharField(_("relationship to you"), max_length=10, choices=Relationship)
    citizenship = CountryField(_("citizenship"))
    document_number = EncryptedCharField(_("passport or ID number"), max_length=32, blank=True)
    needs = models.TextField(_("medical or mobility needs"), blank=True)
    needs_consent_at = models.DateTimeField(_("consent to keep needs given at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["date_of_birth", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relationship__in=Relationship.values),
                name="registrations_householdmember_relationship_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(sex="") | models.Q(sex__in=Sex.values),
                name="registrations_householdmember_sex_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(needs_consent_at__isnull=False) | models.Q(needs=""),
                name="registrations_householdmember_needs_need_consent",
            ),
        ]

    def __str__(self):
        return self.full_name
