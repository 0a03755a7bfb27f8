"""Conditional GET for the machine outputs.

Every answer carries an ETag (a hash of the body) and, where the data has a
date, Last-Modified; a conditional GET that still matches gets 304 Not
Modified, so readers polling every few minutes mostly download nothing.
"""

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

# Short: a new level must reach clients within minutes.
MAX_AGE = 300


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
