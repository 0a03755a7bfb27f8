from django.urls import path

from . import views

app_name = "advisories"

urlpatterns = [
    path("advisories/", views.advisory_index, name="index"),
    path("embassies/", views.mission_directory, name="missions"),
]
