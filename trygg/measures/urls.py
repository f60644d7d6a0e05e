"""URLs of the measures (åtgärder). A measure's own pages hang under /atgarder/<id>/."""

from django.urls import path  # each module adds its own block of lines below

from trygg.measures import export_views, views

app_name = "measures"

urlpatterns: list = []

# The board, one measure and its forms (trygg.measures.views).
urlpatterns += [
    path("", views.index, name="index"),
    path("kommun/<str:code>/", views.board, name="board"),
    path("kommun/<str:code>/ny/", views.new, name="new"),
    path("<int:measure_id>/", views.detail, name="detail"),
    path("<int:measure_id>/andra/", views.edit, name="edit"),
    path("<int:measure_id>/status/", views.status, name="status"),
    path("<int:measure_id>/ljus/", views.light, name="light"),
]

# The board's list and the åtgärdsplan as files (trygg.measures.export_views).
urlpatterns += [
    path("kommun/<str:code>/export.<str:fmt>", export_views.export_board, name="export"),
    path("kommun/<str:code>/atgardsplan.<str:fmt>", export_views.export_plan, name="plan"),
]
