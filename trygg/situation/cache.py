"""Computed pictures, kept for the many who open the same week at once.

A meeting starts with a dozen people opening the same lägesbild, its map
layers, charts and PDF: each of those requests builds the same picture. The
cache keeps a picture in the process, together with what was rendered from
it (the API's JSON), while nothing it counts has changed:

- A report this process writes on a day the picture counts (one before its
  period's end, or its trend's last Sunday) drops it at once. Tonight's reports leave last week's
  picture alone.
- Every SITUATION_CACHE_SECONDS (10 by default; 0 turns the cache off) it
  asks the rollup whether any process changed such a day since the picture
  was built, and builds anew if so. A report written by another server
  process therefore shows up here within those seconds at most.
- After MAX_AGE_SECONDS it is built anew regardless, for what no count
  shows: a renamed category, say.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import get_language

from trygg.geo.lookup import areas_stamp
from trygg.reports import freshness
from trygg.situation.periods import Period
from trygg.situation.picture import Picture, build_picture, counted_until

MAX_ENTRIES = 64
MAX_AGE_SECONDS = 300.0
_clock = time.monotonic  # a name of its own, so a test can move it on rather than sleep
T = TypeVar("T")


@dataclass
class Kept(freshness.Kept):  # its `until` is the picture's counted_until
    picture: Picture
    renders: dict[Hashable, Any] = field(default_factory=dict)
    rendering: threading.Lock = field(default_factory=threading.Lock)  # guards `gates`
    gates: dict[Hashable, threading.Lock] = field(default_factory=dict)

    def render(self, name: Hashable, render: Callable[[Picture], T]) -> T:
        """`render(self.picture)`, made once per `name` and kept with the picture.

        One lock per name: the PDF renders the charts it embeds through here
        while its own name is being made, and two requests for the same chart
        draw it once.
        """
        with self.rendering:
            gate = self.gates.setdefault(name, threading.Lock())
        with gate:
            if name not in self.renders:
                self.renders[name] = render(self.picture)
            return self.renders[name]  # type: ignore[no-any-return]


_lock = threading.Lock()
_entries: OrderedDict[tuple[Any, ...], Kept] = OrderedDict()
# One build at a time per key: when a dozen requests miss the same week at once,
# one builds and the rest wait for it instead of each building it on the same cores.
_building: dict[tuple[Any, ...], threading.Lock] = {}


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
    return _entry(municipality, period, categories).render(name, render)


def kept_for(municipality: Any, period: Period, categories: tuple[str, ...] = ()) -> Kept:
    """The kept picture with its renders, for a response that renders several things from it.

    Everything rendered through one `kept_for` comes from the same picture,
    even when the cache renews it meanwhile.
    """
    return _entry(municipality, period, categories)


def _entry(municipality: Any, period: Period, categories: tuple[str, ...]) -> Kept:
    seconds = settings.SITUATION_CACHE_SECONDS
    if seconds <= 0:
        return _build(municipality, period, categories)
    # Category names in a picture are in the language it was built in.
    key = (*_stamp(municipality), get_language(), period.key, tuple(categories))
    hit = _fresh_entry(key, seconds)
    if hit is not None:
        return hit
    with _lock:
        gate = _building.setdefault(key, threading.Lock())
    with gate:
        try:
            hit = _fresh_entry(key, seconds)  # built by the request this one waited for
            if hit is not None:
                return hit
            entry = _build(municipality, period, categories)
            freshness.put(_entries, _lock, key, entry, MAX_ENTRIES)
            return entry
        finally:
            with _lock:
                if _building.get(key) is gate:  # not a newer builder's
                    del _building[key]


def _fresh_entry(key: tuple[Any, ...], seconds: float) -> Kept | None:
    with _lock:
        hit = _entries.get(key)
    if hit is None or not freshness.fresh(
        hit, now=_clock(), seconds=seconds, max_age=MAX_AGE_SECONDS
    ):
        return None
    with _lock:
        if _entries.get(key) is hit:  # another thread may have evicted or replaced it meanwhile
            _entries.move_to_end(key)
    return hit


def _build(municipality: Any, period: Period, categories: tuple[str, ...]) -> Kept:
    generation, born, built_at = freshness.started(_clock)
    picture = build_picture(municipality, period, categories)
    until = counted_until(period)
    return Kept(born, built_at, born, generation, municipality.pk, until, picture)


def _stamp(municipality: Any) -> tuple[Any, ...]:
    """What else a picture shows besides counts: the municipality's name and its areas."""
    return (
        municipality.pk,
        municipality.updated_at,
        municipality.name,
        municipality.is_demo,
        *areas_stamp(municipality),
    )


def clear() -> None:
    """Forget every kept picture (tests do, since a rolled-back write bumps nothing)."""
    with _lock:
        _entries.clear()
