from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SspfConfig(AppConfig):
    name = "trygg.sspf"
    verbose_name = _("SSPF")
    default_auto_field = "django.db.models.BigAutoField"
