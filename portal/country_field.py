"""django-countries' fields, checked by a lookup instead of a walk over every country.

Django validates a choice by walking the field's choices, and a country field's
choices are some 250 names, translated and sorted for each walk: 0.9 ms for the
model field and as much again for the form field (measured), for every stop a
citizen saves. A code is valid when the list of countries has it: a dict lookup.
"""

from django import forms
from django_countries import countries
from django_countries.fields import CountryField as DjangoCountriesField


class CountryField(DjangoCountriesField):
    def validate(self, value, model_instance):
        if not self.multiple and value and value in self.countries:
            return  # a known code: not empty, and one of the choices
        super().validate(value, model_instance)  # the error, worded as Django words it


class CountryChoiceField(forms.ChoiceField):
    """A country from a list given as a callable: drawn when the page is, checked by a lookup."""

    def valid_value(self, value):
        return value in countries
