from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "trygg.measures"
    verbose_name = _("Measures")
    default_auto_field = "django.db.models.BigAutoField"
