"""CAP 1.2 (Common Alerting Protocol) alerts for advisories at level 3 or 4, in every language of the portal.

/advisories/cap.xml is an Atom index, the form alert aggregators read; each
entry links to one country's CAP document, /advisories/<code>/cap.xml, valid
against OASIS's CAP 1.2 schema. An alert covers the country's current
edition; when the edition before it was an alert too, msgType is Update and
<references> names it.

How a level becomes CAP values (documented on the "Feeds and data" page):

    level 4 "Do not travel"      severity Extreme, urgency Immediate, certainty Observed
    level 3 "Reconsider travel"  severity Severe,  urgency Expected,  certainty Likely

The country's level and each regional level of 3 or 4 get their own <info>
in each language (English first, for readers that take the first one; then
Kazakh and Russian, as CAP 1.2 allows one <info> per language), highest
level first, so a level 4 border region of a level 2 country is an alert
for that region alone (geocode "ISO 3166-2"). A text not yet translated is
given in its fallback language with a line saying so.

An alert has no <expires>: it stands as long as the advisory does, until an
Update or a Cancel replaces it. When a country drops below level 3, its
document becomes a Cancel that references the last alert (with an <info>
per language saying the new level), listed in the index for CANCEL_LISTED_FOR.
"""

import xml.etree.ElementTree as ET
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.template.defaultfilters import linebreaks
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from advisories.models import Advisory, AdvisoryEdition, EditionStatus, Level, RiskIndicator
from advisories.multilingual import Text, localised
from portal.geography import region_name
from portal.outbound import absolute_url

from . import in_english, tag_uri
from .conditional import conditional_response

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
# Written as the default namespace (<alert xmlns="...">), as CAP examples are.
ET.register_namespace("", CAP_NAMESPACE)
ALERT_LEVELS = (Level.RECONSIDER, Level.DO_NOT_TRAVEL)
# The languages of each alert's <info> blocks, in their order.
CAP_LANGUAGES = ("en", "kk", "ru")

SEVERITY = {Level.DO_NOT_TRAVEL: "Extreme", Level.RECONSIDER: "Severe"}
URGENCY = {Level.DO_NOT_TRAVEL: "Immediate", Level.RECONSIDER: "Expected"}
CERTAINTY = {Level.DO_NOT_TRAVEL: "Observed", Level.RECONSIDER: "Likely"}
CATEGORY = {
    RiskIndicator.CRIME: "Security",
    RiskIndicator.TERRORISM: "Security",
    RiskIndicator.CIVIL_UNREST: "Security",
    RiskIndicator.KIDNAPPING: "Security",
    RiskIndicator.WRONGFUL_DETENTION: "Security",
    RiskIndicator.HEALTH: "Health",
    RiskIndicator.NATURAL_DISASTER: "Geo",
    RiskIndicator.TIME_LIMITED_EVENT: "Safety",
    RiskIndicator.OTHER: "Other",
}
# How long a Cancel stays in the index after the edition that lowered the level.
CANCEL_LISTED_FOR = timedelta(days=30)


def cap_time(moment):
    """CAP's date-time: local offset, whole seconds, and UTC written "-00:00" (never "Z")."""
    text = timezone.localtime(moment).replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if text.endswith("+00:00") else text


def alerting_advisories():
    """Published advisories whose country or one of its regions is at level 3 or 4."""
    return (
        Advisory.objects.published()
        .filter(Q(current_edition__level__in=ALERT_LEVELS) | Q(current_edition__regions__level__in=ALERT_LEVELS))
        .distinct()
        .prefetch_related("current_edition__regions")
    )


def cancelling_advisories(now):
    """Published advisories whose current edition, recent, ended an alert: their Cancel is still listed."""
    recent = (
        Advisory.objects.published()
        .filter(current_edition__published_at__gte=now - CANCEL_LISTED_FOR)
        .exclude(pk__in=alerting_advisories().values("pk"))
        .prefetch_related("current_edition__regions")
    )
    return [(advisory, previous) for advisory in recent if (previous := previous_alert(advisory.current_edition))]


def identifier(edition):
    return f"{settings.PORTAL_CAP_SENDER}:advisory:{edition.advisory.country.code}:{edition.version}"


def is_alert(edition):
    return edition.level in ALERT_LEVELS or any(region.level in ALERT_LEVELS for region in edition.regions.all())


def previous_alert(edition):
    """The edition this one replaces, if it was itself a CAP alert."""
    previous = (
        AdvisoryEdition.objects.filter(
            advisory_id=edition.advisory_id, status=EditionStatus.ARCHIVED, version__lt=edition.version
        )
        .prefetch_related("regions")
        .order_by("-version")
        .first()
    )
    return previous if previous is not None and is_alert(previous) else None


INSTRUCTION = {
    Level.DO_NOT_TRAVEL: lambda: _(
        "Do not travel to this area. If you are there, register your stay on the Consular Portal, "
        "keep in touch with the nearest embassy and consider leaving while it is possible."
    ),
    Level.RECONSIDER: lambda: _(
        "Reconsider travelling to this area. If you go or are there, register your stay on the "
        "Consular Portal and follow the embassy's advice."
    ),
}


def _text(parent, tag, text):
    element = ET.SubElement(parent, f"{{{CAP_NAMESPACE}}}{tag}")
    element.text = str(text)
    return element


def _area(info, description, value_name, code):
    area = ET.SubElement(info, f"{{{CAP_NAMESPACE}}}area")
    _text(area, "areaDesc", description)
    geocode = ET.SubElement(area, f"{{{CAP_NAMESPACE}}}geocode")
    _text(geocode, "valueName", value_name)
    _text(geocode, "value", code)


def _with_fallback_notes(paragraphs):
    """Texts (advisories.multilingual.Text) as paragraphs, each fallback followed by the line saying so."""
    lines = []
    for text in paragraphs:
        lines.append(str(text))
        if text.is_fallback:
            lines.append(f"({text.coming_note})")
    return "\n\n".join(lines)


def _categories(info, edition):
    categories = dict.fromkeys(CATEGORY[indicator] for indicator in edition.risk_indicators) or {"Safety": None}
    for category in categories:
        _text(info, "category", category)


def _common_info(alert, language):
    info = ET.SubElement(alert, f"{{{CAP_NAMESPACE}}}info")
    _text(info, "language", language)
    return info


def _info(alert, edition, level, *, whole_country, regions, language):
    """One <info> of an alert, in `language` (the caller activates it)."""
    country = edition.advisory.country
    level_label = Level(level).label
    info = _common_info(alert, language)
    _categories(info, edition)
    _text(info, "event", _("Travel advisory: %(label)s") % {"label": level_label})
    _text(info, "responseType", "Avoid")
    _text(info, "urgency", URGENCY[level])
    _text(info, "severity", SEVERITY[level])
    _text(info, "certainty", CERTAINTY[level])
    _text(info, "effective", cap_time(edition.published_at))
    _text(info, "senderName", _("Consular Portal"))
    where = country.name if whole_country else ", ".join(region_name(region.region) for region in regions)
    _text(
        info,
        "headline",
        _("%(where)s: %(label)s (level %(level)s)") % {"where": where, "label": level_label, "level": level},
    )
    texts = [localised(edition, "summary")] if whole_country else []
    for region in regions:
        reason = localised(region, "reason")
        texts.append(Text(f"{region_name(region.region)}: {reason.text}", reason.language, reason.wanted))
    _text(info, "description", _with_fallback_notes(texts))
    _text(info, "instruction", INSTRUCTION[level]())
    _text(info, "web", absolute_url(edition.advisory.get_absolute_url()))
    if whole_country:
        _area(info, country.name, "ISO 3166-1 alpha-2", country.code)
    for region in regions:
        _area(info, f"{region_name(region.region)}, {country.name}", "ISO 3166-2", region.region)


def _alert_head(edition, msg_type, previous):
    alert = ET.Element(f"{{{CAP_NAMESPACE}}}alert")
    _text(alert, "identifier", identifier(edition))
    _text(alert, "sender", settings.PORTAL_CAP_SENDER)
    _text(alert, "sent", cap_time(edition.published_at))
    _text(alert, "status", "Actual")
    _text(alert, "msgType", msg_type)
    _text(alert, "scope", "Public")
    if previous:
        reference = f"{settings.PORTAL_CAP_SENDER},{identifier(previous)},{cap_time(previous.published_at)}"
        _text(alert, "references", reference)
    return alert


def alert_document(edition):
    """The CAP <alert> for a published edition at level 3 or 4 (or with such a region), as UTF-8 bytes."""
    previous = previous_alert(edition)
    alert = _alert_head(edition, "Update" if previous else "Alert", previous)
    regions = list(edition.regions.all())
    country_level = edition.level if edition.level in ALERT_LEVELS else None
    for level in sorted(ALERT_LEVELS, reverse=True):
        regions_at_level = [region for region in regions if region.level == level]
        if level == country_level or regions_at_level:
            for language in CAP_LANGUAGES:
                with translation.override(language):
                    _info(
                        alert,
                        edition,
                        level,
                        whole_country=level == country_level,
                        regions=regions_at_level,
                        language=language,
                    )
    return ET.tostring(alert, encoding="utf-8", xml_declaration=True)


def cancel_document(edition, previous):
    """The CAP Cancel of the last alert, for an edition that brought the country below level 3."""
    alert = _alert_head(edition, "Cancel", previous)
    country = edition.advisory.country
    for language in CAP_LANGUAGES:
        with translation.override(language):
            info = _common_info(alert, language)
            _categories(info, edition)
            _text(info, "event", _("Travel advisory: alert ended"))
            _text(info, "responseType", "AllClear")
            _text(info, "urgency", "Past")
            _text(info, "severity", "Minor")
            _text(info, "certainty", "Observed")
            _text(info, "effective", cap_time(edition.published_at))
            _text(info, "senderName", _("Consular Portal"))
            _text(
                info,
                "headline",
                _("%(where)s: now level %(level)s, %(label)s")
                % {
                    "where": country.name,
                    "level": edition.level,
                    "label": Level(edition.level).label,
                },
            )
            _text(info, "description", _with_fallback_notes([localised(edition, "summary")]))
            _text(info, "instruction", _("Read the current advice for the country before you travel."))
            _text(info, "web", absolute_url(edition.advisory.get_absolute_url()))
            _area(info, country.name, "ISO 3166-1 alpha-2", country.code)
    return ET.tostring(alert, encoding="utf-8", xml_declaration=True)


def document_for(advisory):
    """The country's CAP document (an alert, an update or a cancel), or None."""
    edition = advisory.current_edition
    if edition is None:
        return None
    if is_alert(edition):
        return alert_document(edition)
    previous = previous_alert(edition)
    return cancel_document(edition, previous) if previous else None


def has_cap_document(edition, regions):
    """Whether /advisories/<code>/cap.xml answers for a country's current edition (for autodiscovery links)."""
    if edition is None:
        return False
    if edition.level in ALERT_LEVELS or any(region.level in ALERT_LEVELS for region in regions):
        return True
    return previous_alert(edition) is not None


@require_safe
def cap_alert(request, country):
    advisory = Advisory.objects.published().filter(country=country.upper()).first()
    document = document_for(advisory) if advisory else None
    if document is None:
        raise Http404("No level 3 or 4 advisory for this country.")
    response = conditional_response(
        request, document, content_type="application/cap+xml", last_modified=advisory.current_edition.published_at
    )
    response["Content-Language"] = ", ".join(CAP_LANGUAGES)
    return response


@require_safe
@in_english
def cap_feed(request):
    """An Atom index of the current alerts and recent cancels, each entry linking to its CAP document."""
    now = timezone.now()
    entries = [(advisory, None) for advisory in alerting_advisories()] + cancelling_advisories(now)
    entries.sort(key=lambda entry: entry[0].current_edition.published_at, reverse=True)
    feed = Atom1Feed(
        title=_("Travel advisories at level 3 and 4 (CAP 1.2)"),
        link=absolute_url(reverse("advisories:index")),
        feed_url=absolute_url(reverse("advisory_data:cap_feed")),
        description=_("Common Alerting Protocol alerts for countries and regions where we advise against travel."),
        language="en",
        feed_guid=tag_uri("advisories:cap"),
    )
    for advisory, cancelled in entries:
        edition = advisory.current_edition
        label = Level(edition.level).label
        if cancelled:
            title = _("%(country)s: alert ended, now %(label)s") % {"country": advisory.country.name, "label": label}
        else:
            title = f"{advisory.country.name}: {label}"
        feed.add_item(
            title=title,
            link=absolute_url(reverse("advisory_data:cap_alert", kwargs={"country": advisory.country.code.lower()})),
            # Atom's summary is HTML: escape what staff typed.
            description=linebreaks(localised(edition, "summary").text, autoescape=True),
            unique_id=tag_uri(f"advisory:{advisory.country.code}:cap:{edition.version}"),
            updateddate=edition.published_at,
            pubdate=edition.published_at,
        )
    body = feed.writeString("utf-8").encode()
    last_modified = max((advisory.current_edition.published_at for advisory, _c in entries), default=None)
    return conditional_response(
        request, body, content_type="application/atom+xml; charset=utf-8", last_modified=last_modified
    )
