from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin, with our site: staff need a second factor to enter."""

    default_site = "portal.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        from portal import checks  # noqa: F401 - registers the portal's system checks
