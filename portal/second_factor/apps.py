from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondFactorConfig(AppConfig):
    name = "portal.second_factor"
    label = "second_factor"
    verbose_name = _("Second factor")
    default_auto_field = "django.db.models.BigAutoField"
