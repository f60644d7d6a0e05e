"""Periods of the situational picture: ISO weeks, two-week spans, months, tertials, years.

A period is a half-open range of local dates [start, end). Keys are what a
user types and a URL carries: `2026-W47`, `2026-W46+2` (two weeks starting
week 46), `2026-11`, `2026-T3`, `2026`, or `2026-11-02..2026-11-15`.
Comparisons are made per day, so periods of unequal length (months) compare
fairly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})(?:\+(\d))?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TERTIAL = re.compile(r"^(\d{4})-T([123])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # week, weeks, month, tertial, year, custom
    start: date
    end: date  # exclusive
    weeks: int = 1  # for kind "weeks"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def key(self) -> str:
        if self.kind in ("week", "weeks"):
            year, week, _ = self.start.isocalendar()
            suffix = f"+{self.weeks}" if self.kind == "weeks" else ""
            return f"{year}-W{week:02d}{suffix}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "tertial":
            return f"{self.start.year}-T{(self.start.month - 1) // 4 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.last_day.isoformat()}"

    def shifted(self, steps: int) -> Period:
        """The period `steps` lengths later (negative: earlier), of the same kind."""
        if self.kind in ("week", "weeks", "custom"):
            delta = timedelta(days=self.days * steps)
            return Period(self.kind, self.start + delta, self.end + delta, self.weeks)
        months = {"month": 1, "tertial": 4, "year": 12}[self.kind] * steps
        return Period(self.kind, _add_months(self.start, months), _add_months(self.end, months))

    def previous(self, count: int) -> list[Period]:
        """The `count` periods just before this one, nearest first."""
        return [self.shifted(-k) for k in range(1, count + 1)]

    def same_last_year(self) -> Period:
        """The same ISO weeks a year earlier for week periods; the same dates otherwise."""
        if self.kind in ("week", "weeks"):
            year, week, _ = self.start.isocalendar()
            start = _iso_week_start(year - 1, min(week, _weeks_in(year - 1)))
            return Period(self.kind, start, start + timedelta(days=self.days), self.weeks)
        if self.kind == "custom":
            return Period("custom", _add_months(self.start, -12), _add_months(self.end, -12))
        return self.shifted({"month": -12, "tertial": -3, "year": -1}[self.kind])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) if day.day == 1 else _clamped(index, day.day)


def _clamped(index: int, day: int) -> date:
    year, month = index // 12, index % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day, (following - timedelta(days=1)).day))


def _iso_week_start(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


def parse_period(key: str) -> Period:
    """The period a key names; raises PeriodError with a readable message."""
    key = key.strip()
    try:
        if m := _WEEK.match(key):
            year, week, count = int(m[1]), int(m[2]), int(m[3] or 1)
            if not 1 <= week <= _weeks_in(year) or not 1 <= count <= 8:
                raise PeriodError(f"no week {week} in {year}")
            start = _iso_week_start(year, week)
            kind = "weeks" if m[3] else "week"
            return Period(kind, start, start + timedelta(weeks=count), count)
        if m := _MONTH.match(key):
            start = date(int(m[1]), int(m[2]), 1)
            return Period("month", start, _add_months(start, 1))
        if m := _TERTIAL.match(key):
            start = date(int(m[1]), (int(m[2]) - 1) * 4 + 1, 1)
            return Period("tertial", start, _add_months(start, 4))
        if m := _YEAR.match(key):
            start = date(int(m[1]), 1, 1)
            return Period("year", start, date(start.year + 1, 1, 1))
        if m := _RANGE.match(key):
            return custom_period(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
    except ValueError as exc:
        raise PeriodError(str(exc)) from None
    raise PeriodError("use 2026-W47, 2026-W46+2, 2026-11, 2026-T3, 2026 or 2026-11-02..2026-11-15")


def custom_period(first: date, last: date) -> Period:
    """From `first` to `last`, both inclusive."""
    if last < first:
        raise PeriodError("the period ends before it starts")
    if (last - first).days >= MAX_DAYS:
        raise PeriodError("a period may be at most three years")
    return Period("custom", first, last + timedelta(days=1))


def default_period(cadence: str, today: date) -> Period:
    """The last complete period of the meeting cadence: week, two weeks or month."""
    this_week = today - timedelta(days=today.weekday())
    if cadence == "monthly":
        end = today.replace(day=1)
        return Period("month", _add_months(end, -1), end)
    weeks = 2 if cadence == "biweekly" else 1
    start = this_week - timedelta(weeks=weeks)
    return Period("weeks" if weeks > 1 else "week", start, this_week, weeks)
