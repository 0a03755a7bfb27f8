"""Valid HTML from Django's own widgets, whatever the language (the Nu Html Checker runs in CI).

Some of Django 5.2's widgets write HTML the checker refuses, on pages every
staff member opens, and offer no setting or template to say otherwise:
- an autocomplete writes lang="None" when select2 has no translation for the
  language (Kazakh), and a required one with nothing chosen has no <option>;
- a CharField with choices shown as a <select> gives it its maxlength, which
  a <select> cannot have.
Each is repaired here, where Django builds it, once, when the admin starts.
What a template or a setting can correct is corrected there instead: the
password summary's template (templates/auth/widgets/) and the hidden initial
copy's aria-describedby (portal/form_rendering.py). portal/tests/test_widget_html.py
checks each of them, so a Django upgrade that changes these widgets says so.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms import Select


def _autocomplete_build_attrs(build_attrs):
    def wrapper(self, base_attrs, extra_attrs=None):
        attrs = build_attrs(self, base_attrs, extra_attrs)
        if attrs.get("lang") is None:
            attrs.pop("lang", None)
        return attrs

    return wrapper


def _autocomplete_optgroups(optgroups):
    def wrapper(self, name, value, attr=None):
        groups = optgroups(self, name, value, attr)
        options = groups[0][1]
        if self.is_required and not self.allow_multiple_selected and not options:
            # select2 shows its placeholder in an empty option; HTML wants one in a required <select>.
            options.append(self.create_option(name, "", BLANK_CHOICE_DASH[0][1], False, 0))
        return groups

    return wrapper


def _select_attrs(build_attrs):
    def wrapper(self, base_attrs, extra_attrs=None):
        attrs = build_attrs(self, base_attrs, extra_attrs)
        for name in ("maxlength", "minlength"):
            attrs.pop(name, None)
        return attrs

    return wrapper


def repair():
    if getattr(AutocompleteMixin, "_portal_repaired", False):
        return
    AutocompleteMixin.build_attrs = _autocomplete_build_attrs(AutocompleteMixin.build_attrs)
    AutocompleteMixin.optgroups = _autocomplete_optgroups(AutocompleteMixin.optgroups)
    Select.build_attrs = _select_attrs(Select.build_attrs)
    AutocompleteMixin._portal_repaired = True
