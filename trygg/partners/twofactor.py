"""The second factor: a session that needs one is let in only after TOTP.

Coordinators and administrators need it by role; anyone else who enrolled an
authenticator from the profile needs it too (access.must_use_two_factor).

django-otp's middleware marks a session verified once a device accepted a
code; this one sends an unverified session that needs the second factor to
the code page (or to enrolment, when it has no device yet) for every page but
the few that lead there. Bearer-token API calls have no session and are
authenticated by their token alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from trygg.partners.access import must_use_two_factor

# Views an unverified session may still reach: logging in and out, the
# language switch, and the second-factor pages themselves.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "partners:two_factor",
        "partners:two_factor_enrol",
        "healthz",
    }
)
# Public pages and the token-authenticated API need no session at all.
OPEN_NAMESPACES = frozenset({"public", "api-v1", "open311"})


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS:
            return None
        if OPEN_NAMESPACES & set(match.namespaces):
            return None
        user = request.user
        # Verified first: it needs no query, and most requests of a busy day are.
        if user.is_verified() or not must_use_two_factor(user):
            return None
        target = "partners:two_factor" if user_has_device(user) else "partners:two_factor_enrol"
        return redirect_with_next(target, request.get_full_path())


def redirect_with_next(target: str, next_path: str) -> HttpResponse:
    return redirect(f"{reverse(target)}?{urlencode({'next': next_path})}")
