"""The read-only JSON API: published advisories and missions, with ISO codes."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.views.decorators.http import require_safe

from advisories.models import Advisory, Mission
from portal.outbound import absolute_url

from . import in_english
from .conditional import conditional_response


def json_response(request, data, *, last_modified=None):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    return conditional_response(request, body, content_type="application/json", last_modified=last_modified)


def published_advisories():
    return Advisory.objects.published().prefetch_related("current_edition__regions")


def advisory_data(advisory):
    edition = advisory.current_edition
    return {
        "country_code": advisory.country.code,
        "country_name": str(advisory.country.name),
        "level": edition.level,
        "level_label": str(edition.get_level_display()),
        "summary": edition.summary,
        "risk_indicators": edition.risk_indicators,
        "regions": [
            {
                "code": region.region,
                "name": region.region_name,
                "level": region.level,
                "level_label": str(region.get_level_display()),
                "reason": region.reason,
            }
            for region in edition.regions.all()
        ],
        "version": edition.version,
        "change_note": edition.change_note,
        "published_at": edition.published_at,
        "url": absolute_url(advisory.get_absolute_url()),
    }


@require_safe
@in_english
def advisory_list(request):
    advisories = list(published_advisories())
    return json_response(
        request,
        {"advisories": [advisory_data(advisory) for advisory in advisories]},
        last_modified=max((advisory.current_edition.published_at for advisory in advisories), default=None),
    )


@require_safe
@in_english
def advisory_detail(request, country):
    advisory = published_advisories().filter(country=country.upper()).first()
    if advisory is None:
        raise Http404("No published advisory for this country.")
    return json_response(request, advisory_data(advisory), last_modified=advisory.current_edition.published_at)


def _coordinates(mission):
    if mission.latitude is None or mission.longitude is None:
        return None
    return {"latitude": float(mission.latitude), "longitude": float(mission.longitude)}


def mission_data(mission):
    phones = {}
    for phone in mission.phones.all():
        phones.setdefault(phone.kind, []).append(phone.number)
    return {
        "id": mission.pk,
        "name": mission.name,
        "kind": mission.kind,
        "kind_label": str(mission.get_kind_display()),
        "country_code": mission.country.code,
        "country_name": str(mission.country.name),
        "city": mission.city,
        "address": mission.address,
        "coordinates": _coordinates(mission),
        "phones": phones,
        "email": mission.email,
        "website": mission.website,
        "opening_hours": mission.opening_hours,
        "services": mission.services,
        "operating_status": {
            "code": mission.operating_status,
            "label": str(mission.get_operating_status_display()),
            "note": mission.status_note,
            "changed_at": mission.status_changed_at,
        },
        "jurisdiction": sorted(jurisdiction.country.code for jurisdiction in mission.jurisdictions.all()),
    }


@require_safe
@in_english
def mission_list(request):
    missions = list(Mission.objects.prefetch_related("phones", "jurisdictions"))
    # Saving a mission (phones and jurisdiction included) bumps updated_at. A
    # deleted mission does not, but the ETag (a hash of the body) still changes.
    return json_response(
        request,
        {"missions": [mission_data(mission) for mission in missions]},
        last_modified=max((mission.updated_at for mission in missions), default=None),
    )
