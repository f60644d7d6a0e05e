from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SspfConfig(AppConfig):
    name = "trygg.sspf"
    verbose_name = _("SSPF")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trygg.sspf.guard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="sspf_guard")
