"""The evacuation permissions join the staff roles, as registrations/roles.py lists them at the time (a frozen copy)."""

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
        "registrations.view_evacuation",
        "registrations.view_routeleg",
        "registrations.change_routeleg",
        "registrations.view_transport",
        "registrations.view_manifestentry",
        "registrations.change_manifestentry",
        "registrations.view_seatoffer",
        "registrations.export_manifest",
        "registrations.add_evacuation",
        "registrations.change_evacuation",
        "registrations.add_routeleg",
        "registrations.delete_routeleg",
        "registrations.add_transport",
        "registrations.change_transport",
        "registrations.delete_transport",
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
        "registrations.view_evacuation",
        "registrations.view_routeleg",
        "registrations.change_routeleg",
        "registrations.view_transport",
        "registrations.view_manifestentry",
        "registrations.change_manifestentry",
        "registrations.view_seatoffer",
        "registrations.export_manifest",
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


def sync_roles(apps, schema_editor):
    # The permissions of the models just created exist only after post_migrate: create them now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        permissions = []
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0010_evacuations"),
    ]

    operations = [
        # Going back leaves the groups with their evacuation permissions, which then point at nothing.
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
