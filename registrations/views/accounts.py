from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView
from django_ratelimit.decorators import ratelimit

from portal.sessions import mark_signed_in

from ..forms.accounts import EmailAuthenticationForm, PasswordResetForm, ResendConfirmationForm, SignUpForm
from ..services import accounts as services


def signup_rate(group, request):
    return settings.SIGNUP_RATE


def password_reset_rate(group, request):
    return settings.PASSWORD_RESET_RATE


# Per client address; answered by portal.views.rate_limited (429).
limit_signups = ratelimit(key="ip", rate=signup_rate, method="POST", block=True)
limit_password_resets = ratelimit(key="ip", rate=password_reset_rate, method="POST", block=True)


@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
@method_decorator(limit_signups, name="post")
class SignUpView(FormView):
    template_name = "registrations/signup.html"
    form_class = SignUpForm
    success_url = reverse_lazy("registrations:signup_done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("registrations:account")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        services.register_account(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
        return super().form_valid(form)


@method_decorator(limit_signups, name="post")
class ResendConfirmationView(FormView):
    template_name = "registrations/resend_confirmation.html"
    form_class = ResendConfirmationForm
    success_url = reverse_lazy("registrations:signup_done")

    def form_valid(self, form):
        services.resend_confirmation(email=form.cleaned_data["email"])
        return super().form_valid(form)


@never_cache
def confirm_email(request, token):
    try:
        services.confirm_email(token=token)
    except services.ConfirmationLinkExpired:
        return render(request, "registrations/confirm_email_failed.html", {"expired": True}, status=410)
    except services.ConfirmationLinkInvalid:
        return render(request, "registrations/confirm_email_failed.html", {"expired": False}, status=404)
    messages.success(request, _("Your email address is confirmed. You can sign in now."))
    return redirect("registrations:login")


class LoginView(auth_views.LoginView):
    """One sign-in page for everyone (Django's view keeps the password out of error reports)."""

    template_name = "registrations/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Sessions end SESSION_MAX_AGE after this (portal.sessions), and enrolling a device needs it recent.
        mark_signed_in(self.request)
        return response

    def get_default_redirect_url(self):
        # Staff land in their workplace (which asks for the second factor), citizens on their dashboard.
        if self.request.user.is_staff:
            return reverse("admin:index")
        return super().get_default_redirect_url()


@method_decorator(limit_password_resets, name="post")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registrations/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("registrations:password_reset_done")
