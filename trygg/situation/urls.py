"""URLs of the situational picture. Public pages live under /oppen/ (see public_urls)."""

from django.urls import path  # each module adds its own block of lines below

from trygg.situation import documents, export_views, public, views

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
    path("<str:code>/publicera/granska", public.publish_preview, name="publish_preview"),
    path("<str:code>/publicera", public.publish, name="publish"),
    path("<str:code>/avpublicera/bekrafta", public.unpublish_confirm, name="unpublish_confirm"),
    path("<str:code>/avpublicera", public.unpublish, name="unpublish"),
]

# The lägesbild pages, their JSON twin and map layers (trygg.situation.views).
urlpatterns += [
    path("", views.index, name="index"),
    path("omrade/<int:area_id>/", views.area_profile, name="area"),
    path("metod/", views.method, name="method"),
    path("<str:code>/", views.situation_page, name="page"),
    path("<str:code>/data.json", views.data, name="data"),
    path("<str:code>/bedomning/", views.assessment, name="assessment"),
    path("<str:code>/karta/omraden.geojson", views.area_layer, name="map_areas"),
    path("<str:code>/karta/hotspots.geojson", views.hotspot_layer, name="map_hotspots"),
    path("<str:code>/karta/densitet.geojson", views.density_layer, name="map_density"),
]

# The lägesbild's charts as SVG and the PDF (trygg.situation.documents).
urlpatterns += [
    path("<str:code>/diagram/<slug:name>.svg", documents.chart, name="chart"),
    path("<str:code>/pdf", documents.pdf, name="pdf"),
]
