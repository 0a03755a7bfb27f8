"""A household member's details, entered by the citizen they travel with."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..models import HouseholdMember
from .base import CitizenFormMixin
from .fields import date_field
from .profile import NEEDS_CONSENT_LABEL


class HouseholdMemberForm(CitizenFormMixin, forms.ModelForm):
    date_of_birth = date_field(_("Date of birth"))
    needs_consent = forms.BooleanField(label=NEEDS_CONSENT_LABEL, required=False)

    class Meta:
        model = HouseholdMember
        fields = ["full_name", "date_of_birth", "sex", "relationship", "citizenship", "document_number", "needs"]
        labels = {
            "full_name": _("Full name"),
            "sex": _("Sex, as in their passport (optional)"),
            "relationship": _("Relationship to you"),
            "citizenship": _("Citizenship"),
            "document_number": _("Passport or ID number (optional)"),
            "needs": _("Medical or mobility needs (optional)"),
        }
        help_texts = {
            "full_name": _("As in their passport or birth certificate."),
            "citizenship": _("The country of their passport; it may be another country than yours."),
            "sex": _("Border and airline passenger lists ask for it in an evacuation."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "document_number": forms.TextInput(attrs={"autocomplete": "off"}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([*self.Meta.fields, "needs_consent"])
        # Put the home country first: most household members share it.
        home = settings.PORTAL_HOME_COUNTRY
        choices = [(code, name) for code, name in countries if code != home]
        self.fields["citizenship"].choices = [("", _("Choose a country")), (home, countries.name(home)), *choices]
        if not self.instance.pk:
            self.fields["citizenship"].initial = home
        else:
            self.fields["needs_consent"].initial = self.instance.needs_consent_at is not None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("needs") and not cleaned.get("needs_consent"):
            self.add_error(
                "needs_consent", _("Tick this box to let us keep their needs, or leave the needs field empty.")
            )
        return cleaned
