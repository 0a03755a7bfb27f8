"""The staff roles as groups with their permissions (registrations/roles.py lists them)."""

from django.db import migrations

from registrations import roles


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
    for name in roles.ROLE_PERMISSIONS:
        roles.sync_role(name, group_model=Group, permission_model=Permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(roles.ROLE_PERMISSIONS)).delete()


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
