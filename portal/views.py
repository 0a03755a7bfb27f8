from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def home(request):
    return render(request, "home.html")


@require_GET
@never_cache
def health(request):
    """For load balancers and uptime checks: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def rate_limited(request, exception):
    """Too many sign-ups or password resets from one address (django-ratelimit)."""
    return render(request, "429.html", status=429)
