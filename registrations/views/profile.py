"""The citizen's profile page."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from ..forms.profile import ProfileForm
from ..models import CitizenProfile
from ..services import profile as profile_services
from .base import personal_page


def profile_rate(group, request):
    return settings.PROFILE_RATE


# Per account: the form takes a national ID, so its saves are limited like a sign-in (answered with 429).
@ratelimit(key="user_or_ip", rate=profile_rate, method="POST", block=True)
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
