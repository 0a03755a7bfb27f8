"""What every citizen's form shares: bounded formsets, and text without hidden direction controls.

Citizens' forms are the portal's largest surface open to anyone with an
account, so their costs and their text are bounded here, once:

- `bounded_inlineformset_factory` gives every formset a hard maximum
  (max_num = absolute_max, validate_max): a POST claiming 3,000 forms builds
  at most that many and is answered with an error, and a damaged management
  form is an error shown to the citizen, never work.
- `CitizenFormMixin` refuses Unicode's bidirectional control characters in
  every text field: in a name they reorder what staff read on screen and in
  exports ("Trojan Source"), and no real name needs them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

# Unicode's Bidi_Control characters: the embeddings, overrides and isolates,
# the left-to-right, right-to-left and Arabic letter marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def refuse_bidi_controls(value):
    if isinstance(value, str) and not BIDI_CONTROLS.isdisjoint(value):
        raise ValidationError(
            _("Remove the invisible text-direction characters (often pasted with the text) and type it again."),
            code="bidi_control",
        )


class CitizenFormMixin:
    """Mix into every form a citizen fills in: each text field refuses bidirectional control characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and refuse_bidi_controls not in field.validators:
                field.validators.append(refuse_bidi_controls)


class BoundedInlineFormSet(BaseInlineFormSet):
    """An inline formset whose damaged or oversized management form is the citizen's error, in their words."""

    default_error_messages = {
        **BaseInlineFormSet.default_error_messages,
        "missing_management_form": _(
            "The form arrived incomplete, so nothing was saved. Reload the page and fill it in again."
        ),
    }

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self.management_form.is_valid():
            # Django lets a later error (too few forms, a consequence) replace this one: the citizen reads the cause.
            self._non_form_errors = self.error_class(
                [ValidationError(self.error_messages["missing_management_form"], code="missing_management_form")],
                error_class="nonform",
                renderer=self.renderer,
            )

    def is_damaged(self):
        """Whether the management form is missing, altered, or claims more forms than allowed."""
        if not self.is_bound:
            return False
        management = self.management_form
        return not management.is_valid() or management.cleaned_data["TOTAL_FORMS"] > self.absolute_max


def bounded_inlineformset_factory(parent_model, model, *, max_num, formset=BoundedInlineFormSet, **kwargs):
    """inlineformset_factory with a hard bound: never more than `max_num` forms are built, and more is an error."""
    if not issubclass(formset, BoundedInlineFormSet):
        raise TypeError("Citizens' formsets derive from BoundedInlineFormSet.")
    return inlineformset_factory(
        parent_model,
        model,
        formset=formset,
        max_num=max_num,
        absolute_max=max_num,
        validate_max=True,
        **kwargs,
    )
