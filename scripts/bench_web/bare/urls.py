"""Two views: a "hello" page, and a POST that inserts one row (no CSRF, no validation: the floor)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Greeting


def hello(request):
    return HttpResponse("Hello, world.\n", content_type="text/plain")


@csrf_exempt
@require_POST
def insert(request):
    Greeting.objects.create(text="hello")
    return HttpResponse("Saved.\n", content_type="text/plain")


urlpatterns = [
    path("hello/", hello),
    path("insert/", insert),
]
