"""Atom feeds of the major changes to travel advice, every country's and one country's, in each language.

/advisories/feed/ is English (its address predates the other languages);
/advisories/feed/kk/ and /advisories/feed/ru/ are the same feed in Kazakh and
Russian, and so for a country's feed. A change note not yet translated is
given in its fallback language, marked with its xml:lang.
"""

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
from advisories.multilingual import LANGUAGES, localised
from portal.outbound import absolute_url

from . import MACHINE_LANGUAGE, tag_uri
from .conditional import conditional_response

FEED_LENGTH = 50


class _MultilingualAtomFeed(Atom1Feed):
    """Atom with an xml:lang on each entry's summary when its text is in another language than the feed's."""

    def add_item_elements(self, handler, item):
        summary_language = item.pop("summary_language", None)
        description = item.get("description")
        if summary_language and description:
            # Written here rather than by the parent, to carry the attribute.
            item["description"] = None
            super().add_item_elements(handler, item)
            handler.addQuickElement("summary", description, {"type": "html", "xml:lang": summary_language})
            item["description"] = description
        else:
            super().add_item_elements(handler, item)


def feed_url(name, language, **kwargs):
    """The address of a feed in a language: English keeps the first addresses, without a language."""
    if language == MACHINE_LANGUAGE:
        return reverse(f"advisory_data:{name}", kwargs=kwargs)
    return reverse(f"advisory_data:{name}_in", kwargs={**kwargs, "language": language})


def _language():
    return translation.get_language()


class _ChangesFeed(Feed):
    feed_type = _MultilingualAtomFeed

    def __call__(self, request, *args, language=MACHINE_LANGUAGE, **kwargs):
        if language not in LANGUAGES:
            raise Http404("No feed in this language.")
        # In its own language whatever the reader's browser says (the instance
        # serves every request: the language lives in the thread's active
        # translation, not on self), and with an ETag so readers polling every
        # few minutes mostly get 304.
        with translation.override(language):
            response = super().__call__(request, *args, **kwargs)
        last_modified = None
        if response.has_header("Last-Modified"):
            last_modified = datetime.fromtimestamp(parse_http_date(response["Last-Modified"]), tz=UTC)
        response = conditional_response(
            request, response.content, content_type=response["Content-Type"], last_modified=last_modified
        )
        response["Content-Language"] = language
        return response

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
        return linebreaks(localised(edition, "change_note").text, autoescape=True)

    def item_extra_kwargs(self, edition):
        note = localised(edition, "change_note")
        return {"summary_language": note.language} if note.is_fallback else {}

    def item_link(self, edition):
        return absolute_url(edition.advisory.get_absolute_url())

    def item_guid(self, edition):
        # The same change has the same id in every language's feed.
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
        return absolute_url(feed_url("feed", _language()))

    def feed_guid(self):
        suffix = "" if _language() == MACHINE_LANGUAGE else f":{_language()}"
        return tag_uri(f"advisories:feed{suffix}")

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
        return absolute_url(feed_url("country_feed", _language(), country=advisory.country.code.lower()))

    def feed_guid(self, advisory):
        suffix = "" if _language() == MACHINE_LANGUAGE else f":{_language()}"
        return tag_uri(f"advisory:{advisory.country.code}:feed{suffix}")

    def items(self, advisory):
        return self.changes(advisory)
