from django.urls import path

from trygg.reports import views

app_name = "reports"

urlpatterns = [
    path("rapportera/", views.new_report, name="new"),
    path("rapportera/lugnt/", views.all_calm, name="all_calm"),
    path("rapportera/plats.json", views.place_lookup, name="place"),
    path("rapporter/", views.report_list, name="list"),
    path("rapporter/karta.geojson", views.map_data, name="map_data"),
    path("rapporter/veckobrev/", views.digest, name="digest"),
    path("rapporter/<uuid:report_id>/", views.report_detail, name="detail"),
    path("rapporter/<uuid:report_id>/foto/", views.report_photo, name="photo"),
    path("rapporter/<uuid:report_id>/status/", views.change_status, name="status"),
    path("rapporter/<uuid:report_id>/kommentar/", views.add_comment, name="comment"),
    path("rapporter/<uuid:report_id>/atgard/", views.link_measure, name="link_measure"),
    path("rapporter/<uuid:report_id>/ratta/", views.correct, name="correct"),
]
