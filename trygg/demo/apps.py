from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Östersund demo and its `trygg demo` command; no models of its own."""

    name = "trygg.demo"
    verbose_name = _("Demo")
