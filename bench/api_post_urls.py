"""Trygg's URLs plus GET /healthz (see api_post_settings.py)."""

from django.urls import path

from trygg.health import healthz
from trygg.urls import urlpatterns as trygg_urlpatterns

urlpatterns = [path("healthz", healthz, name="healthz"), *trygg_urlpatterns]
