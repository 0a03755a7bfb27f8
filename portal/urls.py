from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language

from . import views
from .second_factor import views as second_factor

urlpatterns = [
    # Without a CSRF token, so that no public page carries one and each can be kept whole and compressed
    # (portal.public_pages): another site could at most switch a visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("health/", views.health, name="health"),
    # The staff's second factor, before the admin's own URLs.
    path("admin/verify/", second_factor.verify, name="staff_verify"),
    path("admin/enrol/", second_factor.enrol, name="staff_enrol"),
    path("admin/", include("registrations.admin.urls")),
    path("admin/", admin.site.urls),
    # Providers' webhooks and the SMS's short check-in link: no prefix.
    path("", include("registrations.webhooks")),
    # Feeds, CAP and the JSON API read the same in every language: no prefix.
    path("", include("advisories.outputs.urls")),
]

# Error 500, or the 503 page while the database cannot be reached (portal.outage).
handler500 = "portal.views.server_error"

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"),
    path("accounts/", include("registrations.urls")),
    path("", include("advisories.urls")),
)
