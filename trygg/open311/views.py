"""The Open311 GeoReport v2 endpoints under /open311/v2/: parse, call, render.

The format is the path's suffix (`.xml` or `.json`; none is XML, the spec's
required one), whatever the Accept header says: clients in "JSON mode" that
still ask for `services.xml` get XML. Errors come in the same format.
Descriptions follow the client's Accept-Language (Swedish by default).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from trygg.core.errors import InputRejected
from trygg.open311 import access, forms, pages
from trygg.open311.protocol import FORMATS, Open311Error, render, render_error
from trygg.reports.actions import submit_report
from trygg.reports.models import Report

View = Callable[..., HttpResponse]


def _open311(*methods: str) -> Callable[[View], View]:
    """The frame of every endpoint: format, language, allowed methods, errors as Open311's.

    The spec knows only 400, 403 and 404, so a method a resource does not take
    and a format it does not speak are 400 ("everything else"), the method's
    answer still with an `Allow` header.
    """

    def wrap(view: View) -> View:
        @wraps(view)
        def answer(request: HttpRequest, *args: Any, fmt: str | None = None, **kwargs: Any):
            fmt = (fmt or "xml").lower()
            with translation.override(translation.get_language_from_request(request)):
                try:
                    if fmt not in FORMATS:
                        raise Open311Error(400, _("Ask for .xml or .json."), "format")
                    if request.method not in (*methods, "HEAD"):
                        raise Open311Error(400, _("Not allowed here: %(method)s.")
                                           % {"method": request.method})  # fmt: skip
                    return view(request, *args, fmt=fmt, **kwargs)
                except Open311Error as error:
                    response = render_error(error, fmt if fmt in FORMATS else "xml")
                    if request.method not in (*methods, "HEAD"):
                        response["Allow"] = ", ".join((*methods, "HEAD"))
                    return response

        return answer

    return wrap


def _jurisdiction(request: HttpRequest) -> Any:
    code = forms.param(request.GET, "jurisdiction_id") or forms.param(
        request.POST, "jurisdiction_id"
    )
    return access.jurisdiction(code)


@_open311("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:services").removesuffix("/services"))
    key_url = request.build_absolute_uri(reverse("partners:profile"))
    return render(pages.discovery(base, key_url), fmt, "discovery")


@_open311("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    return render(pages.services(), fmt, "services", "service")


@_open311("GET")
def service(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """A service definition: in JSON an object, as in the spec's example (not an array)."""
    _jurisdiction(request)
    return render(pages.service_definition(code), fmt, "service_definition")


@csrf_exempt  # an API for programs, authenticated by api_key in the request, never by cookie
@_open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    municipality = _jurisdiction(request)
    found = pages.requests(forms.request_query(request.GET), municipality)
    return render(found, fmt, "service_requests", "request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    """File the report for the key holder's organisation, through the one write action."""
    municipality = _jurisdiction(request)
    api_key = forms.param(request.GET, "api_key") or forms.param(request.POST, "api_key")
    user, organisation = access.poster(api_key, municipality)
    data = forms.report_data(request.POST)
    pages.service_definition(data["category"])  # the spec's 404 for an unknown service_code
    data = _located(data, organisation.municipality_id)
    try:
        report, _created = submit_report(
            organisation=organisation, by=user, data=data, source=Report.Source.OPEN311,
            photo=forms.photo_of(request.FILES),
        )  # fmt: skip
    except InputRejected as rejected:
        errors = [(forms.open311_name(e.field), str(e.message)) for e in rejected.errors]
        raise Open311Error.of_fields(400, errors) from None
    response = render(pages.posted(report), fmt, "service_requests", "request", status=201)
    response["Cache-Control"] = "private, no-store"
    return response


def _located(data: dict[str, Any], municipality_id: int) -> dict[str, Any]:
    """lat/long as sent, or the point of the area an address_string names."""
    if "lat" in data or "lon" in data:
        return data
    if "address" not in data:
        raise Open311Error(400, _("Send lat and long, or address_string."), "lat")
    point = forms.area_point(municipality_id, data["address"])
    if point is None:
        message = _("Trygg has no geocoder: send lat and long, or the name of an area.")
        raise Open311Error(400, message, "address_string")
    return {**data, "lat": point[0], "lon": point[1]}


@_open311("GET")
def one_request(request: HttpRequest, report_id: str, fmt: str) -> HttpResponse:
    found = pages.one_request(report_id, _jurisdiction(request))
    return render(found, fmt, "service_requests", "request")


@_open311("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    return render(pages.token(token), fmt, "service_requests", "request")


@_open311("GET")
def updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """FixMyStreet's GET servicerequestupdates: status changes flow back to a citizen system."""
    municipality = _jurisdiction(request)
    query = forms.request_query(request.GET)  # page and page_size, checked as for requests
    window = forms.updates_window(request.GET)
    found = pages.updates(window, municipality, query.page, query.page_size)
    return render(found, fmt, "service_requests_updates", "request_update")


@csrf_exempt  # answers every method with an error; reads no cookie
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """Open311's 404 for any other path under /open311/v2/, in the format its suffix names."""
    fmt = "json" if rest.lower().endswith(".json") else "xml"
    with translation.override(translation.get_language_from_request(request)):
        return render_error(Open311Error(404, _("No such Open311 resource.")), fmt)
