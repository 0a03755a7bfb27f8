from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class PortalAdminConfig(AdminConfig):
    """Django's admin, with our site: staff need a second factor to enter."""

    default_site = "portal.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        from portal import checks, widget_repairs  # noqa: F401 - checks registers the portal's system checks

        widget_repairs.repair()
        from portal.public_pages import data_changed

        # Any write to the public pages' data (PUBLIC_PAGES_DATA_MODULES) makes the kept pages out of date.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(data_changed, dispatch_uid=f"portal.public_pages.{signal!r}")
