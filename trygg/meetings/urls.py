"""URLs of the EST meetings (trygg.meetings.views)."""

from django.urls import path

from trygg.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/planera/", views.plan, name="plan"),
    path("<int:meeting_id>/", views.meeting_page, name="meeting"),
    path("<int:meeting_id>/punkter/", views.add_item, name="add_item"),
    path("<int:meeting_id>/punkt/<int:item_id>/anteckningar/", views.notes, name="notes"),
    path("<int:meeting_id>/punkt/<int:item_id>/beslut/", views.decide, name="decide"),
    path("<int:meeting_id>/narvaro/", views.attendance, name="attendance"),
    path("<int:meeting_id>/uppdatera/", views.redraft, name="redraft"),
    path("<int:meeting_id>/avsluta/bekrafta/", views.close_confirm, name="close_confirm"),
    path("<int:meeting_id>/avsluta/", views.close, name="close"),
    path("<int:meeting_id>/protokoll/", views.minutes, name="minutes"),
    path("<int:meeting_id>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
]
