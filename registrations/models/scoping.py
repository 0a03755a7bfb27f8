"""What part of the citizens' personal data a staff member may see.

One rule, applied by every admin page, search, autocomplete, history, export,
count and action on personal data:

- superusers and headquarters officers (permission
  `registrations.view_all_citizens`) see everybody;
- a mission officer (a StaffAssignment to a mission) sees the citizens
  *present* in the mission's consular jurisdiction, now or later
  (`Stop.objects.present(onwards=True)`), with their profile, their household,
  those trips and the trips' stops. A jurisdiction is whole countries and
  single ISO 3166-2 regions of others (advisories.MissionJurisdiction): the
  consulate general in Istanbul sees İstanbul and the provinces it covers, the
  embassy in Ankara the rest of Türkiye;
- anyone else, staff without a role included, sees nobody.

Each model holding personal data has a QuerySet derived from
PersonalDataQuerySet: `Model.objects.visible_to(user)` is the whole answer,
and each model says in `in_jurisdiction` what "in the jurisdiction" means
for its rows, most through `Jurisdiction.q()` on their country and region.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

ALL = "all"
NONE = "none"

VIEW_ALL_PERMISSION = "registrations.view_all_citizens"
_CACHE_ATTRIBUTE = "_registrations_scope"


@dataclass(frozen=True)
class Jurisdiction:
    """Where a mission officer's citizens are: whole countries (ISO 3166-1), and single regions (ISO 3166-2)."""

    countries: frozenset = frozenset()
    regions: frozenset = frozenset()

    @classmethod
    def of(cls, places):
        """From (country, region) pairs, region "" for the whole country."""
        places = [(str(country).upper(), (region or "").upper()) for country, region in places]
        countries = frozenset(country for country, region in places if not region)
        regions = frozenset(region for country, region in places if region and country not in countries)
        return cls(countries, regions)

    def __bool__(self):
        return bool(self.countries or self.regions)

    @property
    def partial_countries(self):
        """Countries of which the jurisdiction holds some regions only."""
        return frozenset(region.split("-", 1)[0] for region in self.regions) - self.countries

    @property
    def all_countries(self):
        """Every country the jurisdiction reaches into, wholly or partly."""
        return self.countries | self.partial_countries

    def q(self, prefix="", *, country="country", region="region"):
        """Q for rows whose country and region fields (after `prefix`, e.g. "person__") lie in the jurisdiction.

        A row whose region was not given, in a country of which the jurisdiction
        holds only some regions, is in it: rather two missions than none see
        that person. With region=None (rows that know only a country) a row is
        in it when its country is wholly or partly.
        """
        country_field = f"{prefix}{country}"
        if region is None:
            return Q(**{f"{country_field}__in": sorted(self.all_countries)})
        region_field = f"{prefix}{region}"
        return (
            Q(**{f"{country_field}__in": sorted(self.countries)})
            | Q(**{f"{region_field}__in": sorted(self.regions)})
            | Q(**{f"{country_field}__in": sorted(self.partial_countries), region_field: ""})
        )

    def contains(self, country, region=""):
        """Whether a place (a stop's country and region) is in the jurisdiction."""
        country, region = str(country).upper(), (region or "").upper()
        if country in self.countries or region in self.regions:
            return True
        return not region and country in self.partial_countries

    @property
    def key(self):
        """A short stable text naming the jurisdiction, for cache keys: "IL,PS;TR-34,TR-41"."""
        return ",".join(sorted(self.countries)) + ";" + ",".join(sorted(self.regions))


def scope_of(user):
    """ALL, NONE, or the Jurisdiction of the user's mission.

    Cached on the user object, that is once per request.
    """
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user is not None and user.is_authenticated:
        setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def _compute_scope(user):
    if user is None or not (user.is_authenticated and user.is_active and user.is_staff):
        return NONE
    if user.is_superuser or user.has_perm(VIEW_ALL_PERMISSION):
        return ALL
    from advisories.models import MissionJurisdiction

    places = MissionJurisdiction.objects.filter(mission__staff_assignments__user=user).values_list("country", "region")
    return Jurisdiction.of(places) or NONE


def can_see_personal_data(user):
    """Whether the user may see any citizen's personal data at all."""
    return scope_of(user) != NONE


class PersonalDataQuerySet(models.QuerySet):
    """The rows of a personal-data model that a staff member may see."""

    def visible_to(self, user):
        scope = scope_of(user)
        if scope == ALL:
            return self
        if scope == NONE:
            return self.none()
        return self.in_jurisdiction(scope)

    def in_jurisdiction(self, jurisdiction):
        """The rows a mission officer for `jurisdiction` (a Jurisdiction) sees."""
        raise NotImplementedError(f"{type(self).__name__} must say which of its rows a mission officer sees.")

    def with_stop_where(self, condition):
        """Rows with a current or upcoming stop matching `condition` (a Q on Stop): the list filters' rule."""
        raise NotImplementedError(f"{type(self).__name__} must say how its rows relate to stops.")

    def is_visible_to(self, obj, user):
        """Whether one row is in the user's scope (one query for a mission officer)."""
        scope = scope_of(user)
        if scope == ALL:
            return True
        if scope == NONE or obj is None or obj.pk is None:
            return False
        return self.filter(pk=obj.pk).visible_to(user).exists()
