"""Subscribing, confirming and unsubscribing; included by advisories/urls.py, in its namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("advisories/subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("advisories/subscribe/sent/", views.SubscriptionPendingView.as_view(), name="subscription_pending"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="subscription_confirm"),
    path("subscriptions/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="subscription_unsubscribe"),
]
