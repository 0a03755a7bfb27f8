"""The citizen's household: the people who travel with them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from ..forms.household import HouseholdMemberForm
from ..models import HouseholdMember
from ..models.household import MAX_HOUSEHOLD_MEMBERS
from ..services.household import HouseholdFull, save_household_member
from .base import PersonalPageMixin


class OwnHouseholdMixin(PersonalPageMixin):
    model = HouseholdMember
    success_url = reverse_lazy("registrations:household")

    def get_queryset(self):
        return HouseholdMember.objects.filter(owner=self.request.user)


class HouseholdListView(OwnHouseholdMixin, ListView):
    template_name = "registrations/household_list.html"
    context_object_name = "members"


class _HouseholdFormMixin(OwnHouseholdMixin):
    form_class = HouseholdMemberForm
    template_name = "registrations/household_form.html"

    def form_valid(self, form):
        member = form.save(commit=False)
        member.owner = self.request.user
        try:
            save_household_member(member=member, needs_consent=form.cleaned_data["needs_consent"])
        except HouseholdFull:
            messages.error(self.request, household_full_message())
            return redirect(self.success_url)
        messages.success(self.request, self.success_message % {"name": member.full_name})
        return redirect(self.success_url)


def household_full_message():
    return _("Your household has %(count)d people, the most it can have. Remove someone to add another.") % {
        "count": MAX_HOUSEHOLD_MEMBERS
    }


class HouseholdCreateView(_HouseholdFormMixin, CreateView):
    success_message = gettext_lazy("%(name)s is added to your household.")

    def get(self, request, *args, **kwargs):
        if HouseholdMember.objects.filter(owner=request.user).count() >= MAX_HOUSEHOLD_MEMBERS:
            messages.error(request, household_full_message())
            return redirect(self.success_url)
        return super().get(request, *args, **kwargs)


class HouseholdUpdateView(_HouseholdFormMixin, UpdateView):
    success_message = gettext_lazy("The details of %(name)s are saved.")


class HouseholdDeleteView(OwnHouseholdMixin, DeleteView):
    template_name = "registrations/household_confirm_delete.html"

    def form_valid(self, form):
        messages.success(self.request, _("%(name)s is removed from your household.") % {"name": self.object})
        return super().form_valid(form)
