"""URLs of the situational picture, in one list. Public pages live under /oppen/ (public_urls)."""

from django.urls import path

from trygg.situation.views import documents, exports, pages, public

app_name = "situation"

urlpatterns = [
    path("", pages.index, name="index"),
    path("omrade/<int:area_id>/", pages.area_profile, name="area"),
    path("metod/", pages.method, name="method"),
    path("<str:code>/", pages.situation_page, name="page"),
    path("<str:code>/data.json", pages.data, name="data"),
    path("<str:code>/bedomning/", pages.assessment, name="assessment"),
    path("<str:code>/karta/<slug:layer>.geojson", pages.map_layer, name="map_layer"),
    path("<str:code>/diagram/<slug:name>.svg", documents.chart, name="chart"),
    path("<str:code>/pdf", documents.pdf, name="pdf"),
    path("<str:code>/export.<str:fmt>", exports.export_table, name="export"),
    path("<str:code>/export/<slug:layer>.geojson", exports.export_layer, name="export_layer"),
    path("<str:code>/publicera/granska", public.publish_preview, name="publish_preview"),
    path("<str:code>/publicera", public.publish, name="publish"),
    path("<str:code>/avpublicera/bekrafta", public.unpublish_confirm, name="unpublish_confirm"),
    path("<str:code>/avpublicera", public.unpublish, name="unpublish"),
]
