"""The staff roles as groups with their permissions, as registrations/roles.py listed them at the time.

A frozen copy: a migration must not import live code, or changing roles.py
would rewrite history. A later change of a role's permissions is a new
migration with its own copy.
"""

from django.db import migrations

ROLE_PERMISSIONS = {
    "Consular officer (headquarters)": [
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
        "advisories.view_advisory",
        "advisories.view_advisoryedition",
        "advisories.view_regionaladvisory",
        "advisories.view_mission",
        "advisories.view_missionjurisdiction",
        "advisories.view_missionphone",
        "registrations.view_all_citizens",
    ],
    "Mission officer": [
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
        "advisories.view_advisory",
        "advisories.view_advisoryedition",
        "advisories.view_regionaladvisory",
        "advisories.view_mission",
        "advisories.view_missionjurisdiction",
        "advisories.view_missionphone",
    ],
    "Advisory editor": [
        "advisories.view_advisory",
        "advisories.view_advisoryedition",
        "advisories.view_regionaladvisory",
        "advisories.view_mission",
        "advisories.view_missionjurisdiction",
        "advisories.view_missionphone",
        "advisories.change_advisory",
        "advisories.add_advisoryedition",
        "advisories.change_advisoryedition",
        "advisories.delete_advisoryedition",
        "advisories.add_regionaladvisory",
        "advisories.change_regionaladvisory",
        "advisories.delete_regionaladvisory",
        "advisories.change_mission",
    ],
    "Advisory publisher": [
        "advisories.view_advisory",
        "advisories.view_advisoryedition",
        "advisories.view_regionaladvisory",
        "advisories.view_mission",
        "advisories.view_missionjurisdiction",
        "advisories.view_missionphone",
        "advisories.change_advisory",
        "advisories.add_advisoryedition",
        "advisories.change_advisoryedition",
        "advisories.delete_advisoryedition",
        "advisories.add_regionaladvisory",
        "advisories.change_regionaladvisory",
        "advisories.delete_regionaladvisory",
        "advisories.change_mission",
        "advisories.publish_edition",
    ],
    "Auditor": [
        "registrations.view_auditevent",
    ],
}


def _sync_role(name, *, Group, Permission):
    permissions = []
    for dotted in ROLE_PERMISSIONS[name]:
        app_label, codename = dotted.split(".")
        permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.set(permissions)


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate);
    # the groups need them now, including those of the models just created.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLE_PERMISSIONS:
        _sync_role(name, Group=Group, Permission=Permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("advisories", "0003_publishing_permission_and_mission_updated_at"),
        ("registrations", "0004_audit_staff_assignment_presence"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
    ]
