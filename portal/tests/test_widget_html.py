"""Django's own widgets write HTML the Nu Html Checker accepts, in every language: through the form renderer
(portal/form_rendering.py), a template (templates/auth/widgets/) or a repair (portal/widget_repairs.py).

The checker runs over every page in CI (test_web_checks.py); these say, one widget at a time and
without Java, which repair each page depends on.
"""

import re

import pytest
from django import forms
from django.contrib.admin import site
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.forms import ReadOnlyPasswordHashField
from django.contrib.auth.hashers import make_password
from django.utils import translation

from registrations.models import Trip


def tag(html, element, **attributes):
    """The opening tags `<element …>` of html whose attributes include the given ones."""
    found = re.findall(rf"<{element}\b[^>]*>", html)
    return [t for t in found if all(f'{key}="{value}"' in t for key, value in attributes.items())]


def test_a_fields_hidden_initial_copy_is_not_described_by_its_help_text():
    class Form(forms.Form):
        city = forms.CharField(help_text="Where you are now.", show_hidden_initial=True)

    html = str(Form()["city"])

    (visible,) = tag(html, "input", name="city")
    (hidden,) = tag(html, "input", name="initial-city")
    assert 'aria-describedby="id_city_helptext"' in visible
    assert "aria-" not in hidden


def test_the_password_summary_is_text_not_a_disabled_div():
    class Form(forms.Form):
        password = ReadOnlyPasswordHashField()

    html = str(Form(initial={"password": make_password("a-long-passphrase")})["password"])

    (summary,) = tag(html, "div")
    assert "disabled" not in summary
    assert "argon2" in html or "md5" in html  # the summary itself is still shown


def test_a_text_field_shown_as_a_select_has_no_maxlength():
    class Form(forms.Form):
        kind = forms.CharField(max_length=20, widget=forms.Select(choices=[("tourism", "Tourism")]))

    (select,) = tag(str(Form()["kind"]), "select")
    assert "maxlength" not in select


@pytest.mark.django_db
def test_an_autocomplete_in_kazakh_names_no_language_and_a_required_one_offers_an_empty_choice():
    with translation.override("kk"):  # the widget takes select2's language when it is made

        class Form(forms.Form):
            owner = forms.ModelChoiceField(
                Trip.owner.field.related_model.objects.all(), widget=AutocompleteSelect(Trip.owner.field, site)
            )

        html = str(Form()["owner"])

    (select,) = tag(html, "select")
    assert "lang=" not in select
    assert re.search(r'<option value=""[^>]*>', html)
