"""Template context: whether the menu offers Meetings (to those who run or read them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trygg.meetings.access import reads_minutes
from trygg.partners.access import standing_of


def meetings_menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shows_meetings": False}
    standing = standing_of(user)
    shown = standing.is_superuser or any(reads_minutes(user, m) for m in standing.municipality_ids)
    return {"shows_meetings": shown}
