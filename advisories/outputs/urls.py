"""Machine-readable outputs, mounted outside the language prefix: the language is in the address or asked for."""

from django.urls import path, re_path

from . import api, cap, feeds

app_name = "advisory_data"

# The feeds' languages: English at the first addresses, the others with their code.
LANGUAGE = "<str:language>"

urlpatterns = [
    path("advisories/feed/", feeds.AllChangesFeed(), name="feed"),
    path(f"advisories/feed/{LANGUAGE}/", feeds.AllChangesFeed(), name="feed_in"),
    path("advisories/cap.xml", cap.cap_feed, name="cap_feed"),
    path("advisories/<str:country>/feed/", feeds.CountryChangesFeed(), name="country_feed"),
    path(f"advisories/<str:country>/feed/{LANGUAGE}/", feeds.CountryChangesFeed(), name="country_feed_in"),
    path("advisories/<str:country>/cap.xml", cap.cap_alert, name="cap_alert"),
    path("api/v1/advisories/", api.advisory_list, name="api_advisories"),
    path("api/v1/advisories/<str:country>/", api.advisory_detail, name="api_advisory"),
    path("api/v1/missions/", api.mission_list, name="api_missions"),
    # Anything else under /api/ is a JSON 404 too, not the site's HTML page.
    re_path(r"^api/", api.not_found, name="api_not_found"),
]
