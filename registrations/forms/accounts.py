from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import make_password
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.outbound import absolute_url, queue_email

from ..services.accounts import EMAIL_MAX_LENGTH

User = get_user_model()


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("We send a link to this address to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters; not only digits, and not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(_("The two passwords are different. Type the same password twice."))
        return password2

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, User(email=self.cleaned_data.get("email", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in by email that tells an unconfirmed account what to do next.

    The hint is given only when the password is right, so it reveals nothing
    to someone guessing addresses.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The email address or the password is wrong. Check both and try again; the password is case-sensitive."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email address")
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "maxlength": EMAIL_MAX_LENGTH}
        )
        # Django sets max_length after the field is made, so nothing checks it: an address longer than any
        # account's is refused here, before authentication and the lockout count see it.
        username.max_length = EMAIL_MAX_LENGTH
        username.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
        self.fields["password"].label = _("Password")

    def clean_username(self):
        # As accounts are stored: authentication and django-axes' lockout count see one spelling per address.
        return User.objects.normalize_email(self.cleaned_data["username"])

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if self._is_unconfirmed_with_right_password():
                raise forms.ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Confirm your email address first: follow the link we sent you."),
                        reverse("registrations:resend_confirmation"),
                        _("Send the link again"),
                    ),
                    code="unconfirmed",
                ) from None
            raise

    def _is_unconfirmed_with_right_password(self):
        # Never while django-axes has locked this account and address: the
        # hint would otherwise let a locked-out guesser keep testing passwords.
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            return False
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (email and password):
            return False
        pending = User.objects.filter(
            email=User.objects.normalize_email(email), is_active=False, email_confirmed_at__isnull=True
        ).first()
        if pending is None:
            # One hash in every case, so that a pending account answers in the same time as any other failure.
            make_password(password)
            return False
        return pending.check_password(password)


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with the email from the portal's catalogue: built on SITE_URL, sent in the background."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        language = translation.get_language()
        path = reverse(
            "registrations:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        queue_email("password_reset", to=to_email, language=language, context={"reset_url": absolute_url(path)})
