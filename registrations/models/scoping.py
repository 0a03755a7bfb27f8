"""What part of the citizens' personal data a staff member may see.

One rule, applied by every admin page, search, autocomplete, history, export,
count and action on personal data:

- superusers and headquarters officers (permission
  `registrations.view_all_citizens`) see everybody;
- a mission officer (a StaffAssignment to a mission) sees the citizens
  *present* in the mission's consular jurisdiction, now or later
  (`Stop.objects.present(onwards=True)`), with their profile, their household,
  those trips and the trips' stops;
- anyone else, staff without a role included, sees nobody.

Each model holding personal data has a QuerySet derived from
PersonalDataQuerySet: `Model.objects.visible_to(user)` is the whole answer,
and each model says in `in_jurisdiction` what "in the jurisdiction" means
for its rows.
"""

from django.db import models
from django.db.models import Q

ALL = "all"
NONE = "none"

VIEW_ALL_PERMISSION = "registrations.view_all_citizens"
_CACHE_ATTRIBUTE = "_registrations_scope"


class Jurisdiction(frozenset):
    """The country codes of a mission's jurisdiction, and the filter that selects rows in it."""

    def q(self, prefix="", *, country="country", region="region"):
        """Q for rows whose country field (after `prefix`, e.g. "person__") lies in the jurisdiction."""
        return Q(**{f"{prefix}{country}__in": sorted(self)})


def scope_of(user):
    """ALL, NONE, or the frozenset of country codes of the user's mission's jurisdiction.

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

    countries = Jurisdiction(
        str(code)
        for code in MissionJurisdiction.objects.filter(mission__staff_assignments__user=user).values_list(
            "country", flat=True
        )
    )
    return countries or NONE


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

    def in_jurisdiction(self, countries):
        """The rows a mission officer for `countries` (ISO 3166-1 codes) sees."""
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
