"""What every machine-readable output shares: the JSON API, the Atom feeds and CAP.

They speak one language (English) whatever the reader's browser says, so a
cache or a client sees the same bytes for the same data. Every answer carries
an ETag (a hash of the body) and, where the data has a date, Last-Modified; a
conditional GET that still matches gets 304 Not Modified.
"""

import hashlib
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

MACHINE_LANGUAGE = "en"
# Short: a new level must reach clients within minutes.
MAX_AGE = 300
# The date in our tag: URIs (RFC 4151): when the portal first published them.
TAG_DATE = "2026"


def in_english(view):
    """Run a machine-output view in English, whatever the request's language."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(MACHINE_LANGUAGE):
            return view(request, *args, **kwargs)

    return wrapper


def tag_uri(specific):
    """A stable, unique Atom id (RFC 4151) that does not change if our URLs do."""
    return f"tag:{urlsplit(settings.SITE_URL).hostname},{TAG_DATE}:{specific}"


def conditional_response(request, body, *, content_type, last_modified=None):
    """The body with validators and caching headers, or 304 if the client's copy is current."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
