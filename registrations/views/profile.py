"""The citizen's profile page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms.profile import ProfileForm
from ..models import CitizenProfile
from ..services import profile as profile_services
from .base import personal_page


@personal_page
def profile(request):
    instance = CitizenProfile.objects.filter(user=request.user).first() or CitizenProfile(user=request.user)
    creating = instance.pk is None
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        profile_services.save_profile(
            profile=form.save(commit=False),
            needs_consent=form.cleaned_data["needs_consent"],
            privacy_consent=form.cleaned_data.get("privacy_consent", False),
        )
        messages.success(request, _("Your profile is saved.") if not creating else _("Your profile is complete."))
        return redirect("registrations:account")
    return render(request, "registrations/profile_form.html", {"form": form, "creating": creating})
