"""Template context: whether the menu offers Citizen promises (to the partnership)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trygg.promises.access import offers_promises


def promises_menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shows_promises": False}
    return {"shows_promises": offers_promises(user)}
