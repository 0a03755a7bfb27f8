"""Who the citizen is: the profile behind an account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.encryption import EncryptedCharField

from .scoping import PersonalDataQuerySet

# The version of templates/pages/privacy.html; raise it when the notice changes
# so that citizens are asked to accept the new one.
PRIVACY_NOTICE_VERSION = "1"


class Sex(models.TextChoices):
    """As printed in a passport (ICAO 9303): border and airline passenger lists ask for it."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified (X)")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class CitizenProfileQuerySet(PersonalDataQuerySet):
    def in_jurisdiction(self, jurisdiction):
        from .trips import Trip

        return self.filter(user_id__in=Trip.objects.in_jurisdiction(jurisdiction).values("owner_id"))

    def with_stop_where(self, condition):
        from .trips import Stop

        return self.filter(user_id__in=Stop.objects.present(onwards=True).filter(condition).values("trip__owner_id"))


class CitizenProfile(models.Model):
    """The citizen's identity and how to reach them; one per account.

    national_id and passport_number are stored encrypted (registrations/encryption.py);
    national_id_digest, a keyed hash written on every save, finds a citizen by
    exact number and keeps numbers unique without decrypting anything.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile", verbose_name=_("account")
    )
    surname_latin = models.CharField(_("surname, as in the passport"), max_length=100)
    given_names_latin = models.CharField(_("given names, as in the passport"), max_length=150)
    full_name_native = models.CharField(_("full name in your own script"), max_length=250)
    date_of_birth = models.DateField(_("date of birth"))
    # Optional: passenger lists show it empty when unknown.
    sex = models.CharField(_("sex, as in the passport"), max_length=1, choices=Sex, blank=True)
    national_id = EncryptedCharField(_("national identity number"), max_length=32, digest_field="national_id_digest")
    national_id_digest = models.CharField(_("national identity number (keyed hash)"), max_length=64, editable=False)
    passport_number = EncryptedCharField(_("passport number"), max_length=20)
    passport_expires_on = models.DateField(_("passport valid until"))
    phone = models.CharField(_("mobile phone"), max_length=20, help_text=_("E.164, e.g. +77011234567"))
    preferred_language = models.CharField(_("preferred language"), max_length=2, choices=settings.LANGUAGES)
    preferred_channel = models.CharField(_("preferred channel"), max_length=5, choices=Channel)
    medical_needs = models.TextField(_("medical needs"), blank=True)
    mobility_needs = models.TextField(_("mobility needs"), blank=True)
    needs_consent_at = models.DateTimeField(_("consent to keep needs given at"), null=True, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact's name"), max_length=200)
    emergency_contact_relation = models.CharField(_("emergency contact's relation to you"), max_length=100)
    emergency_contact_phone = models.CharField(_("emergency contact's phone"), max_length=20)
    emergency_contact_email = models.EmailField(_("emergency contact's email"), blank=True)
    privacy_notice_version = models.CharField(_("privacy notice version accepted"), max_length=10)
    privacy_consented_at = models.DateTimeField(_("privacy notice accepted at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CitizenProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")
        ordering = ["surname_latin", "given_names_latin"]
        indexes = [
            # The staff's exact search by national ID, and the check for a clash. Not unique: a number two
            # accounts claim is an IdentityClash for headquarters, never an answer to whoever typed it.
            models.Index(fields=["national_id_digest"], name="registrations_profile_nid_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(preferred_language__in=[code for code, _name in settings.LANGUAGES]),
                name="registrations_citizenprofile_language_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(sex="") | models.Q(sex__in=Sex.values), name="registrations_citizenprofile_sex_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(preferred_channel__in=Channel.values),
                name="registrations_citizenprofile_channel_valid",
            ),
            # Health and mobility are special-category data: kept only with consent.
            models.CheckConstraint(
                condition=models.Q(needs_consent_at__isnull=False) | models.Q(medical_needs="", mobility_needs=""),
                name="registrations_citizenprofile_needs_need_consent",
            ),
        ]

    def __str__(self):
        return f"{self.surname_latin} {self.given_names_latin}"

    @property
    def latin_name(self):
        return f"{self.given_names_latin} {self.surname_latin}"

    @property
    def accepted_current_privacy_notice(self):
        return self.privacy_notice_version == PRIVACY_NOTICE_VERSION
