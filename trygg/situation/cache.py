"""Computed pictures, kept a few seconds for the many who open the same week at once.

A meeting starts with a dozen people opening the same lägesbild, its map
layers, charts and PDF: each of those requests builds the same picture. The
cache keeps a picture for SITUATION_CACHE_SECONDS (10 by default, 0 turns it
off) in the process, and drops everything the moment this process writes
reports (the rollup's generation changes). A report written by another server
process shows up here within those seconds at most.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import get_language

from trygg.reports import rollup
from trygg.situation.periods import Period
from trygg.situation.picture import Picture, build_picture

MAX_ENTRIES = 64

_lock = threading.Lock()
_entries: OrderedDict[tuple[Any, ...], tuple[float, int, Picture]] = OrderedDict()


def picture_for(municipality: Any, period: Period, categories: tuple[str, ...] = ()) -> Picture:
    """`build_picture(municipality, period, categories)`, from the cache when it is fresh."""
    seconds = settings.SITUATION_CACHE_SECONDS
    if seconds <= 0:
        return build_picture(municipality, period, categories)
    # Category names in a picture are in the language it was built in.
    key = (*_stamp(municipality), get_language(), period.key, tuple(categories))
    generation = rollup.generation()
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
        if hit is not None and hit[0] > now and hit[1] == generation:
            _entries.move_to_end(key)
            return hit[2]
    picture = build_picture(municipality, period, categories)
    with _lock:
        _entries[key] = (now + seconds, generation, picture)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return picture


def _stamp(municipality: Any) -> tuple[Any, ...]:
    """What else a picture shows besides counts: the municipality's name and its areas."""
    areas = municipality.areas.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (
        municipality.pk,
        municipality.updated_at,
        municipality.name,
        municipality.is_demo,
        areas["n"],
        areas["latest"],
    )


def clear() -> None:
    """Forget every kept picture (tests do, since a rolled-back write bumps nothing)."""
    with _lock:
        _entries.clear()
