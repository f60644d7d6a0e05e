"""Public URLs: published, aggregated pictures, no login."""

from django.urls import path

from trygg.situation.views import public

app_name = "public"

urlpatterns: list = [
    path("<str:code>/", public.public_index, name="index"),
    path("<str:code>/<str:key>.json", public.public_period_json, name="period_json"),
    path("<str:code>/<str:key>/", public.public_period, name="period"),
]
