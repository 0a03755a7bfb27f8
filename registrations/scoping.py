"""What part of the citizens' personal data a staff member may see.

One rule, applied by every admin page, search, autocomplete, history, export
and action on personal data:

- superusers and headquarters officers (permission
  `registrations.view_all_citizens`) see everybody;
- a mission officer (a StaffAssignment to a mission) sees the citizens
  *present* in the mission's consular jurisdiction: those with a trip, not
  cancelled, that has a stop in one of its countries which is current or
  upcoming (no departure date, or departure today or later); and with them
  their profile, their household, those trips and the trips' stops;
- anyone else, staff without a role included, sees nobody.

`stops_visible_to(user)` is the rule; `restrict(queryset, user)` derives
every other model's share from it.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from .models import CitizenProfile, HouseholdMember, Presence, Stop, Trip
from .models.trips import TripStatus

ALL = "all"
NONE = "none"

VIEW_ALL_PERMISSION = "registrations.view_all_citizens"
_CACHE_ATTRIBUTE = "_registrations_scope"


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

    countries = frozenset(
        str(code)
        for code in MissionJurisdiction.objects.filter(mission__staff_assignments__user=user).values_list(
            "country", flat=True
        )
    )
    return countries or NONE


def can_see_personal_data(user):
    """Whether the user may see any citizen's personal data at all."""
    return scope_of(user) != NONE


def stops_visible_to(user, *, today=None):
    """The stops in the user's scope: all of them, or the current and upcoming ones of
    non-cancelled trips in the mission's jurisdiction, or none."""
    scope = scope_of(user)
    if scope == ALL:
        return Stop.objects.all()
    if scope == NONE:
        return Stop.objects.none()
    return Stop.objects.filter(_present_in_jurisdiction(scope, today=today))


def _present_in_jurisdiction(countries, *, today=None):
    today = today or timezone.localdate()
    return (
        Q(country__in=sorted(countries))
        & (Q(departure_date__isnull=True) | Q(departure_date__gte=today))
        & ~Q(trip__status=TripStatus.CANCELLED)
    )


def restrict(queryset, user):
    """`queryset` (of any model holding citizens' personal data) cut down to the user's scope."""
    scope = scope_of(user)
    if scope == ALL:
        return queryset
    if scope == NONE:
        return queryset.none()
    if queryset.model is Presence:
        # The list of people present shows only the stops in the jurisdiction.
        return queryset.filter(_present_in_jurisdiction(scope))
    model = queryset.model._meta.concrete_model
    trips = stops_visible_to(user).values("trip_id")
    if model is Trip:
        return queryset.filter(pk__in=trips)
    if model is Stop:
        # A visible trip is shown whole: the officer in Tehran sees where the traveller goes next.
        return queryset.filter(trip_id__in=trips)
    owners = Trip.objects.filter(pk__in=trips).values("owner_id")
    if model is CitizenProfile:
        return queryset.filter(user_id__in=owners)
    if model is HouseholdMember:
        return queryset.filter(owner_id__in=owners)
    if model is get_user_model():
        return queryset.filter(pk__in=owners)
    raise TypeError(f"No scoping rule for {model.__name__}: add one before showing it to staff.")


def is_visible_to(obj, user):
    """Whether one record is in the user's scope (one query for a mission officer)."""
    scope = scope_of(user)
    if scope == ALL:
        return True
    if scope == NONE or obj is None or obj.pk is None:
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user).exists()
