"""URLs of a measure's effect and of steering presence (included under /atgarder/)."""

from django.urls import path

from trygg.measures import effect_views

app_name = "measures_effect"

urlpatterns = [
    path("<int:measure_id>/utvardera/", effect_views.evaluate, name="evaluate"),
    path("<int:measure_id>/utvardera/spara", effect_views.save, name="save"),
    path("<int:measure_id>/utvarderingar/", effect_views.evaluations, name="evaluations"),
    path("narvaro/<str:code>/", effect_views.presence_plan, name="presence"),
    path("narvaro/<str:code>/karta.geojson", effect_views.presence_map, name="presence_map"),
    path("narvaro/<str:code>/skapa", effect_views.presence_create, name="presence_create"),
]
