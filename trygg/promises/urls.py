"""URLs of the coordinator's side of citizen promises, under /loften/.

/medborgarloften/<kommunkod>/ is the public page's, not these.
"""

from django.urls import path

from trygg.promises import initiative_views, views

app_name = "promises"

urlpatterns = [
    path("", views.index, name="index"),
    path("kommun/<str:code>/", views.promise_list, name="list"),
    path("kommun/<str:code>/nytt/", views.new, name="new"),
    path("<int:promise_id>/", views.detail, name="detail"),
    path("<int:promise_id>/andra/", views.edit, name="edit"),
    path("<int:promise_id>/fokusomraden/", views.add_focus_area, name="add_focus_area"),
    path("<int:promise_id>/ataganden/", views.add_commitment, name="add_commitment"),
    path("<int:promise_id>/aktiviteter/", views.add_activity, name="add_activity"),
    path(
        "<int:promise_id>/aktiviteter/<int:activity_id>/status/",
        views.activity_status,
        name="activity_status",
    ),
    path("<int:promise_id>/undertecknare/", views.add_signatory, name="add_signatory"),
    path("<int:promise_id>/ta-bort/<str:part>/<int:part_id>/", views.remove, name="remove"),
    path("<int:promise_id>/andra/<str:part>/<int:part_id>/", views.edit_part, name="edit_part"),
    path("<int:promise_id>/indikatorer/ny/", views.add_indicator, name="add_indicator"),
    path("<int:promise_id>/indikatorer/<int:indicator_id>/", views.indicator, name="indicator"),
    path("<int:promise_id>/publicera/", views.publish, name="publish"),
    path("<int:promise_id>/arkivera/", views.archive, name="archive"),
    path("<int:promise_id>/uppfoljning/ny/", views.follow_up, name="follow_up"),
    path(
        "<int:promise_id>/uppfoljning/<int:follow_up_id>/",
        views.follow_up_detail,
        name="follow_up_detail",
    ),
    path("<int:promise_id>/versioner/", views.versions, name="versions"),
    path("<int:promise_id>/versioner/<int:number>/", views.version, name="version"),
    path("kommun/<str:code>/insatser/", initiative_views.initiatives, name="initiatives"),
    path("kommun/<str:code>/insatser/ny/", initiative_views.initiative_new, name="initiative_new"),
    path("insatser/<int:initiative_id>/", initiative_views.initiative, name="initiative"),
    path(
        "insatser/<int:initiative_id>/andra/",
        initiative_views.initiative_edit,
        name="initiative_edit",
    ),
    path(
        "insatser/<int:initiative_id>/siffror/",
        initiative_views.initiative_figures,
        name="initiative_figures",
    ),
    path(
        "insatser/<int:initiative_id>/ta-bort/",
        initiative_views.initiative_delete,
        name="initiative_delete",
    ),
]
