"""Machine-readable outputs, mounted outside the language prefix: they are the same for every reader."""

from django.urls import path

from . import api, cap, feeds

app_name = "advisory_data"

urlpatterns = [
    path("advisories/feed/", feeds.AllChangesFeed(), name="feed"),
    path("advisories/cap.xml", cap.cap_feed, name="cap_feed"),
    path("advisories/<str:country>/feed/", feeds.CountryChangesFeed(), name="country_feed"),
    path("advisories/<str:country>/cap.xml", cap.cap_alert, name="cap_alert"),
    path("api/v1/advisories/", api.advisory_list, name="api_advisories"),
    path("api/v1/advisories/<str:country>/", api.advisory_detail, name="api_advisory"),
    path("api/v1/missions/", api.mission_list, name="api_missions"),
]
