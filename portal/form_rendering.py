"""How every form of the portal renders: the project's templates, and a BoundField that writes valid HTML.

Django 5.2 lets a renderer name the BoundField class all forms use
(BaseRenderer.bound_field_class), so the one rule below needs no patch of Django.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden:
            # A field's hidden copy of its initial value (show_hidden_initial) would get the field's
            # aria-describedby, which the Nu Html Checker refuses on a hidden input.
            attrs = {name: value for name, value in attrs.items() if not name.startswith("aria-")}
        return attrs


class FormRenderer(TemplatesSetting):
    """Widgets render with the project's templates too, so that templates/ can correct Django's own
    (a label for each input of a date and time; a password summary that is not a disabled <div>)."""

    bound_field_class = PortalBoundField
