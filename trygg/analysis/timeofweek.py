"""The 7 × 24 weekday × hour matrix of events, with aoristic weights for time windows.

Times are local wall-clock times, as numpy datetime64 or epoch seconds. An event
with a start only counts 1 in its start hour. An event known only to have
happened within a window ("sometime overnight": start and a later end) is
spread over the window: each second of it carries the same weight and the
event's weights sum to 1 (aoristic analysis; Ratcliffe 2002, Ashby & Bowers 2013).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

HOUR = 3600
WEEK = 7 * 24 * HOUR
# 1970-01-01 was a Thursday: shift epoch seconds so that index 0 is Monday 00:00.
_MONDAY_SHIFT = 3 * 24 * HOUR


@dataclass(frozen=True)
class TimeOfWeek:
    """`matrix[weekday, hour]` (Monday = 0) of event weight; its total equals `n_events`.

    `n_windowed` events were spread over a window; `weekday_totals` and
    `hour_totals` are the row and column sums.
    """

    matrix: FloatArray
    n_events: int
    n_windowed: int

    @property
    def weekday_totals(self) -> FloatArray:
        return np.asarray(self.matrix.sum(axis=1))

    @property
    def hour_totals(self) -> FloatArray:
        return np.asarray(self.matrix.sum(axis=0))


def to_seconds(times: ArrayLike) -> IntArray:
    """Whole seconds since the epoch (local wall-clock) from datetime64 or numbers."""
    arr = np.asarray(times)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[s]").astype(np.int64).ravel()
    return np.floor(arr.astype(np.float64)).astype(np.int64).ravel()


def time_of_week(start: ArrayLike, end: ArrayLike | None = None) -> TimeOfWeek:
    """Weekday × hour matrix of the events; see `TimeOfWeek` for what is returned.

    Where `end` is given and later than `start`, the event is spread over
    [start, end); NaT or an end not after the start counts as a point event.
    """
    s = to_seconds(start)
    e = s if end is None else _end_seconds(end, s)
    windowed = e > s
    point = np.bincount(_hour_of_week(s[~windowed]), minlength=168).astype(np.float64)
    spread = _aoristic(s[windowed], e[windowed])
    return TimeOfWeek((point + spread).reshape(7, 24), int(s.size), int(windowed.sum()))


def _end_seconds(end: ArrayLike, start: IntArray) -> IntArray:
    """End times in seconds; a missing end (NaT, NaN) becomes the start, i.e. a point event."""
    arr = np.asarray(end)
    if np.issubdtype(arr.dtype, np.datetime64):
        missing = np.isnat(arr).ravel()
        seconds = arr.astype("datetime64[s]").astype(np.int64).ravel()
    else:
        values = arr.astype(np.float64).ravel()
        missing = ~np.isfinite(values)
        seconds = np.floor(np.where(missing, 0.0, values)).astype(np.int64)
    return np.where(missing, start, seconds)


def _hour_of_week(seconds: IntArray) -> IntArray:
    return np.asarray(((seconds + _MONDAY_SHIFT) % WEEK) // HOUR, dtype=np.int64)


def _aoristic(start: IntArray, end: IntArray) -> FloatArray:
    """Hour-of-week weights of windows [start, end), each window's weights summing to 1.

    A difference array over the 604,800 seconds of the week holds each window's
    density 1/length from its start to its end (wrapping past Sunday midnight);
    whole weeks inside a window add the same density everywhere. One cumulative
    sum then gives every second's weight, whatever the windows' lengths.
    """
    if start.size == 0:
        return np.zeros(168)
    length = (end - start).astype(np.float64)
    density = 1.0 / length
    whole_weeks, rest = np.divmod(end - start, WEEK)
    a = (start + _MONDAY_SHIFT) % WEEK
    b = a + rest
    wraps = b > WEEK
    diff = np.bincount(a, weights=density, minlength=WEEK + 1)
    diff -= np.bincount(np.where(wraps, WEEK, b), weights=density, minlength=WEEK + 1)
    diff[0] += density[wraps].sum()
    diff -= np.bincount(np.where(wraps, b - WEEK, 0), weights=density * wraps, minlength=WEEK + 1)
    per_second = np.cumsum(diff[:WEEK]) + float((whole_weeks * density).sum())
    return np.asarray(per_second.reshape(168, HOUR).sum(axis=1))
