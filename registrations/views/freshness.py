"""Answers to "are you still there?": from the dashboard, or from the emailed one-click link."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..services import freshness
from .base import personal_page
from .trips import own_trip


@require_POST
@personal_page
def confirm_trip(request, pk):
    freshness.confirm_presence(trip=own_trip(request, pk))
    messages.success(request, _("Thank you: we know you are still there."))
    return redirect("registrations:account")


@never_cache
def still_there(request, token):
    """The link in the reminder email: one button, no sign-in, nothing personal in the address."""
    try:
        trip = freshness.trip_for_presence_token(token)
    except freshness.PresenceLinkInvalid:
        return render(request, "registrations/still_there.html", {"invalid": True}, status=404)
    if request.method == "POST":
        freshness.confirm_presence(trip=trip)
        return render(request, "registrations/still_there.html", {"confirmed": True})
    return render(request, "registrations/still_there.html", {"trip": trip})
