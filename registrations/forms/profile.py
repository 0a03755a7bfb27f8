"""The citizen's profile: who they are, how to reach them, their consents."""

from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import CitizenProfile
from ..national_ids import home_scheme
from .base import CitizenFormMixin
from .fields import PhoneNumberField, date_field

NEEDS_CONSENT_LABEL = _(
    "I agree that the consular service keeps these needs, to help me (and them) in an emergency. "
    "I can delete them at any time."
)


class ProfileForm(CitizenFormMixin, forms.ModelForm):
    # The only place, with the model, that reads and writes national_id and passport_number.
    national_id = forms.CharField()
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    date_of_birth = date_field(_("Date of birth"), autocomplete="bday")
    passport_expires_on = date_field(_("Passport valid until"))
    phone = PhoneNumberField(
        label=_("Mobile phone"),
        help_text=_("With the country code if it is not a Kazakh number. We call or text it in an emergency."),
    )
    emergency_contact_phone = PhoneNumberField(label=_("Their phone"), autocomplete="off")
    needs_consent = forms.BooleanField(label=NEEDS_CONSENT_LABEL, required=False)
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the consular service keeps this data."),
    )

    class Meta:
        model = CitizenProfile
        fields = [
            "surname_latin",
            "given_names_latin",
            "full_name_native",
            "date_of_birth",
            "sex",
            "national_id",
            "passport_number",
            "passport_expires_on",
            "phone",
            "preferred_language",
            "preferred_channel",
            "medical_needs",
            "mobility_needs",
            "needs_consent",
            "emergency_contact_name",
            "emergency_contact_relation",
            "emergency_contact_phone",
            "emergency_contact_email",
            "privacy_consent",
        ]
        labels = {
            "surname_latin": _("Surname, as in your passport"),
            "given_names_latin": _("Given names, as in your passport"),
            "full_name_native": _("Full name in Cyrillic (or your own script)"),
            "sex": _("Sex, as in your passport (optional)"),
            "preferred_language": _("Language for our messages"),
            "preferred_channel": _("How we reach you first"),
            "medical_needs": _("Medical needs (optional)"),
            "mobility_needs": _("Mobility needs (optional)"),
            "emergency_contact_name": _("Emergency contact at home: name"),
            "emergency_contact_relation": _("Their relation to you"),
            "emergency_contact_email": _("Their email address (optional)"),
        }
        help_texts = {
            "surname_latin": _("In Latin letters, exactly as in the passport, e.g. SAPAROVA."),
            "full_name_native": _("Surname, given name and patronymic, e.g. Сапарова Айгерим Нурлановна."),
            "sex": _("Border and airline passenger lists ask for it in an evacuation."),
            "medical_needs": _("For example a condition, medicines you depend on, or an allergy."),
            "mobility_needs": _("For example a wheelchair, or help needed on stairs."),
            "emergency_contact_name": _("Someone in your home country we may call if we cannot reach you."),
            "emergency_contact_relation": _("For example mother, husband, friend."),
        }
        widgets = {
            "surname_latin": forms.TextInput(attrs={"autocomplete": "family-name", "autocapitalize": "characters"}),
            "given_names_latin": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "full_name_native": forms.TextInput(attrs={"autocomplete": "name"}),
            "medical_needs": forms.Textarea(attrs={"rows": 2}),
            "mobility_needs": forms.Textarea(attrs={"rows": 2}),
            "emergency_contact_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "emergency_contact_relation": forms.TextInput(attrs={"autocomplete": "off"}),
            "emergency_contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.Meta.fields)
        self.scheme = home_scheme()
        national_id = self.fields["national_id"]
        national_id.label = self.scheme.label
        national_id.help_text = self.scheme.help_text
        national_id.max_length = self.scheme.max_length + 8  # room for spaces people type
        national_id.widget.attrs.update(
            {"autocomplete": "off", "inputmode": self.scheme.input_mode, "maxlength": national_id.max_length}
        )
        # Radios without the select's empty "---------" choice (which a new profile showed ticked);
        # a new profile starts in the page's language, and the citizen picks how we reach them.
        for name in ("preferred_language", "preferred_channel"):
            field = self.fields[name]
            field.choices = [(value, label) for value, label in field.choices if value != ""]
            field.widget = forms.RadioSelect(choices=field.choices)
        language = (translation.get_language() or "").split("-")[0]
        offered = dict(self.fields["preferred_language"].choices)
        if not self.instance.pk and not self.initial.get("preferred_language") and language in offered:
            self.initial["preferred_language"] = language
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("privacy"), _("Read the privacy notice (version 1)")
        )
        if self.instance.pk:
            self.fields["needs_consent"].initial = self.instance.needs_consent_at is not None
            if self.instance.accepted_current_privacy_notice:
                del self.fields["privacy_consent"]

    def clean_national_id(self):
        # Whether another account holds the number is never said here (that was an oracle for anyone's
        # number): a clash is found on saving and becomes a case for headquarters (services.profile).
        return self.scheme.normalise(self.cleaned_data["national_id"])

    def clean_passport_number(self):
        return self.cleaned_data["passport_number"].replace(" ", "").upper()

    def clean(self):
        cleaned = super().clean()
        national_id = cleaned.get("national_id")
        if national_id and "date_of_birth" not in self.errors:
            try:
                self.scheme.validate(national_id, date_of_birth=cleaned.get("date_of_birth"))
            except forms.ValidationError as error:
                self.add_error("national_id", error)
        if (cleaned.get("medical_needs") or cleaned.get("mobility_needs")) and not cleaned.get("needs_consent"):
            self.add_error(
                "needs_consent",
                _("Tick this box to let us keep your medical and mobility needs, or leave those two fields empty."),
            )
        return cleaned
