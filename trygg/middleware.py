"""Swedish first for pages, and no caching of anything shown to a logged-in person.

Swedish first: pages speak Swedish unless the user chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, so a
coordinator whose laptop came with an English system would get English
pages without asking. Pages here follow only the language the user picked
(the cookie set by the language switch), else LANGUAGE_CODE. The JSON API
still honours Accept-Language: a program asks for what it can read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.open311.protocol import render as render_open311


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NoStoreWhenAuthenticatedMiddleware:
    """`Cache-Control: private, no-store` on every answer to a session or a bearer token.

    Report pages, the map data, exports, the PDF, the audit log and the API
    carry free text or a partnership's counts; a browser's disk cache or a
    proxy must not keep them after the person logs out. Views may still hint
    `private, max-age`, but only for anonymous answers: this one has the last word.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_authenticated(request):
            response["Cache-Control"] = "private, no-store"
            del response["Expires"]
        return response


def _is_authenticated(request: HttpRequest) -> bool:
    # A bearer token is judged by the API itself; any answer to one is private.
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False))


def body_limit() -> int:
    """Bytes a request body may have: DATA_UPLOAD_MAX_MEMORY_SIZE, photos included."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def too_large_error() -> dict[str, object]:
    """The API's documented error shape for a body over the limit."""
    message = _("The body is larger than %(mb)s MB.") % {"mb": body_limit() // (1024 * 1024)}
    return {"detail": [{"index": 0, "field": "__root__", "message": message}]}


class BodyLimitMiddleware:
    """413 for a declared body over the limit, before anything reads it.

    Left to Django, reading such a body raises RequestDataTooBig deep inside CSRF
    checking or the API's parser, which answered 400 or 500 with a page that
    says nothing of size. The API answers in its JSON error shape. (A body
    without a Content-Length is read as empty by Django's WSGI request.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if body_limit() and length > body_limit():
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(too_large_error(), status=413)
        if request.path.startswith("/open311/"):
            return _open311_too_large(request)
        context = {"mb": body_limit() // (1024 * 1024)}
        return render(request, "too_large.html", context, status=413)


def _open311_too_large(request: HttpRequest) -> HttpResponse:
    """Open311's error list in the format the path's suffix names, in the client's language.

    The spec allows only 400, 403 and 404 as HTTP status ("400 for everything
    else"), and lets an error's code be more specific: so HTTP 400 with code 413.
    """
    fmt = "json" if request.path.lower().endswith(".json") else "xml"
    with translation.override(translation.get_language_from_request(request)):
        message = _("The body is larger than %(mb)s MB.") % {"mb": body_limit() // (1024 * 1024)}
        return render_open311([{"code": 413, "description": message}], fmt, "errors", "error",
                              status=400)  # fmt: skip
