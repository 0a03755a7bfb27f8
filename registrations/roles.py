"""Staff roles: Django groups with permissions.

Code and tests refer to the groups by these names; `ensure_role` gives each
group exactly the permissions listed here. Migration 0005 created the groups
from a frozen copy of this list: a change here needs a migration too (a test
compares the two).
What a mission officer sees is further bounded by their StaffAssignment
(registrations.models.scoping); the permissions only say what kind of page they open.
"""

HEADQUARTERS_OFFICER = "Consular officer (headquarters)"
MISSION_OFFICER = "Mission officer"
ADVISORY_EDITOR = "Advisory editor"
ADVISORY_PUBLISHER = "Advisory publisher"
AUDITOR = "Auditor"

_READ_ADVISORIES = [
    "advisories.view_advisory",
    "advisories.view_advisoryedition",
    "advisories.view_regionaladvisory",
    "advisories.view_mission",
    "advisories.view_missionjurisdiction",
    "advisories.view_missionphone",
]

_CONSULAR_WORK = [
    "registrations.view_citizenprofile",
    "registrations.change_citizenprofile",
    "registrations.view_householdmember",
    "registrations.change_householdmember",
    "registrations.view_trip",
    "registrations.change_trip",
    "registrations.view_stop",
    "registrations.change_stop",
    "registrations.view_presence",
    "registrations.export_presence",
    *_READ_ADVISORIES,
]

# A crisis: the board, answers, help requests and broadcasts, within the officer's scope.
_CRISIS_WORK = [
    "registrations.view_crisis",
    "registrations.view_crisisarea",
    "registrations.view_estimate",
    "registrations.view_crisisperson",
    "registrations.export_chase_list",
    "registrations.view_checkin",
    "registrations.add_checkin",
    "registrations.view_helprequest",
    "registrations.add_helprequest",
    "registrations.change_helprequest",
    "registrations.view_helprequestnote",
    "registrations.add_helprequestnote",
    "registrations.view_broadcast",
    "registrations.add_broadcast",
    "registrations.change_broadcast",
    "registrations.view_delivery",
]

# Headquarters opens and closes crises, keeps the estimates and reads the SMS no one else can place.
_CRISIS_COMMAND = [
    "registrations.add_crisis",
    "registrations.change_crisis",
    "registrations.add_crisisarea",
    "registrations.change_crisisarea",
    "registrations.delete_crisisarea",
    "registrations.add_estimate",
    "registrations.change_estimate",
    "registrations.delete_estimate",
    "registrations.view_inboundmessage",
    "registrations.change_inboundmessage",
]

# An evacuation: the queue, seat offers, the bus door, crossings' news and manifests, within the officer's scope.
_EVACUATION_WORK = [
    "registrations.view_evacuation",
    "registrations.view_routeleg",
    "registrations.change_routeleg",
    "registrations.view_transport",
    "registrations.view_manifestentry",
    "registrations.change_manifestentry",
    "registrations.view_seatoffer",
    "registrations.export_manifest",
]

# Headquarters plans operations: their route and transports.
_EVACUATION_COMMAND = [
    "registrations.add_evacuation",
    "registrations.change_evacuation",
    "registrations.add_routeleg",
    "registrations.delete_routeleg",
    "registrations.add_transport",
    "registrations.change_transport",
    "registrations.delete_transport",
]

_ADVISORY_EDITING = [
    *_READ_ADVISORIES,
    # "Create a new draft from the published edition" is an action on the advisory.
    "advisories.change_advisory",
    "advisories.add_advisoryedition",
    "advisories.change_advisoryedition",
    "advisories.delete_advisoryedition",
    "advisories.add_regionaladvisory",
    "advisories.change_regionaladvisory",
    "advisories.delete_regionaladvisory",
    # Only the operating status and its note: the admin makes the rest read-only
    # for whoever cannot add missions.
    "advisories.change_mission",
]

ROLE_PERMISSIONS = {
    HEADQUARTERS_OFFICER: [
        *_CONSULAR_WORK,
        *_CRISIS_WORK,
        *_CRISIS_COMMAND,
        *_EVACUATION_WORK,
        *_EVACUATION_COMMAND,
        "registrations.view_all_citizens",
    ],
    MISSION_OFFICER: [*_CONSULAR_WORK, *_CRISIS_WORK, *_EVACUATION_WORK],
    ADVISORY_EDITOR: _ADVISORY_EDITING,
    ADVISORY_PUBLISHER: [*_ADVISORY_EDITING, "advisories.publish_edition"],
    AUDITOR: ["registrations.view_auditevent"],
}


def sync_role(name, *, group_model, permission_model):
    """Create or update the group `name` with exactly its permissions (models may be historical)."""
    wanted = ROLE_PERMISSIONS[name]
    permissions = []
    for dotted in wanted:
        app_label, codename = dotted.split(".")
        permissions.append(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
    group, _created = group_model.objects.get_or_create(name=name)
    group.permissions.set(permissions)
    return group


def ensure_role(name):
    """The role's group, created if missing (a test database flushed by a transactional test has none)."""
    from django.contrib.auth.models import Group, Permission

    return sync_role(name, group_model=Group, permission_model=Permission)
