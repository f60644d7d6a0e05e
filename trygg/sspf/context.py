"""Template context: whether the menu offers SSPF (to grant holders and participants only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trygg.sspf.access import offers_sspf


def sspf_menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shows_sspf": False}
    return {"shows_sspf": offers_sspf(user)}
