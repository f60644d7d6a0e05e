"""URLs of the situational picture. Public pages live under /oppen/ (see public_urls)."""

from django.urls import path  # noqa: F401 (each module adds its own lines below)

app_name = "situation"

urlpatterns: list = []
