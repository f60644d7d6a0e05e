"""Open311 GeoReport v2 under /open311/v2/: each resource with .xml or .json (none: XML)."""

from django.urls import re_path

from trygg.open311 import views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>\w+))?$"

urlpatterns: list = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, views.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + FORMAT, views.service, name="service"),
    # Some clients ask for the definition at service/{code}, singular.
    re_path(r"^service/(?P<code>[\w-]+)" + FORMAT, views.service, name="service_alias"),
    re_path(r"^requests" + FORMAT, views.requests, name="requests"),
    re_path(r"^requests/(?P<report_id>[\w-]+)" + FORMAT, views.one_request, name="request"),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FORMAT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FORMAT, views.updates, name="updates"),
    # Last: any other path is Open311's 404, not Django's HTML page.
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
