"""The staff's second factor: enrolling an authenticator app and typing its codes.

Staff sign in with their password on the common sign-in page; the admin then
sends them here. On the first visit they enrol a device (scan a QR code, type
a code to prove it works); afterwards they type the current code.
"""

from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from ..sessions import signed_in_within
from . import DEVICE_NAME
from .models import AuthenticatorDevice


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits; a new code appears every 30 seconds."),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "autofocus": True}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].replace(" ", "")
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Too many wrong codes. Wait a minute, then type the newest code."), code="throttled"
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("This code is wrong or has expired. Type the code your app shows now."), code="invalid"
            )
        return token


def _staff_only(request):
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied


def _next_url(request):
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def verify(request):
    _staff_only(request)
    device = AuthenticatorDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('staff_enrol')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request,
        "second_factor/verify.html",
        {"form": form, "next": _next_url(request), "submit_label": _("Continue")},
    )


@sensitive_post_parameters("otp_token")
@never_cache
@login_required
def enrol(request):
    _staff_only(request)
    if AuthenticatorDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect(f"{reverse('staff_verify')}?{request.GET.urlencode()}")
    if not signed_in_within(request, settings.STAFF_ENROL_WITHIN_SECONDS):
        # Whoever holds a long-lived session (a shared computer, a stolen cookie) must not bind their own app
        # to this account: enrolling takes the password again, typed just now.
        logout(request)
        messages.info(request, _("To set up your authenticator app, sign in again."))
        return redirect(f"{reverse('registrations:login')}?{urlencode({REDIRECT_FIELD_NAME: reverse('staff_enrol')})}")
    # One pending device per person, kept across reloads so the QR code they
    # scanned stays valid until they confirm it.
    device, _created = AuthenticatorDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request,
        "second_factor/enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
            "secret": _grouped(device.config_url),
            "submit_label": _("Confirm and continue"),
        },
    )


def _grouped(config_url):
    """The base32 secret from the provisioning URI, in groups of four, for typing by hand."""
    from urllib.parse import parse_qs, urlsplit

    secret = parse_qs(urlsplit(config_url).query)["secret"][0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
