"""Valid HTML from Django's own widgets, whatever the language (the Nu Html Checker runs in CI).

Some of Django 5.2's widgets write HTML the checker refuses, on pages every
staff member opens:
- an autocomplete writes lang="None" when select2 has no translation for the
  language (Kazakh), and a required one with nothing chosen has no <option>;
- the read-only password summary on a user's page is a <div disabled>;
- a field's hidden copy of its initial value (show_hidden_initial) gets the
  field's aria-describedby, which a hidden input must not have;
- a CharField with choices shown as a <select> gives it its maxlength, which
  a <select> cannot have.
Each is repaired here, where Django builds it, once, when the admin starts.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms import Select
from django.forms.boundfield import BoundField


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


def _password_summary_context(get_context):
    def wrapper(self, name, value, attrs):
        context = get_context(self, name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)  # a <div> cannot be disabled: it shows text
        return context

    return wrapper


def _widget_attrs(build_widget_attrs):
    def wrapper(self, attrs, widget=None):
        attrs = build_widget_attrs(self, attrs, widget)
        if (widget or self.field.widget).is_hidden:
            for name in [name for name in attrs if name.startswith("aria-")]:
                del attrs[name]
        return attrs

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
    ReadOnlyPasswordHashWidget.get_context = _password_summary_context(ReadOnlyPasswordHashWidget.get_context)
    BoundField.build_widget_attrs = _widget_attrs(BoundField.build_widget_attrs)
    Select.build_attrs = _select_attrs(Select.build_attrs)
    AutocompleteMixin._portal_repaired = True
