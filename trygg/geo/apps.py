from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "trygg.geo"
    default_auto_field = "django.db.models.BigAutoField"
