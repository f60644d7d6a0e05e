"""Swedish first: pages speak Swedish unless the user chose English.

Django's LocaleMiddleware follows the browser's Accept-Language, so a
coordinator whose laptop came with an English system would get English
pages without asking. Pages here follow only the language the user picked
(the cookie set by the language switch), else LANGUAGE_CODE. The JSON API
still honours Accept-Language: a program asks for what it can read.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
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
