from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class BoundedAdminMixin:
    """What every ModelAdmin of the site shares (PortalAdminSite mixes it in): bounded, well-formed requests.

    - Every inline formset has a hard maximum (max_num = absolute_max,
      validate_max): a POST claiming thousands of forms builds at most that many
      and is answered with the form's error.
    - A list's filters, date drill-down and search that cannot be understood
      (a year past 9999, a search of a whole page of words) are refused like
      any malformed filter: back to the unfiltered list, with a message,
      never an error 500. (A NUL byte never gets this far: see portal.security.)
    """

    # Forms of an inline that sets no max_num of its own.
    inline_max_forms = 100
    search_max_length = 200
    search_max_words = 10

    def get_formsets_with_inlines(self, request, obj=None):
        for inline in self.get_inline_instances(request, obj):
            bound = inline.get_max_num(request, obj)
            if bound is None:
                bound = self.inline_max_forms
            if bound == 0:
                # No add permission (the admin sets max_num to 0): the existing rows are still posted, so the
                # cost is bounded by inline_max_forms and the admin's own rule stops new rows.
                formset = inline.get_formset(request, obj, absolute_max=self.inline_max_forms)
            else:
                formset = inline.get_formset(request, obj, max_num=bound, absolute_max=bound, validate_max=True)
            yield formset, inline

    def get_changelist_instance(self, request):
        term = request.GET.get(SEARCH_VAR, "")
        if len(term) > self.search_max_length or len(term.split()) > self.search_max_words:
            self._refuse_list_parameters(request)
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            # The admin's date drill-down computes the next year, month or day itself.
            self._refuse_list_parameters(request, error)
        except IncorrectLookupParameters:
            self._refuse_list_parameters(request)

    def _refuse_list_parameters(self, request, error=None):
        messages.error(request, _("The filter or search was not understood, so the whole list is shown."))
        raise IncorrectLookupParameters(error)


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

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every ModelAdmin, the apps' and Django's own, is bounded the same way.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, BoundedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (BoundedAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

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
