"""The time of a person's previous visit, for "what is new since you were last here".

Django sets `user.last_login` to *now* as part of logging in, before any page
is shown, so read afterwards it always says "just now". The value it had
before is kept in the session here, by a receiver that runs ahead of Django's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.utils.dateparse import parse_datetime

SESSION_KEY = "trygg_previous_login"


def remember_previous_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    previous = user.last_login
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = previous.isoformat() if previous else ""


def connect() -> None:
    """Put the receiver ahead of Django's update_last_login (connected by the auth app)."""
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(remember_previous_login, dispatch_uid="trygg_previous_login")
    user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")


def previous_visit(request: Any) -> datetime | None:
    """When the person logged in before this session began; None for a first login."""
    raw = getattr(request, "session", {}).get(SESSION_KEY)
    if raw is None:  # a session from before this was kept: the login time is the best guess
        return getattr(request.user, "last_login", None)
    return parse_datetime(raw) if raw else None
