from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "trygg.promises"
    verbose_name = _("Citizen promises")
    default_auto_field = "django.db.models.BigAutoField"
