"""Whether something computed from the rollup may still be shown: the freshness both caches share.

The lägesbild's pictures (trygg.situation.cache) and the promise page's
counts (trygg.promises.cache) are kept in the process while nothing they
count has changed. Each cache keeps its own keys, size and clock; this module
holds what they judge freshness by:

- a rollup change this process makes on a day before the entry's `until`
  makes it stale at once (rollup.generation and earliest_change_since);
- once `seconds` (SITUATION_CACHE_SECONDS) have passed since the last check,
  the rollup is asked whether any process changed such a day since the entry
  was built (rollup.changed_since);
- after `max_age` seconds it is stale regardless.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.utils import timezone

from trygg.reports import rollup

K = TypeVar("K", bound=Hashable)
E = TypeVar("E", bound="Kept")


@dataclass
class Kept:
    born: float  # the cache's clock when the build began
    built_at: datetime  # the same moment by the clock the rollup's changed_at uses
    checked: float  # when the rollup last said nothing counted had changed
    generation: int
    municipality_id: int
    until: date  # exclusive: no day from here on is counted


def started(clock: Callable[[], float]) -> tuple[int, float, datetime]:
    """(generation, born, built_at) for a build about to begin.

    Taken before building: a write during the build is newer than what was built.
    """
    return rollup.generation(), clock(), timezone.now()


def fresh(entry: Kept, *, now: float, seconds: float, max_age: float) -> bool:
    """Whether `entry` may still be shown at `now` (by the clock its `born` was taken with)."""
    if now - entry.born > max_age or not _unchanged_here(entry):
        return False
    if now - entry.checked <= seconds:
        return True
    if rollup.changed_since(entry.municipality_id, entry.built_at, entry.until):
        return False
    entry.checked = now
    return True


def _unchanged_here(entry: Kept) -> bool:
    """True unless this process changed, since the entry was built, a day it counts."""
    generation = rollup.generation()
    if entry.generation == generation:
        return True
    changed = rollup.earliest_change_since(entry.generation, entry.municipality_id)
    if changed is not None and changed < entry.until:
        return False
    entry.generation = generation  # nothing relevant in between: later checks start here
    return True


def put(
    entries: OrderedDict[K, E],
    lock: threading.Lock,
    key: K,
    entry: E,
    most: int,
) -> None:
    """Keep `entry` under `key` as the most recently used; forget the least used beyond `most`."""
    with lock:
        entries[key] = entry
        entries.move_to_end(key)
        while len(entries) > most:
            entries.popitem(last=False)
