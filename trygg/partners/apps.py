from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "trygg.partners"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from trygg.partners import (
            signals,  # noqa: F401  (connects the audit receivers)
            visits,
        )

        visits.connect()
