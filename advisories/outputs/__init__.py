"""The public machine outputs: the JSON API, the Atom feeds and CAP alerts.

They are mounted outside the language prefix (urls.py) and speak one language,
English, whatever the reader's browser says, so that a cache or a client sees
the same bytes for the same data; conditional.py gives every answer its
validators and answers a conditional GET that still matches with 304.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation

MACHINE_LANGUAGE = "en"
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
