"""URLs of the situational picture. Public pages live under /oppen/ (see public_urls)."""

from django.urls import path  # each module adds its own block of lines below

from trygg.situation import export_views, public

app_name = "situation"

urlpatterns: list = []

# Exports and publishing (trygg.situation.export_views, trygg.situation.public).
urlpatterns += [
    path("<str:code>/export.<str:fmt>", export_views.export_table, name="export"),
    path("<str:code>/export/omraden.geojson", export_views.export_areas, name="export_areas"),
    path(
        "<str:code>/export/hotspots.geojson", export_views.export_hotspots, name="export_hotspots"
    ),
    path("<str:code>/export/punkter.geojson", export_views.export_points, name="export_points"),
    path("<str:code>/publicera", public.publish, name="publish"),
]
