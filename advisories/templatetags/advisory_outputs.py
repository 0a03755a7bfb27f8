"""Links to the machine outputs in pages' heads (autodiscovery), and the levels 3 and 4 for the home page.

{% load advisory_outputs %}
{% autodiscovery %}            in <head>: the Atom feed of every country in each language, the CAP alerts
{% autodiscovery "IR" %}       the same for one country: its feed, and its CAP document if it has one
{% high_levels as rows %}      the countries at level 3 or 4, highest first, with their level and date
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from portal.geography import collation_key

from ..models import Advisory, Level
from ..multilingual import current_language
from ..outputs.cap import ALERT_LEVELS, alerting_advisories
from ..outputs.feeds import feed_url
from ..views import country_url

register = template.Library()


@register.inclusion_tag("advisories/includes/autodiscovery.html")
def autodiscovery(country="", has_cap=False):
    """<link rel="alternate"> to the feed in the page's language, and to the CAP documents.

    For one country (`country`, with `has_cap` from the page, which knows its
    edition): its feed and its CAP document; else every country's feed, the CAP
    index and each current alert.
    """
    language = current_language()
    code = country.upper()
    if code:
        feed = feed_url("country_feed", language, country=code.lower())
        title = _("Travel advice for %(country)s: major changes") % {"country": countries.name(code)}
        alerts = [code] if has_cap else []
    else:
        feed = feed_url("feed", language)
        title = _("Travel advice: major changes")
        alerts = sorted(str(alert) for alert in alerting_advisories().values_list("country", flat=True))
    return {
        "feed": {"href": feed, "hreflang": language, "title": title},
        "cap_index": None if code else reverse("advisory_data:cap_feed"),
        "cap_index_title": _("Travel advisories at level 3 and 4 (CAP 1.2)"),
        "alerts": [
            {
                "href": reverse("advisory_data:cap_alert", kwargs={"country": alert.lower()}),
                "title": _("CAP alert: %(country)s") % {"country": countries.name(alert)},
            }
            for alert in alerts
        ],
    }


@register.simple_tag
def high_levels():
    """The countries at level 3 or 4: level 4 first, then by name in the page's language."""
    rows = [
        {
            "code": code,
            "name": countries.name(code),
            "level": level,
            "level_name": Level(level).label,
            "published_at": published_at,
            "url": country_url(code),
        }
        for code, level, published_at in Advisory.objects.published()
        .filter(current_edition__level__in=ALERT_LEVELS)
        .values_list("country", "current_edition__level", "current_edition__published_at")
    ]
    return sorted(rows, key=lambda row: (-row["level"], collation_key(row["name"])))
