from django.urls import path

from trygg.partners import views

app_name = "partners"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/nycklar/", views.create_token, name="create_token"),
    path("profil/nycklar/<int:token_id>/aterkalla/", views.revoke_token, name="revoke_token"),
]
