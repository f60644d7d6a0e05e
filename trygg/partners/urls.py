from django.urls import path

from trygg.partners import views

app_name = "partners"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/nycklar/", views.create_token, name="create_token"),
    path("profil/nycklar/<int:token_id>/aterkalla/", views.revoke_token, name="revoke_token"),
    path("organisationsnycklar/", views.organisation_keys, name="organisation_keys"),
    path(
        "organisationsnycklar/skapa/",
        views.create_organisation_key,
        name="create_organisation_key",
    ),
    path(
        "organisationsnycklar/<int:key_id>/aterkalla/",
        views.revoke_organisation_key,
        name="revoke_organisation_key",
    ),
    path("logg/", views.audit_log, name="audit_log"),
    path("logg/export.csv", views.audit_log_export, name="audit_log_export"),
    path("tvafaktor/", views.two_factor, name="two_factor"),
    path("tvafaktor/aktivera/", views.two_factor_enrol, name="two_factor_enrol"),
    path("tvafaktor/reservkoder/", views.new_recovery_codes, name="new_recovery_codes"),
]
