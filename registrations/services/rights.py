"""The citizen's rights over their data: a copy of everything ("download my data"), and erasure."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from ..models import CitizenProfile, HouseholdMember, Stop, Trip

EXPORT_FORMAT_VERSION = 1
# How long after its link expired a never-confirmed sign-up is deleted: cron may run late, clocks differ.
UNCONFIRMED_PURGE_MARGIN = timedelta(days=1)

# Every field of the profile, so that a field added later is exported too;
# only the keys and the lookup hash, which say nothing about the person, are left out.
_PROFILE_FIELDS = [
    field.name
    for field in CitizenProfile._meta.concrete_fields
    if field.name not in {"id", "user", "national_id_digest"}
]


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        return value.code
    return value


def _fields(obj, names):
    return {name: _plain(getattr(obj, name)) for name in names}


def export_citizen_data(user):
    profile = CitizenProfile.objects.filter(user=user).first()
    members = list(user.household_members.all())
    trips = user.trips.prefetch_related(
        Prefetch("stops", queryset=Stop.objects.order_by("position")), "travellers"
    ).order_by("created_at")
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "account": _fields(user, ["email", "date_joined", "email_confirmed_at", "last_login"]),
        "profile": _fields(profile, _PROFILE_FIELDS) if profile else None,
        "household": [
            {
                "id": member.pk,
                **_fields(
                    member,
                    [
                        "full_name",
                        "date_of_birth",
                        "sex",
                        "relationship",
                        "citizenship",
                        "document_number",
                        "needs",
                        "needs_consent_at",
                        "created_at",
                    ],
                ),
            }
            for member in members
        ],
        "trips": [
            {
                "id": trip.pk,
                **_fields(
                    trip,
                    ["kind", "status", "phone_abroad", "cancelled_at", "last_confirmed_at", "created_at", "updated_at"],
                ),
                "travellers": [member.pk for member in trip.travellers.all()],
                "stops": [
                    _fields(stop, ["country", "region", "city", "address", "arrival_date", "departure_date"])
                    for stop in trip.stops.all()
                ],
            }
            for trip in trips
        ],
    }


def _traces_elsewhere(user):
    """What names the citizen outside their own rows: the admin's change log, lockout records, subscriptions."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from advisories.subscriptions.models import Subscription

    # The admin's log names records by their str(): a citizen's name or address. (Staff's actions stay in
    # the audit log, which names "Trip #12".)
    objects = [
        (get_user_model(), [user.pk]),
        (CitizenProfile, CitizenProfile.objects.filter(user=user).values_list("pk", flat=True)),
        (HouseholdMember, HouseholdMember.objects.filter(owner=user).values_list("pk", flat=True)),
        (Trip, Trip.objects.filter(owner=user).values_list("pk", flat=True)),
        (Stop, Stop.objects.filter(trip__owner=user).values_list("pk", flat=True)),
    ]
    for model, pks in objects:
        content_type = ContentType.objects.get_for_model(model)
        LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in pks]).delete()
    LogEntry.objects.filter(object_repr__icontains=user.email).delete()
    AccessAttempt.objects.filter(username=user.email).delete()
    AccessFailureLog.objects.filter(username=user.email).delete()
    Subscription.objects.filter(email__iexact=user.email).delete()


def delete_account(*, user):
    """Delete the account and everything attached and everything that names them.

    Profile, household, trips, stops; the admin log's entries about those
    records, lockout records and advisory subscriptions by their address.
    """
    with transaction.atomic():
        _traces_elsewhere(user)
        # Household members are tied to trips by a many-to-many table; delete the trips first.
        Trip.objects.filter(owner=user).delete()
        HouseholdMember.objects.filter(owner=user).delete()
        CitizenProfile.objects.filter(user=user).delete()
        user.delete()


def purge_never_confirmed_accounts():
    """Delete the sign-ups whose confirmation link expired unused, and what names them elsewhere.

    Counted from the newest link sent (date_joined), plus UNCONFIRMED_PURGE_MARGIN, so no valid link ever
    meets a deleted account. Such an account never signed in, so it owns no profile or trips; the admin's
    log and the lockout records may still name its address. Its address's subscriptions are left alone:
    they were confirmed, or not, by their own link, perhaps by the address's real owner. Returns the count.
    """
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    User = get_user_model()
    cutoff = timezone.now() - timedelta(seconds=settings.EMAIL_CONFIRMATION_MAX_AGE) - UNCONFIRMED_PURGE_MARGIN
    deleted = 0
    for pk in list(User.objects.never_confirmed(link_sent_before=cutoff).values_list("pk", flat=True)):
        with transaction.atomic():
            # Checked again under the row's lock: a sign-up again in the meantime sent a fresh link.
            user = User.objects.select_for_update().never_confirmed(link_sent_before=cutoff).filter(pk=pk).first()
            if user is None:
                continue
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(pk)).delete()
            LogEntry.objects.filter(object_repr__icontains=user.email).delete()
            AccessAttempt.objects.filter(username=user.email).delete()
            AccessFailureLog.objects.filter(username=user.email).delete()
            user.delete()
            deleted += 1
    return deleted
