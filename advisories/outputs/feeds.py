"""Atom feeds of the major changes to travel advice: every country's, and one country's."""

from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.defaultfilters import linebreaks
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import parse_http_date
from django.utils.translation import gettext_lazy as _

from advisories.models import Advisory, AdvisoryEdition
from portal.outbound import absolute_url

from . import MACHINE_LANGUAGE, tag_uri
from .conditional import conditional_response

FEED_LENGTH = 50


class _ChangesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        # In English like every machine output, and with an ETag so readers
        # polling every few minutes mostly get 304.
        with translation.override(MACHINE_LANGUAGE):
            response = super().__call__(request, *args, **kwargs)
        last_modified = None
        if response.has_header("Last-Modified"):
            last_modified = datetime.fromtimestamp(parse_http_date(response["Last-Modified"]), tz=UTC)
        return conditional_response(
            request, response.content, content_type=response["Content-Type"], last_modified=last_modified
        )

    def changes(self, advisory=None):
        """Major editions the public has seen (published or since archived), newest first."""
        editions = AdvisoryEdition.objects.public_history().select_related("advisory")
        if advisory is not None:
            editions = editions.filter(advisory=advisory)
        return editions.order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, edition):
        return _("%(country)s: level %(level)s, %(label)s") % {
            "country": edition.advisory.country.name,
            "level": edition.level,
            "label": edition.get_level_display(),
        }

    def item_description(self, edition):
        # Atom's summary is HTML: escape what staff typed, keep its paragraphs.
        return linebreaks(edition.change_note, autoescape=True)

    def item_link(self, edition):
        return absolute_url(edition.advisory.get_absolute_url())

    def item_guid(self, edition):
        return tag_uri(f"advisory:{edition.advisory.country.code}:edition:{edition.version}")

    item_guid_is_permalink = False

    def item_pubdate(self, edition):
        return edition.published_at

    def item_updateddate(self, edition):
        return edition.published_at

    def item_categories(self, edition):
        return [f"level-{edition.level}"]


class AllChangesFeed(_ChangesFeed):
    title = _("Travel advice: major changes")
    subtitle = _("Every major change to the travel advice for any country, newest first.")

    def link(self):
        return absolute_url(reverse("advisories:index"))

    def feed_url(self):
        return absolute_url(reverse("advisory_data:feed"))

    def feed_guid(self):
        return tag_uri("advisories:feed")

    def items(self):
        return self.changes()


class CountryChangesFeed(_ChangesFeed):
    def get_object(self, request, country):
        advisory = Advisory.objects.filter(country=country.upper()).first()
        if advisory is None:
            raise Http404("No advisory for this country.")
        return advisory

    def title(self, advisory):
        return _("Travel advice for %(country)s: major changes") % {"country": advisory.country.name}

    def subtitle(self, advisory):
        return _("Every major change to the travel advice for %(country)s, newest first.") % {
            "country": advisory.country.name
        }

    def link(self, advisory):
        return absolute_url(advisory.get_absolute_url())

    def feed_url(self, advisory):
        return absolute_url(reverse("advisory_data:country_feed", kwargs={"country": advisory.country.code.lower()}))

    def feed_guid(self, advisory):
        return tag_uri(f"advisory:{advisory.country.code}:feed")

    def items(self, advisory):
        return self.changes(advisory)
