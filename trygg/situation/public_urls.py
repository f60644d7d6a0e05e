"""Public URLs: published, aggregated pictures, no login."""

from django.urls import path  # noqa: F401

app_name = "public"

urlpatterns: list = []
