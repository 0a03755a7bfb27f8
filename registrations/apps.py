from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from .services.counts import watch_the_register

        # Headquarters' board by country is recounted by the task worker after each registration.
        watch_the_register()
