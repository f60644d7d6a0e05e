"""A municipality's public counts per category, area and quarter, kept while the rollup stands.

The public promise page reads years of the rollup for its computed indicators
(trygg.promises.public._rollup_quarters); at a million reports that one read is
most of the page's time, and many citizens open the same page. It is kept in
the process the way the lägesbild keeps its pictures (trygg.situation.cache),
with the same setting and the same signals:

- a rollup change this process makes on a day before the promise's end drops
  it at once (trygg.reports.rollup.generation and earliest_change_since);
- every SITUATION_CACHE_SECONDS (0 turns keeping off) it asks the rollup
  whether any process changed such a day since it was read, and reads anew if so;
- after MAX_AGE_SECONDS it is read anew regardless.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from trygg.reports import rollup

MAX_ENTRIES = 32
MAX_AGE_SECONDS = 300.0
_clock = time.monotonic
_lock = threading.Lock()


@dataclass
class Kept:
    born: float
    built_at: datetime  # by the clock the rollup's changed_at uses
    checked: float
    generation: int
    municipality_id: int
    until: date  # exclusive: no day from here on is read
    value: Any


_entries: OrderedDict[Hashable, Kept] = OrderedDict()


def kept(municipality_id: int, until: date, key: Hashable, read: Callable[[], Any]) -> Any:
    """`read()`, or what it gave before while no day before `until` has changed since."""
    seconds = settings.SITUATION_CACHE_SECONDS
    if seconds <= 0:
        return read()
    full_key = (municipality_id, until, key)
    with _lock:
        hit = _entries.get(full_key)
    if hit is not None and _fresh(hit, seconds):
        return hit.value
    # Taken before reading: a write during the read is newer than what was read.
    generation, born, built_at = rollup.generation(), _clock(), timezone.now()
    value = read()
    with _lock:
        _entries[full_key] = Kept(born, built_at, born, generation, municipality_id, until, value)
        _entries.move_to_end(full_key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def _fresh(entry: Kept, seconds: float) -> bool:
    now = _clock()
    if now - entry.born > MAX_AGE_SECONDS or not _unchanged_here(entry):
        return False
    if now - entry.checked <= seconds:
        return True
    if rollup.changed_since(entry.municipality_id, entry.built_at, entry.until):
        return False
    entry.checked = now
    return True


def _unchanged_here(entry: Kept) -> bool:
    """True unless this process changed, since the entry was read, a day it counts."""
    generation = rollup.generation()
    if entry.generation == generation:
        return True
    changed = rollup.earliest_change_since(entry.generation, entry.municipality_id)
    if changed is not None and changed < entry.until:
        return False
    entry.generation = generation
    return True


def clear() -> None:
    """Forget everything kept (tests do, since a rolled-back write is not seen)."""
    with _lock:
        _entries.clear()
