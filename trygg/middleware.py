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
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
