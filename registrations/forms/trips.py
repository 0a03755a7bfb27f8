"""The trip form and its formset of stops, usable without JavaScript.

The region list depends on the country. Without JavaScript the citizen picks
the country and presses "Show regions" (or "Add a stop"), and the page comes
back with the region list filled in and everything typed kept; static/js/regions.js
does the same on the fly.
"""

from functools import lru_cache
from itertools import pairwise

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.country_field import CountryChoiceField
from portal.geography import is_region_of, regions_of

from ..models import Stop, Trip
from ..models.household import MAX_HOUSEHOLD_MEMBERS
from ..models.trips import TripKind
from .base import BoundedInlineFormSet, CitizenFormMixin, bounded_inlineformset_factory
from .fields import PhoneNumberField, date_field

# More stops than this in one trip is a mistake (or a script).
MAX_STOPS = 20


@lru_cache(maxsize=16)
def _countries_in(language):
    # Translating and sorting some 250 names took longer than the rest of the form: once per language.
    return tuple(countries)


def _country_choices():
    """The countries in the page's language: called when the list is drawn, not for each form made or checked."""
    return [("", _("Choose a country")), *_countries_in(get_language())]


class TravellersField(forms.ModelMultipleChoiceField):
    """The household members travelling: never more ids looked up than a household can hold."""

    def clean(self, value):
        if value and len(value) > MAX_HOUSEHOLD_MEMBERS:
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return super().clean(value)


class TripForm(CitizenFormMixin, forms.ModelForm):
    phone_abroad = PhoneNumberField(
        label=_("Phone abroad (optional)"),
        required=False,
        help_text=_("A local number you use there, with its country code, e.g. +98 912 345 6789."),
    )
    # Set when the empty form is shown; the same token twice means a double click.
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Trip
        fields = ["kind", "travellers", "phone_abroad"]
        labels = {"kind": _("Purpose of the trip"), "travellers": _("Who travels with you (optional)")}
        widgets = {"kind": forms.RadioSelect, "travellers": forms.CheckboxSelectMultiple}
        field_classes = {"travellers": TravellersField}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = self.instance.pk is None
        # Only the citizen's own household: another citizen's member ids are refused as invalid choices.
        self.fields["travellers"].queryset = owner.household_members.all()
        self.fields["travellers"].help_text = _(
            "You are counted already. Add people on the household page to see them here."
        )
        self.fields["kind"].choices = TripKind.choices

    def clean(self):
        cleaned = super().clean()
        # The page that shows a new trip's form gives it a token; a POST without one (or with a
        # damaged one) was not made from that page, and would register a new trip each time it is sent.
        # The field is hidden: the error goes where the citizen reads it.
        if self.creating and (cleaned.get("submission_token") is None or "submission_token" in self.errors):
            self.errors.pop("submission_token", None)
            raise forms.ValidationError(
                _("This form is out of date, so nothing was saved. Open “Add a trip” again and fill it in."),
                code="no_submission_token",
            )
        return cleaned


class StopForm(CitizenFormMixin, forms.ModelForm):
    country = CountryChoiceField(label=_("Country"), choices=_country_choices)
    arrival_date = date_field(_("Arrival date"))
    departure_date = date_field(
        _("Departure date (optional)"), required=False, help_text=_("Leave it empty if you live there.")
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a region of the country above; the list changed with it.")},
    )

    class Meta:
        model = Stop
        fields = ["country", "region", "city", "address", "arrival_date", "departure_date"]
        labels = {
            "city": _("City or town"),
            "address": _("Address or hotel (optional)"),
        }
        help_texts = {"address": _("Where we can find you: a street address, or the name of the hotel.")}
        widgets = {
            "city": forms.TextInput(attrs={"autocomplete": "off"}),
            "address": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].widget.attrs["data-country-select"] = ""
        self.country_code = self._chosen_country()
        regions = regions_of(self.country_code) if self.country_code else []
        region = self.fields["region"]
        region.widget.attrs.update({"data-region-select": "", "data-choose-label": _("Choose the region")})
        if regions:
            region.choices = [("", _("Choose the region")), *regions]
        elif self.country_code:
            region.choices = [("", _("No regions for this country"))]
        else:
            region.choices = [("", _("Choose the country first"))]
        region.help_text = _("The province, state or district. Without JavaScript, press “Show regions” first.")

    def _chosen_country(self):
        if self.is_bound:
            code = self.data.get(self.add_prefix("country"), "")
        else:
            code = self.initial.get("country") or (self.instance.country.code if self.instance.country else "")
        return str(code).upper()[:2]

    def clean(self):
        cleaned = super().clean()
        country, region = cleaned.get("country"), cleaned.get("region")
        if country and regions_of(country) and not region and "region" not in self.errors:
            self.add_error("region", _("Choose the region. Press “Show regions” if the list is empty."))
        elif country and region and not is_region_of(region, country):
            self.add_error("region", _("Choose a region of the country above; the list changed with it."))
        # The departure after the arrival: Stop.clean says so, for this form and every other.
        return cleaned


class BaseStopFormSet(BoundedInlineFormSet):
    default_error_messages = {
        **BoundedInlineFormSet.default_error_messages,
        "too_few_forms": _("Add at least one stop: where you are going."),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this stop")

    def kept_forms(self):
        """Stop forms that are filled in and not marked for removal, in the order shown."""
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        stops = [form.cleaned_data for form in self.kept_forms()]
        for number, (previous, stop) in enumerate(pairwise(stops), start=2):
            if previous.get("departure_date") is None:
                raise forms.ValidationError(
                    _("Only the last stop can have no departure date: stop %(number)d comes after it."),
                    code="open_stop_not_last",
                    params={"number": number},
                )
            if stop["arrival_date"] < previous["departure_date"]:
                raise forms.ValidationError(
                    _(
                        "Stop %(number)d begins before stop %(previous)d ends. "
                        "List the stops in the order you travel, with dates that follow on."
                    ),
                    code="stops_out_of_order",
                    params={"number": number, "previous": number - 1},
                )


StopFormSet = bounded_inlineformset_factory(
    Trip,
    Stop,
    form=StopForm,
    formset=BaseStopFormSet,
    max_num=MAX_STOPS,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
)
