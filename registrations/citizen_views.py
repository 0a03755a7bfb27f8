"""The citizen's own pages: dashboard, profile, household, their data.

Every page here shows personal data: it needs a sign-in, is never cached
(Cache-Control: no-store) and reaches only the signed-in citizen's rows;
anyone else's id answers 404.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from . import citizen_services
from .citizen_forms import DeleteAccountForm, HouseholdMemberForm, ProfileForm
from .dashboard import dashboard_for
from .data_export import export_citizen_data
from .models import CitizenProfile, HouseholdMember


def personal_page(view):
    """Signed-in citizens only, and never stored by a browser or proxy."""
    return login_required(never_cache(view))


@method_decorator(never_cache, name="dispatch")
class PersonalPageMixin(LoginRequiredMixin):
    pass


class OwnHouseholdMixin(PersonalPageMixin):
    model = HouseholdMember
    success_url = reverse_lazy("registrations:household")

    def get_queryset(self):
        return HouseholdMember.objects.filter(owner=self.request.user)


@personal_page
def dashboard(request):
    return render(request, "registrations/dashboard.html", {"dashboard": dashboard_for(request.user)})


@personal_page
def profile(request):
    instance = CitizenProfile.objects.filter(user=request.user).first() or CitizenProfile(user=request.user)
    creating = instance.pk is None
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        citizen_services.save_profile(
            profile=form.save(commit=False),
            needs_consent=form.cleaned_data["needs_consent"],
            privacy_consent=form.cleaned_data.get("privacy_consent", False),
        )
        messages.success(request, _("Your profile is saved.") if not creating else _("Your profile is complete."))
        return redirect("registrations:account")
    return render(request, "registrations/profile_form.html", {"form": form, "creating": creating})


class HouseholdListView(OwnHouseholdMixin, ListView):
    template_name = "registrations/household_list.html"
    context_object_name = "members"


class _HouseholdFormMixin(OwnHouseholdMixin):
    form_class = HouseholdMemberForm
    template_name = "registrations/household_form.html"

    def form_valid(self, form):
        member = form.save(commit=False)
        member.owner = self.request.user
        citizen_services.save_household_member(member=member, needs_consent=form.cleaned_data["needs_consent"])
        messages.success(self.request, self.success_message % {"name": member.full_name})
        return redirect(self.success_url)


class HouseholdCreateView(_HouseholdFormMixin, CreateView):
    success_message = gettext_lazy("%(name)s is added to your household.")


class HouseholdUpdateView(_HouseholdFormMixin, UpdateView):
    success_message = gettext_lazy("The details of %(name)s are saved.")


class HouseholdDeleteView(OwnHouseholdMixin, DeleteView):
    template_name = "registrations/household_confirm_delete.html"

    def form_valid(self, form):
        messages.success(self.request, _("%(name)s is removed from your household.") % {"name": self.object})
        return super().form_valid(form)


@personal_page
def download_my_data(request):
    data = export_citizen_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    # A fixed file name: no personal data in headers either.
    response["Content-Disposition"] = 'attachment; filename="consular-portal-my-data.json"'
    return response


@personal_page
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        citizen_services.delete_account(user=user)
        messages.success(request, _("Your account and everything in it are deleted."))
        return redirect("home")
    return render(request, "registrations/delete_account.html", {"form": form})
