from django.urls import include, path, re_path
from django.views.generic import TemplateView

from . import views

app_name = "advisories"

urlpatterns = [
    # Subscriptions and the "Feeds and data" page. Listed first so that
    # "subscribe" and "data" are never read as a country code.
    path("", include("advisories.subscriptions.urls")),
    path("advisories/data/", TemplateView.as_view(template_name="advisories/outputs.html"), name="outputs"),
    path("advisories/", views.advisory_index, name="index"),
    path("advisories/map.svg", views.world_map, name="map"),
    # Lowercase ISO 3166-1 alpha-2 only, so no other page is read as a country.
    re_path(r"^advisories/(?P<country>[a-z]{2})/$", views.country_page, name="country"),
    path("embassies/", views.mission_directory, name="missions"),
]
