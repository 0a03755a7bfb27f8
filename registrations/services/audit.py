"""Recording what staff do with citizens' personal data (the AuditEvent log).

`record_audit_event` is the one way to write the log. It stores who, what,
whose, which record (as "Trip #12", never a name), when and from which
address; `details` must hold only the names of filters and fields, and counts: never a value.
"""

from django.contrib.contenttypes.models import ContentType

from portal.admin_search import SEARCH_TOKEN_VAR
from portal.client_ip import client_ip

from ..models import AuditAction, AuditEvent, CitizenProfile, CrisisPerson, HouseholdMember, Stop, Trip

# GET parameters of admin lists that say nothing about the filter applied (a kept search's token is a search:
# AuditedAdminMixin.search_details says what of it is kept).
_NOT_FILTERS = {"p", "o", "q", SEARCH_TOKEN_VAR, "e", "_changelist_filters", "_popup", "_to_field"}


def subject_id_of(obj):
    """The id of the citizen (User) whose data `obj` is, without a query where possible."""
    from django.contrib.auth import get_user_model

    if obj is None:
        return None
    if isinstance(obj, get_user_model()):
        return obj.pk
    if isinstance(obj, CitizenProfile):
        return obj.user_id
    if isinstance(obj, HouseholdMember | Trip):
        return obj.owner_id
    if isinstance(obj, Stop):
        return Trip.objects.filter(pk=obj.trip_id).values_list("owner_id", flat=True).first()
    if isinstance(obj, CrisisPerson):
        return obj.citizen_id
    # A crisis's check-ins, help requests and deliveries are about one person on its board.
    person_id = getattr(obj, "person_id", None)
    if person_id is not None:
        return CrisisPerson.objects.filter(pk=person_id).values_list("citizen_id", flat=True).first()
    return None


def record_repr(obj):
    """A short, non-personal name for a record: "Trip #12"."""
    return f"{obj._meta.concrete_model._meta.verbose_name.capitalize()} #{obj.pk}"[:100]


def filters_of(request):
    """Which filters an admin list or export applied: their parameters' names, never their values.

    The log is append-only and kept for years: a value ("insulin", a phone
    number, a city) would be personal data kept for ever. Search terms are left
    out here (see AuditedAdminMixin.search_details).
    """
    return sorted({key[:50] for key in request.GET if key not in _NOT_FILTERS})


def record_audit_event(*, request, action, subject=None, obj=None, model=None, details=None):
    """Write one audit event for `request.user` and return it.

    `subject` is the citizen (User) whose data it is; derived from `obj` when
    not given. `model` names the kind of record for events about many (lists,
    searches, exports).
    """
    action = AuditAction(action)
    subject_id = subject.pk if subject is not None else subject_id_of(obj)
    content_type = None
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj)
    elif model is not None:
        # The list of people present is told apart from the list of stops.
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    event = AuditEvent(
        actor=request.user,
        action=action,
        subject_id=subject_id,
        content_type=content_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=record_repr(obj) if obj is not None else "",
        details=details or {},
        ip_address=client_ip(request),
    )
    # The action is checked above and by the database's constraint.
    event.full_clean(exclude=["actor", "subject", "content_type"], validate_unique=False, validate_constraints=False)
    event.save()
    return event
