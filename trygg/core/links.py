"""Absolute links for what leaves Trygg (email): the SITE_URL setting plus a path."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    """`path` (as `reverse` gives it) on the address people open Trygg at."""
    return settings.SITE_URL.rstrip("/") + path


def absolute_url(name: str, *args: Any) -> str:
    return absolute(reverse(name, args=args))
