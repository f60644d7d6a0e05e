from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "trygg.imports"
    label = "imports"
    verbose_name = _("File import")
    default_auto_field = "django.db.models.BigAutoField"
