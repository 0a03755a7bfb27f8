from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.generic import TemplateView

from .views import accounts, checkins, dashboard, evacuations, freshness, household, profile, rights, trips

app_name = "registrations"

urlpatterns = [
    path("signup/", accounts.SignUpView.as_view(), name="signup"),
    path(
        "signup/check-your-email/",
        TemplateView.as_view(template_name="registrations/signup_done.html"),
        name="signup_done",
    ),
    path("confirm/resend/", accounts.ResendConfirmationView.as_view(), name="resend_confirmation"),
    path("confirm/<str:token>/", accounts.confirm_email, name="confirm_email"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", dashboard.dashboard, name="account"),
    path("profile/", profile.profile, name="profile"),
    path("household/", household.HouseholdListView.as_view(), name="household"),
    path("household/add/", household.HouseholdCreateView.as_view(), name="household_add"),
    path("household/<int:pk>/edit/", household.HouseholdUpdateView.as_view(), name="household_edit"),
    path("household/<int:pk>/delete/", household.HouseholdDeleteView.as_view(), name="household_delete"),
    path("trips/add/", trips.trip_form, name="trip_add"),
    path("trips/<int:pk>/edit/", trips.trip_form, name="trip_edit"),
    path("trips/<int:pk>/end/", trips.end_trip, name="trip_end"),
    path("trips/<int:pk>/cancel/", trips.cancel_trip, name="trip_cancel"),
    path("trips/<int:pk>/still-there/", freshness.confirm_trip, name="trip_confirm"),
    path("still-there/<str:token>/", freshness.still_there, name="still_there"),
    path("regions/<str:country>/", trips.regions, name="regions"),
    # A crisis's personal answer link: signed, no sign-in (GET shows the page, POST records).
    path("crisis/<str:token>/", checkins.answer_by_link, name="checkin"),
    # The same page for a signed-in citizen, from the dashboard's crisis banner.
    path("crisis/<int:crisis_id>/answer/", checkins.answer_from_dashboard, name="crisis_answer"),
    # A seat offer's link: signed, no sign-in, ends at the offer's deadline (GET shows it, POST answers).
    path("seat/<str:token>/", evacuations.seat_offer, name="seat_offer"),
    path("my-data/", rights.download_my_data, name="my_data"),
    path("delete/", rights.delete_account, name="delete_account"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="registrations/password_change.html",
            success_url=reverse_lazy("registrations:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registrations/password_change_done.html"),
        name="password_change_done",
    ),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registrations/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registrations/password_reset_confirm.html",
            success_url=reverse_lazy("registrations:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registrations/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
