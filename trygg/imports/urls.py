from django.urls import path

from trygg.imports import views

app_name = "imports"

urlpatterns = [
    path("importera/", views.index, name="index"),
    path("importera/<int:run_id>/", views.detail, name="detail"),
    path("importera/<int:run_id>/status.json", views.progress, name="progress"),
    path("importera/<int:run_id>/kolumner/", views.columns, name="columns"),
    path("importera/<int:run_id>/kategorier/", views.categories, name="categories"),
    path("importera/<int:run_id>/granska/", views.preview, name="preview"),
    path("importera/<int:run_id>/importera/", views.commit, name="commit"),
    path("rapporter/export.geojson", views.export_geojson, name="export_geojson"),
    path("rapporter/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
