"""The JSON API under /api/v1/: authentication and error shapes for every router."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from trygg.core.errors import InputRejected
from trygg.partners.actions import authenticate_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = authenticate_token(token)
        return found.user if found is not None else None


api = NinjaAPI(
    title="Trygg API",
    version="1",
    description=(
        "Reports into the shared situational picture of a local crime prevention "
        "partnership. Authenticate with `Authorization: Bearer <token>`; create a "
        "token on your profile page or with `trygg token create USERNAME`."
    ),
    auth=BearerToken(),
    urls_namespace="api-v1",
)


def _field_of(loc: tuple[Any, ...] | list[Any]) -> tuple[int, str]:
    """Item index and field name from a pydantic error location."""
    parts = [p for p in loc if p not in ("body", "payload", "query", "path", "reports")]
    index = next((p for p in parts if isinstance(p, int)), 0)
    names = [str(p) for p in parts if not isinstance(p, int)]
    return index, ".".join(names) or "__root__"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = []
    for error in exc.errors:
        index, field = _field_of(error.get("loc", ()))
        detail.append({"index": index, "field": field, "message": str(error.get("msg", ""))})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(InputRejected)
def on_rejected(request: HttpRequest, exc: InputRejected) -> HttpResponse:
    return api.create_response(request, {"detail": [e.as_dict() for e in exc.errors]}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "Invalid or missing token"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="trygg"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # Ninja's only 400 is a body it cannot parse: bad input like any other, so it
        # gets the documented 422 shape rather than a status no operation declares.
        error = {"index": 0, "field": "__root__", "message": _("The body is not valid JSON.")}
        return api.create_response(request, {"detail": [error]}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers() -> None:
    from trygg.geo.api import router as geo_router
    from trygg.measures.api import router as measures_router
    from trygg.meetings.api import router as meetings_router
    from trygg.promises.api import router as promises_router
    from trygg.reports.api import router as reports_router
    from trygg.situation.api import router as situation_router

    api.add_router("", reports_router)
    api.add_router("", geo_router)
    api.add_router("", situation_router)
    api.add_router("", measures_router)
    api.add_router("", meetings_router)
    api.add_router("", promises_router)


_register_routers()
