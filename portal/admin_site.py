from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    """The staff workplace. Entering it takes a password and a TOTP code.

    There is one sign-in page for everybody; the admin's own login page sends
    staff to it, then to the second-factor step (or to enrol a device on their
    first visit). Until the session is verified by django-otp, a staff member
    is treated like any citizen here.

    The apps add their own pages: registrations' counts board heads the
    index (templates/admin/index.html) and its drill-down pages are mounted
    by portal/urls.py.
    """

    site_header = _("Consular Portal: staff workplace")
    site_title = _("Staff workplace")
    index_title = _("Staff workplace")

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            target = "registrations:login"
        elif not (user.is_active and user.is_staff):
            # Signed in, but not staff: nothing to verify.
            return redirect("home")
        elif user.is_verified():
            return redirect(next_url)
        else:
            target = "staff_verify"
        return redirect(f"{reverse(target)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
