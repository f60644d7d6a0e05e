"""Computed pictures, kept a few seconds for the many who open the same week at once.

A meeting starts with a dozen people opening the same lägesbild, its map
layers, charts and PDF: each of those requests builds the same picture. The
cache keeps a picture for SITUATION_CACHE_SECONDS (10 by default, 0 turns it
off) in the process, together with what was rendered from it (the API's
JSON), and drops a picture the moment this process writes a report on a day
the picture counts: one up to its period's end. Tonight's reports leave last
week's picture alone. A report written by another server process shows up
here within those seconds at most.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import get_language

from trygg.reports import rollup
from trygg.situation.periods import Period
from trygg.situation.picture import Picture, build_picture

MAX_ENTRIES = 64
T = TypeVar("T")


@dataclass
class _Entry:
    expires: float
    generation: int
    municipality_id: int
    until: date  # exclusive: the picture counts no day from here on
    picture: Picture
    renders: dict[Hashable, Any] = field(default_factory=dict)


_lock = threading.Lock()
_entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()


def picture_for(municipality: Any, period: Period, categories: tuple[str, ...] = ()) -> Picture:
    """`build_picture(municipality, period, categories)`, from the cache when it is fresh."""
    return _entry(municipality, period, categories).picture


def rendered_for(
    municipality: Any,
    period: Period,
    categories: tuple[str, ...],
    name: Hashable,
    render: Callable[[Picture], T],
) -> T:
    """`render(picture_for(...))`, kept with the picture under `name` while it stays fresh.

    `name` must tell apart everything besides the picture that `render` uses.
    """
    entry = _entry(municipality, period, categories)
    with _lock:
        if name in entry.renders:
            return entry.renders[name]  # type: ignore[no-any-return]
    value = render(entry.picture)
    with _lock:
        entry.renders[name] = value
    return value


def _entry(municipality: Any, period: Period, categories: tuple[str, ...]) -> _Entry:
    seconds = settings.SITUATION_CACHE_SECONDS
    generation = rollup.generation()
    if seconds <= 0:
        return _build(municipality, period, categories, generation, time.monotonic())
    # Category names in a picture are in the language it was built in.
    key = (*_stamp(municipality), get_language(), period.key, tuple(categories))
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
    if hit is not None and hit.expires > now and _still_counts(hit, generation):
        with _lock:
            _entries.move_to_end(key)
        return hit
    entry = _build(municipality, period, categories, generation, now + seconds)
    with _lock:
        _entries[key] = entry
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return entry


def _build(
    municipality: Any, period: Period, categories: tuple[str, ...], generation: int, expires: float
) -> _Entry:
    # The generation is read before building: a write during the build is newer than the entry.
    picture = build_picture(municipality, period, categories)
    return _Entry(expires, generation, municipality.pk, period.end, picture)


def _still_counts(entry: _Entry, generation: int) -> bool:
    """True unless this process wrote, since the entry was built, a day the picture counts."""
    if entry.generation == generation:
        return True
    changed = rollup.earliest_change_since(entry.generation, entry.municipality_id)
    if changed is not None and changed < entry.until:
        return False
    entry.generation = generation  # nothing relevant in between: later checks start here
    return True


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
