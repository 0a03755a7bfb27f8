"""The registrations' own pages in the staff workplace, beside the ModelAdmins' (mounted under /admin/)."""

from django.contrib import admin
from django.urls import path

from . import counts

app_name = "staff"

urlpatterns = [
    path("counts/<str:country>/", admin.site.admin_view(counts.country_view), name="counts_country"),
    path("counts/<str:country>/<str:region>/", admin.site.admin_view(counts.region_view), name="counts_region"),
]
