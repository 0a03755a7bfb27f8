"""The citizen's dashboard: their trips, how risky, how fresh, and what to do next."""

from django.shortcuts import render

from ..services.dashboard import dashboard_for
from .base import personal_page


@personal_page
def dashboard(request):
    return render(request, "registrations/dashboard.html", {"dashboard": dashboard_for(request.user)})
