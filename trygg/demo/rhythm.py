"""When demo reports happen: an hourly clock over the demo period and weight profiles.

Each profile gives a non-negative weight to every hour of the period; a
stream of synthetic reports samples its hours in proportion to it. Profiles
multiply, so "weekend nights × summer" reads as it sounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

import numpy as np

DARK_MONTHS = (10, 11, 12, 1, 2, 3)  # Oct–Mar: long dark evenings in Jämtland
SUMMER_MONTHS = (6, 7, 8)


@dataclass(frozen=True)
class Clock:
    """Every whole local hour from `start` (midnight) until the hour before now."""

    start: date
    tz: tzinfo
    hod: np.ndarray  # hour of day 0–23
    dow: np.ndarray  # Monday = 0
    night_dow: np.ndarray  # weekday of the evening a night belongs to (6 hours back)
    month: np.ndarray  # 1–12
    day: np.ndarray  # days since start

    @classmethod
    def ending(cls, now: datetime, *, days: int, tz: tzinfo) -> Clock:
        local = now.astimezone(tz)
        start = local.date() - timedelta(days=days)
        hours = np.arange(days * 24 + local.hour)
        stamps = np.datetime64(start, "h") + hours.astype("timedelta64[h]")
        day = hours // 24
        return cls(
            start=start,
            tz=tz,
            hod=hours % 24,
            dow=(start.weekday() + day) % 7,
            night_dow=(start.weekday() + (hours - 6) // 24) % 7,
            month=stamps.astype("datetime64[M]").astype(int) % 12 + 1,
            day=day,
        )

    @property
    def size(self) -> int:
        return len(self.hod)

    def datetimes(self, hour_index: np.ndarray, seconds: np.ndarray) -> list[datetime]:
        """Aware local datetimes for sampled hours plus seconds into them."""
        base = datetime.combine(self.start, time())
        offsets = hour_index.astype(np.int64) * 3600 + seconds.astype(np.int64)
        return [(base + timedelta(seconds=int(s))).replace(tzinfo=self.tz) for s in offsets]

    def day_of(self, d: date) -> int:
        return (d - self.start).days


Profile = Callable[[Clock], np.ndarray]


def weekend_nights(c: Clock) -> np.ndarray:
    """Disorder: Friday and Saturday nights, 21–04, far above other hours."""
    night = (c.hod >= 21) | (c.hod <= 3)
    weekend = np.isin(c.night_dow, (4, 5))
    return 0.1 + 0.5 * night + 3.0 * (night & weekend)


def night_walks(c: Clock) -> np.ndarray:
    """Night walkers are out on Friday and Saturday evenings, 19–01."""
    out = (c.hod >= 19) | (c.hod == 0)
    return (out & np.isin(c.night_dow, (4, 5))).astype(float)


def evenings(c: Clock) -> np.ndarray:
    return np.where((c.hod >= 17) & (c.hod <= 23), 1.0, 0.15)


def patrol_nights(c: Clock) -> np.ndarray:
    """Security guards patrol every night, 22–06."""
    return np.where((c.hod >= 22) | (c.hod <= 5), 1.0, 0.02)


def working_hours(c: Clock) -> np.ndarray:
    """Caretakers' rounds, Mon–Fri 7–16; most damage is found on the first round."""
    weekday = c.dow < 5
    morning = (c.hod >= 7) & (c.hod <= 9)
    day = (c.hod >= 10) & (c.hod <= 15)
    return weekday * (3.0 * morning + 1.0 * day)


def daytime(c: Clock) -> np.ndarray:
    return np.where((c.hod >= 8) & (c.hod <= 20), 1.0, 0.05)


def dark_season(c: Clock) -> np.ndarray:
    return np.where(np.isin(c.month, DARK_MONTHS), 4.0, 1.0)


def summer(c: Clock) -> np.ndarray:
    return np.where(
        np.isin(c.month, SUMMER_MONTHS), 4.0, np.where(np.isin(c.month, (5, 9)), 2.0, 1.0)
    )


def mild_summer(c: Clock) -> np.ndarray:
    return np.where(np.isin(c.month, SUMMER_MONTHS), 1.4, 1.0)


def spring_summer(c: Clock) -> np.ndarray:
    return np.where(np.isin(c.month, (4, 5, 6, 7, 8, 9)), 3.0, 0.3)


def both(*profiles: Profile) -> Profile:
    """The product of profiles."""

    def product(c: Clock) -> np.ndarray:
        weights = np.ones(c.size)
        for profile in profiles:
            weights = weights * profile(c)
        return weights

    return product


def window(first: Callable[[Clock], date], days: int, inner: Profile) -> Profile:
    """`inner`, but only within `days` days from the date `first` picks for the clock."""

    def within(c: Clock) -> np.ndarray:
        start = c.day_of(first(c))
        return inner(c) * ((c.day >= start) & (c.day < start + days))

    return within


def days_before_end(days: int) -> Callable[[Clock], date]:
    def pick(c: Clock) -> date:
        return c.start + timedelta(days=int(c.day[-1]) - days)

    return pick


def last_spring(month: int, day: int, length: int) -> Callable[[Clock], date]:
    """The most recent `month`/`day` whose `length`-day window lies wholly in the past."""

    def pick(c: Clock) -> date:
        end = c.start + timedelta(days=int(c.day[-1]))
        year = (
            end.year if date(end.year, month, day) + timedelta(days=length) <= end else end.year - 1
        )
        return date(year, month, day)

    return pick
