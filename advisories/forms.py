"""Forms of the staff's publishing workflow and of the public pages' filters."""

import unicodedata

from django import forms
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.geography import regions_of

from .models import AdvisoryEdition, Level, RegionalAdvisory, RiskIndicator
from .multilingual import columns


def countries_by_name():
    """(code, name) of every country, sorted by its name in the active language.

    django-countries sorts with pyuca when it is installed; without it, it
    drops every non-ASCII letter, which leaves Russian and Kazakh names in
    English order. Decomposed, case-folded code points keep Cyrillic in
    alphabetical order (Kazakh's own letters after the Russian alphabet).
    """
    return sorted(countries, key=lambda country: unicodedata.normalize("NFKD", str(country.name)).casefold())


class AdvisoryEditionForm(forms.ModelForm):
    risk_indicators = forms.MultipleChoiceField(
        label=capfirst(AdvisoryEdition._meta.get_field("risk_indicators").verbose_name),
        choices=RiskIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=AdvisoryEdition._meta.get_field("risk_indicators").help_text,
    )

    class Meta:
        model = AdvisoryEdition
        # Each text once per language (advisories/translation.py), shown side by side.
        fields = [
            "advisory",
            "level",
            "risk_indicators",
            *columns("summary"),
            *(name for field in AdvisoryEdition.SECTION_FIELDS for name in columns(field)),
            "is_major",
            *columns("change_note"),
            "reviewed_at",
            "next_review_due",
            "publish_at",
        ]

    def clean_advisory(self):
        advisory = self.cleaned_data["advisory"]
        # The database allows one edition in preparation per country; say so
        # here in words rather than let the insert fail.
        others = advisory.editions.in_preparation()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("%(country)s already has a draft or scheduled edition: open it from the list of editions."),
                params={"country": advisory},
            )
        return advisory

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No language is required on its own: one is enough to publish in a crisis.
        for name in [*columns("summary"), *columns("change_note")]:
            if name in self.fields:
                self.fields[name].required = False

    def _written(self, cleaned, field):
        return any((cleaned.get(name) or "").strip() for name in columns(field))

    def clean(self):
        cleaned = super().clean()
        if not self._written(cleaned, "summary"):
            self.add_error(columns("summary")[0], _("Write the summary in at least one language."))
        is_major = cleaned.get("is_major")
        if is_major and not self._written(cleaned, "change_note"):
            self.add_error(
                columns("change_note")[0], _("Write a change note for the public, or untick “major update”.")
            )
        advisory = cleaned.get("advisory") or getattr(self.instance, "advisory", None)
        level = cleaned.get("level")
        if advisory and level and is_major is False:
            published_level = advisory.editions.published().values_list("level", flat=True).first()
            if published_level is not None and published_level != level:
                self.add_error("is_major", _("A change of level is always a major update: tick “major update”."))
        return cleaned


class RegionalAdvisoryForm(forms.ModelForm):
    """A regional level; the region is chosen from the country's real ISO 3166-2 list; the reason per language."""

    region = forms.ChoiceField(label=_("region"), choices=())

    class Meta:
        model = RegionalAdvisory
        fields = ["region", "level", *columns("reason")]

    def __init__(self, *args, country_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_of(country_code) if country_code else []
        self.fields["region"].choices = [("", "---------"), *((code, f"{name} ({code})") for code, name in regions)]
        for name in columns("reason"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in columns("reason")):
            self.add_error(columns("reason")[0], _("Write the reason in at least one language."))
        return cleaned


class MissionAdminForm(forms.ModelForm):
    """A mission in the admin: its name, city and address are required in one language at least."""

    REQUIRED_TEXTS = ("name", "city", "address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.REQUIRED_TEXTS:
            for name in columns(field):
                if name in self.fields:
                    self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for field in self.REQUIRED_TEXTS:
            names = [name for name in columns(field) if name in self.fields]
            if names and not any((cleaned.get(name) or "").strip() for name in names):
                self.add_error(names[0], _("Write this in at least one language."))
        return cleaned


class AdvisoryFilterForm(forms.Form):
    """The index's GET form: a name to look for and a level."""

    q = forms.CharField(label=_("Country name"), required=False, max_length=100)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        # format_lazy: the labels are translated per request, not once at import.
        choices=[
            ("", _("Any level")),
            *((value, format_lazy("{}: {}", value, label)) for value, label in Level.choices),
        ],
    )


class CountryChoiceForm(forms.Form):
    """The directory's GET form: "who helps me in country X?"."""

    country = forms.ChoiceField(label=_("Country"), required=False, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request so that the names follow the page's language.
        self.fields["country"].choices = [("", _("All countries")), *countries_by_name()]
