from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "trygg.operations"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"
