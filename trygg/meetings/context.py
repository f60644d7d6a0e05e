"""Template context: whether the menu offers Meetings (to those who run or read them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trygg.meetings.access import minutes_municipality_ids
from trygg.partners.access import standing_of


def meetings_menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shows_meetings": False}
    # No query: the standing is already loaded for the request.
    shown = standing_of(user).is_superuser or bool(minutes_municipality_ids(user))
    return {"shows_meetings": shown}
