from django.urls import path, re_path
from django.views.generic import TemplateView

from . import views
from .subscriptions import views as subscription_views

app_name = "advisories"

urlpatterns = [
    # Subscriptions and the "Feeds and data" page (part C). Listed first so that
    # "subscribe" and "data" are never read as a country code.
    path("advisories/subscribe/", subscription_views.SubscribeView.as_view(), name="subscribe"),
    path(
        "advisories/subscribe/sent/", subscription_views.SubscriptionPendingView.as_view(), name="subscription_pending"
    ),
    path("subscriptions/confirm/<str:token>/", subscription_views.confirm, name="subscription_confirm"),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        subscription_views.UnsubscribeView.as_view(),
        name="subscription_unsubscribe",
    ),
    path("advisories/data/", TemplateView.as_view(template_name="advisories/outputs.html"), name="outputs"),
    path("advisories/", views.advisory_index, name="index"),
    path("advisories/map.svg", views.world_map, name="map"),
    # Lowercase ISO 3166-1 alpha-2 only, so no other page is read as a country.
    re_path(r"^advisories/(?P<country>[a-z]{2})/$", views.country_page, name="country"),
    path("embassies/", views.mission_directory, name="missions"),
]
