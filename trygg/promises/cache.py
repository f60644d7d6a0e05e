"""A municipality's public counts per category, area and quarter, kept while the rollup stands.

The public promise page reads years of the rollup for its computed indicators
(trygg.promises.public._rollup_quarters); at a million reports that one read is
most of the page's time, and many citizens open the same page. It is kept in
the process the way the lägesbild keeps its pictures (trygg.situation.cache),
with the same setting and the same signals (trygg.reports.freshness):

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
from datetime import date
from typing import Any

from django.conf import settings

from trygg.reports import freshness

MAX_ENTRIES = 32
MAX_AGE_SECONDS = 300.0
_clock = time.monotonic
_lock = threading.Lock()


@dataclass
class Kept(freshness.Kept):
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
    if hit is not None and freshness.fresh(
        hit, now=_clock(), seconds=seconds, max_age=MAX_AGE_SECONDS
    ):
        return hit.value
    generation, born, built_at = freshness.started(_clock)
    value = read()
    entry = Kept(born, built_at, born, generation, municipality_id, until, value)
    freshness.put(_entries, _lock, full_key, entry, MAX_ENTRIES)
    return value


def clear() -> None:
    """Forget everything kept (tests do, since a rolled-back write is not seen)."""
    with _lock:
        _entries.clear()
