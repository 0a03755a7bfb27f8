"""The public pages: the index with its map, a country's page, the mission directory.

Each page renders its body inside a `{% cache %}` fragment keyed on
caching.advisories_version()/missions_version(), so a cached page costs one or
two small queries, and the querysets handed to the templates are lazy: they
only run when the fragment is rendered afresh.
"""

import hashlib

from csp.constants import SELF
from csp.decorators import csp_replace
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django_countries import countries

from portal.geography import collation_key

from . import caching
from .forms import AdvisoryFilterForm, CountryChoiceForm, countries_by_name
from .models import Advisory, AdvisoryEdition, Level, Mission
from .outputs.cap import has_cap_document
from .worldmap import LEVEL_COLOURS, country_shapes

INDEX_SORTS = {"name", "level"}


def country_url(code):
    return reverse("advisories:country", kwargs={"country": str(code).lower()})


def country_rows(*, sort="name", level=None, query=""):
    """Every country with its published level (None: no advisory), in the page's language."""
    published = {
        code: (level, published_at)
        for code, level, published_at in Advisory.objects.published().values_list(
            "country", "current_edition__level", "current_edition__published_at"
        )
    }
    needle = query.casefold().strip()
    rows = []
    for code, name in countries_by_name():
        country_level, published_at = published.get(code, (None, None))
        if level is not None and country_level != level:
            continue
        if needle and needle not in name.casefold() and needle != code.casefold():
            continue
        rows.append(
            {
                "code": code,
                "name": name,
                "level": country_level,
                "level_name": Level(country_level).label if country_level else None,
                "published_at": published_at,
                "url": country_url(code),
            }
        )
    if sort == "level":
        rows.sort(key=lambda row: -(row["level"] or 0))  # stable: names stay in order within a level
    return rows


def legend():
    return [
        {"level": level, "name": Level(level).label if level else None, "css_class": f"level-{level or 'none'}"}
        for level in [4, 3, 2, 1, None]
    ]


@require_safe
@csp_replace({"object-src": [SELF]})  # the map is an <object>, so that its links work without JavaScript
def advisory_index(request):
    form = AdvisoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort") if request.GET.get("sort") in INDEX_SORTS else "name"
    level, query = filters.get("level"), filters.get("q", "")
    version = caching.advisories_version()
    context = {
        "form": form,
        "sort": sort,
        "level": level,
        "query": query,
        "version": version,
        "cache_timeout": caching.PAGE_TIMEOUT,
        "rows": SimpleLazyObject(lambda: country_rows(sort=sort, level=level, query=query)),
        "legend": legend(),
        "is_filtered": bool(level or query),
    }
    return render(request, "advisories/index.html", context)


@require_safe
def country_page(request, country):
    code = country.upper()
    if code not in countries:
        raise Http404
    advisory = SimpleLazyObject(lambda: Advisory.objects.filter(country=code).select_related("current_edition").first())

    def edition():
        return advisory.current_edition if advisory else None

    regions = SimpleLazyObject(lambda: list(edition().regions.all()) if edition() else [])

    context = {
        "country_code": code,
        "country_name": countries.name(code),
        "now": timezone.now(),
        "version": caching.advisories_version(),
        "missions_version": caching.missions_version(),
        "cache_timeout": caching.PAGE_TIMEOUT,
        "edition": SimpleLazyObject(edition),
        "regions": regions,
        # Whether the country has a CAP document, for the page's autodiscovery links.
        "has_cap": SimpleLazyObject(lambda: has_cap_document(edition(), regions)),
        "history": SimpleLazyObject(
            lambda: list(AdvisoryEdition.objects.filter(advisory__country=code).public_history())
        ),
        "missions": SimpleLazyObject(lambda: list(Mission.objects.serving(code).prefetch_related("jurisdictions"))),
    }
    return render(request, "advisories/country.html", context)


@require_safe
def mission_directory(request):
    host_form = CountryChoiceForm(request.GET or None, prefix="host")
    helps_form = CountryChoiceForm(request.GET or None, prefix="helps")
    host = host_form.cleaned_data["country"] if host_form.is_valid() else ""
    helps = helps_form.cleaned_data["country"] if helps_form.is_valid() else ""

    def missions():
        if helps:
            return list(Mission.objects.serving(helps).prefetch_related("jurisdictions"))
        selected = Mission.objects.with_kind_rank().prefetch_related("phones", "jurisdictions")
        if host:
            selected = selected.filter(country=host)
        # Grouped by host country, in the page's language.
        return sorted(
            selected,
            key=lambda mission: (collation_key(mission.country.name), mission.kind_rank, collation_key(mission.city)),
        )

    context = {
        "host_form": host_form,
        "helps_form": helps_form,
        "host": host,
        "helps": helps,
        "helps_name": countries.name(helps) if helps else "",
        "version": caching.missions_version(),
        "cache_timeout": caching.PAGE_TIMEOUT,
        "missions": SimpleLazyObject(missions),
    }
    return render(request, "advisories/missions.html", context)


@require_safe
@gzip_page  # no secrets in it, so compressing is safe (no BREACH)
@xframe_options_sameorigin  # shown in an <object> on the index
@csp_replace({"frame-ancestors": [SELF]})
def world_map(request):
    """The map as an SVG document, rendered once per publication state and language."""
    version = caching.advisories_version()
    key = f"advisories:map:{get_language()}:{version}"
    svg = cache.get(key)
    if svg is None:
        svg = render_world_map()
        cache.set(key, svg, caching.PAGE_TIMEOUT)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
    # Short: a browser revalidates with the ETag, and the index links to the
    # map with its version in the address, so a publication shows at once.
    patch_cache_control(response, public=True, max_age=300)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def render_world_map():
    view_box, shapes = country_shapes()
    levels = Advisory.objects.levels_for(code.upper() for code in shapes)
    areas = []
    for code, path_data in shapes.items():
        level = levels.get(code.upper())
        if code.upper() not in countries:
            continue
        areas.append(
            {
                "code": code,
                "name": countries.name(code.upper()),
                "level": level,
                "level_name": Level(level).label if level else None,
                "fill": LEVEL_COLOURS[level][0],
                "path": path_data,
                "url": reverse("advisories:country", kwargs={"country": code}),
            }
        )
    return render_to_string("advisories/map.svg", {"view_box": view_box, "areas": areas})
