"""URLs of SSPF: the case's number in the path, never its pseudonym."""

from django.urls import path

from trygg.sspf import views

app_name = "sspf"

urlpatterns = [
    path("", views.index, name="index"),
    path("kommun/<str:code>/nytt/", views.new, name="new"),
    path("kommun/<str:code>/statistik/", views.statistics, name="statistics"),
    path("kommun/<str:code>/samordnare/", views.coordinators, name="coordinators"),
    path("kommun/<str:code>/gallring/", views.retention, name="retention"),
    path("kommun/<str:code>/samordnare/<int:grant_id>/aterkalla/", views.revoke, name="revoke"),
    path("<int:case_id>/", views.case, name="case"),
    path("<int:case_id>/namn/", views.name, name="name"),
    path("<int:case_id>/samtycke/", views.consent, name="consent"),
    path("<int:case_id>/deltagare/", views.participant, name="participant"),
    path("<int:case_id>/moten/", views.meeting, name="meeting"),
    path("<int:case_id>/plan/", views.plan, name="plan"),
    path("<int:case_id>/plan/<int:item_id>/status/", views.plan_status, name="plan_status"),
    path("<int:case_id>/anteckningar/", views.note, name="note"),
    path("<int:case_id>/aterkalla/", views.withdraw, name="withdraw"),
    path("<int:case_id>/avsluta/", views.close, name="close"),
    path("<int:case_id>/radera/", views.purge, name="purge"),
    path("<int:case_id>/logg/", views.history, name="history"),
]
