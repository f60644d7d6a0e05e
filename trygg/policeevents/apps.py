from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliceEventsConfig(AppConfig):
    name = "trygg.policeevents"
    verbose_name = _("Police events")
    default_auto_field = "django.db.models.BigAutoField"
