"""What the public pages' caches are keyed on.

Production runs several processes, each with its own cache. Instead of
telling them all to forget a page, every page's key carries a cheap summary
of the database read at each request: when publishing (or a change to a
mission) changes it, every process misses and renders afresh. Nothing has to
be deleted, and a local memory cache is enough.
"""

from django.db.models import Count, Max, Q

from .models import AdvisoryEdition, EditionStatus, Mission

# Rendered pages are only ever replaced by a new key; this just bounds memory.
PAGE_TIMEOUT = 24 * 3600


def _stamp(moment):
    return f"{moment.timestamp():.6f}" if moment else "0"


def advisories_version():
    """Changes whenever the published advice does (one query)."""
    state = AdvisoryEdition.objects.aggregate(
        last=Max("published_at"),
        published=Count("pk", filter=Q(status=EditionStatus.PUBLISHED)),
        newest=Max("pk"),
    )
    return f"a{_stamp(state['last'])}.{state['published']}.{state['newest'] or 0}"


def missions_version():
    """Changes whenever a mission, its phones or its jurisdiction do (one query)."""
    last, count = Mission.objects.last_changed()
    return f"m{_stamp(last)}.{count}"
