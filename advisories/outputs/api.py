"""The read-only JSON API: published advisories and missions, with ISO codes, in the language asked for.

- Language: `?lang=kk|ru|en`, else the first of Accept-Language we speak, else
  English. Content-Language names it; a text not yet translated is given in
  its fallback language, and the object's `fallbacks` say which.
- Lists are paginated (`page`, `per_page`) with links in the body and in a
  Link header (RFC 8288).
- Errors are problem details (RFC 9457, application/problem+json): 400 names
  the parameters at fault, 404 an unknown country or address, 405 anything but
  GET and HEAD. No HTML page, no CSRF page: nothing here changes anything.
"""

import json
from dataclasses import dataclass, field
from functools import wraps
from math import ceil
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django_countries import countries

from advisories.models import Advisory, AdvisoryEdition, Level, Mission
from advisories.multilingual import LANGUAGES, localised
from advisories.translation import MISSION_TEXTS
from portal.geography import is_region_of
from portal.outbound import absolute_url

from . import MACHINE_LANGUAGE
from .conditional import conditional_response

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SAFE_METHODS = ("GET", "HEAD")


@dataclass
class Problem(Exception):
    """An RFC 9457 problem: `kind` names its type on the "Feeds and data" page."""

    status: int
    kind: str
    title: str
    detail: str = ""
    invalid_params: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)


def problem_type(kind):
    with translation.override(MACHINE_LANGUAGE):
        return absolute_url(f"{reverse('advisories:outputs')}#problem-{kind}")


def problem_response(request, problem):
    body = {
        "type": problem_type(problem.kind),
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.get_full_path(),
    }
    if problem.invalid_params:
        body["invalid_params"] = problem.invalid_params
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), status=problem.status, content_type="application/problem+json"
    )
    for name, value in problem.headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store" if problem.status == 405 else "public, max-age=60"
    return response


def invalid(*params):
    """400 naming each (parameter, reason)."""
    return Problem(
        400,
        "invalid-parameters",
        _("Invalid query parameters"),
        _("Correct the parameters named in invalid_params."),
        [{"name": name, "reason": reason} for name, reason in params],
    )


def accepted_language(request):
    """The first language of Accept-Language that we speak, else English."""
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = accepted.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return MACHINE_LANGUAGE


def asked_language(request, default):
    """?lang= if given (400 if we do not speak it), else `default`."""
    if "lang" not in request.GET:
        return default
    language = request.GET["lang"].lower()
    if language not in LANGUAGES:
        raise invalid(("lang", _("Must be one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}))
    return language


def api_view(*, params=()):
    """A JSON API view: GET and HEAD only, `lang` and `params` the only query parameters, problems as JSON.

    Everything, problems included, is in the language negotiated, and
    Content-Language says which.
    """
    allowed = {"lang", *params}

    def decorator(view):
        @csrf_exempt  # read-only: a POST is answered 405, never with the CSRF page
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            language = accepted_language(request)
            try:
                with translation.override(language):
                    if request.method not in SAFE_METHODS:
                        raise Problem(
                            405,
                            "method-not-allowed",
                            _("Method not allowed"),
                            _("This API is read-only: use GET or HEAD."),
                            headers={"Allow": ", ".join(SAFE_METHODS)},
                        )
                    language = asked_language(request, language)
                with translation.override(language):
                    unknown = sorted(set(request.GET) - allowed)
                    if unknown:
                        reason = _("Unknown parameter; this address takes: %(names)s.") % {
                            "names": ", ".join(sorted(allowed))
                        }
                        raise invalid(*((name, reason) for name in unknown))
                    response = view(request, *args, **kwargs)
            except Problem as problem:
                with translation.override(language):
                    response = problem_response(request, problem)
            response["Content-Language"] = language
            patch_vary_headers(response, ["Accept-Language"])
            return response

        return wrapper

    return decorator


def json_response(request, data, *, last_modified=None, headers=None):
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    response = conditional_response(request, body, content_type="application/json", last_modified=last_modified)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _int_param(request, name, *, minimum, maximum=None, default):
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        bounds = f"{minimum}..{maximum}" if maximum is not None else f"{minimum}+"
        raise invalid((name, _("Must be a whole number in %(bounds)s.") % {"bounds": bounds}))
    return value


def paginate(request, rows, key):
    """(body, headers) of one page of `rows` under `key`, with counts and links."""
    per_page = _int_param(request, "per_page", minimum=1, maximum=MAX_PAGE_SIZE, default=PAGE_SIZE)
    page = _int_param(request, "page", minimum=1, default=1)
    pages = max(1, ceil(len(rows) / per_page))
    if page > pages:
        raise Problem(
            404,
            "page-not-found",
            _("No such page"),
            _("There are %(pages)d pages of %(per_page)d.") % {"pages": pages, "per_page": per_page},
        )

    def link(number):
        query = {name: value for name, value in request.GET.items() if name not in {"page"}}
        if number > 1:
            query["page"] = number
        return absolute_url(request.path + (f"?{urlencode(query)}" if query else ""))

    links = {"self": link(page), "first": link(1), "last": link(pages)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    body = {
        key: rows[(page - 1) * per_page : page * per_page],
        "count": len(rows),
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "links": links,
    }
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if rel != "self")
    return body, {"Link": header}


def _texts(obj, fields):
    """({field: text in the active language or its fallback}, {field: fallback language used})."""
    texts, fallbacks = {}, {}
    for name in fields:
        text = localised(obj, name)
        texts[name] = text.text
        if text.is_fallback:
            fallbacks[name] = text.language
    return texts, fallbacks


def published_advisories():
    return Advisory.objects.published().prefetch_related("current_edition__regions")


def advisory_data(advisory):
    edition = advisory.current_edition
    texts, fallbacks = _texts(edition, ["summary", "change_note"])
    sections = {}
    for name in AdvisoryEdition.SECTION_FIELDS:
        text = localised(edition, name)
        if text:
            sections[name] = text.text
            if text.is_fallback:
                fallbacks[f"sections.{name}"] = text.language
    regions = []
    for region in edition.regions.all():
        reason = localised(region, "reason")
        regions.append(
            {
                "code": region.region,
                "name": region.region_name,
                "level": region.level,
                "level_label": str(region.get_level_display()),
                "reason": reason.text,
                **({"fallbacks": {"reason": reason.language}} if reason.is_fallback else {}),
            }
        )
    return {
        "country_code": advisory.country.code,
        "country_name": str(advisory.country.name),
        "level": edition.level,
        "level_label": str(edition.get_level_display()),
        "summary": texts["summary"],
        "risk_indicators": edition.risk_indicators,
        "sections": sections,
        "regions": regions,
        "version": edition.version,
        "change_note": texts["change_note"],
        "published_at": edition.published_at,
        "url": absolute_url(advisory.get_absolute_url()),
        "language": translation.get_language(),
        "fallbacks": fallbacks,
    }


@api_view(params=["level", "page", "per_page"])
def advisory_list(request):
    level = request.GET.get("level")
    if level is not None and level not in {str(value) for value in Level.values}:
        raise invalid(("level", _("Must be one of: %(levels)s.") % {"levels": ", ".join(map(str, Level.values))}))
    advisories = list(published_advisories())
    selected = [advisory for advisory in advisories if level is None or str(advisory.current_edition.level) == level]
    body, headers = paginate(request, [advisory_data(advisory) for advisory in selected], "advisories")
    return json_response(
        request,
        body,
        headers=headers,
        last_modified=max((advisory.current_edition.published_at for advisory in advisories), default=None),
    )


@api_view()
def advisory_detail(request, country):
    code = country.upper()
    if code not in countries:
        raise Problem(
            404,
            "unknown-country",
            _("Unknown country"),
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": country},
        )
    advisory = published_advisories().filter(country=code).first()
    if advisory is None:
        raise Problem(
            404,
            "no-advisory",
            _("No advisory for this country"),
            _("No travel advisory has been published for %(country)s.") % {"country": countries.name(code)},
        )
    return json_response(request, advisory_data(advisory), last_modified=advisory.current_edition.published_at)


def _coordinates(mission):
    if mission.latitude is None or mission.longitude is None:
        return None
    return {"latitude": float(mission.latitude), "longitude": float(mission.longitude)}


def mission_data(mission):
    phones = {}
    for phone in mission.phones.all():
        phones.setdefault(phone.kind, []).append(phone.number)
    texts, fallbacks = _texts(mission, MISSION_TEXTS)
    return {
        "id": mission.pk,
        "name": texts["name"],
        "kind": mission.kind,
        "kind_label": str(mission.get_kind_display()),
        "country_code": mission.country.code,
        "country_name": str(mission.country.name),
        "city": texts["city"],
        "address": texts["address"],
        "coordinates": _coordinates(mission),
        "phones": phones,
        "email": mission.email,
        "website": mission.website,
        "opening_hours": texts["opening_hours"],
        "services": texts["services"],
        "operating_status": {
            "code": mission.operating_status,
            "label": str(mission.get_operating_status_display()),
            "note": texts["status_note"],
            "changed_at": mission.status_changed_at,
        },
        # ISO 3166-1 codes for whole countries, ISO 3166-2 codes for single regions.
        "jurisdiction": sorted(place.region or place.country.code for place in mission.jurisdictions.all()),
        "language": translation.get_language(),
        "fallbacks": fallbacks,
    }


def _place_param(request, name):
    """(country, region) of an ISO 3166-1 code (IR) or an ISO 3166-2 code (TR-34); 400 otherwise."""
    value = request.GET.get(name, "").strip().upper()
    if not value:
        return "", ""
    country, _dash, region = value.partition("-")
    if country not in countries or (region and not is_region_of(value, country)):
        raise invalid((name, _("Must be an ISO 3166-1 country code (IR) or an ISO 3166-2 region code (TR-34).")))
    return country, value if region else ""


@api_view(params=["country", "serves", "page", "per_page"])
def mission_list(request):
    host, host_region = _place_param(request, "country")
    if host_region:
        raise invalid(("country", _("Must be an ISO 3166-1 country code, e.g. TR.")))
    serves, serves_region = _place_param(request, "serves")
    all_missions = Mission.objects.prefetch_related("phones", "jurisdictions")
    if serves:
        # In the order "who helps me there?" gives: the closest first.
        missions = list(Mission.objects.serving(serves, serves_region).prefetch_related("jurisdictions"))
    else:
        missions = list(all_missions)
    if host:
        missions = [mission for mission in missions if mission.country.code == host]
    # Saving a mission (phones and jurisdiction included) bumps updated_at. A
    # deleted mission does not, but the ETag (a hash of the body) still changes.
    last_modified = Mission.objects.last_changed()[0]
    body, headers = paginate(request, [mission_data(mission) for mission in missions], "missions")
    return json_response(request, body, headers=headers, last_modified=last_modified)


@csrf_exempt
def not_found(request):
    """Anything under /api/ that is no resource: a problem, not the site's HTML page."""
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    language = accepted_language(request)
    with translation.override(language):
        response = problem_response(
            request,
            Problem(
                404, "not-found", _("Not found"), _("There is no resource at this address; see the documentation.")
            ),
        )
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response
