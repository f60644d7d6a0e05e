from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from trygg import views
from trygg.api import api
from trygg.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("trygg.reports.urls")),
    path("", include("trygg.partners.urls")),
    path("lagesbild/", include("trygg.situation.urls")),
    path("oppen/", include("trygg.situation.public_urls")),
    path("atgarder/", include("trygg.measures.urls")),
    path("atgarder/", include("trygg.measures.effect_urls")),
    path("moten/", include("trygg.meetings.urls")),
    path("open311/v2/", include("trygg.open311.urls")),
    path("sspf/", include("trygg.sspf.urls")),
    path("", include("trygg.imports.urls")),
    path("loften/", include("trygg.promises.urls")),
    path("medborgarloften/", include("trygg.promises.public_urls")),
]
