from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "trygg.partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trygg.partners import signals  # noqa: F401  (connects the audit receivers)
