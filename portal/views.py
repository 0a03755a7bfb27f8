import sys

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error

from .outage import is_database_unavailable, outage, unavailable_response


def home(request):
    return render(request, "home.html")


@require_GET
@never_cache
def health(request):
    """For load balancers and uptime checks: the app answers and reaches its database; 503 at once if not."""
    if outage.is_down():
        return JsonResponse({"status": "database unavailable"}, status=503)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        outage.went_down()
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request, *args, **kwargs):
    """Error 500, or, when the database cannot be reached, the 503 page (portal.outage decides which)."""
    if is_database_unavailable(sys.exc_info()[1]):
        request.database_unavailable = True
        return unavailable_response(request)
    return django_server_error(request, *args, **kwargs)


def rate_limited(request, exception):
    """Too many sign-ups or password resets from one address (django-ratelimit)."""
    return render(request, "429.html", status=429)
