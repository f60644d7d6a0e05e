"""Periods of the situational picture: ISO weeks, two-week spans, months, tertials, years.

A period is a half-open range of local dates [start, end). Keys are what a
user types and a URL carries: `2026-W47`, `2026-W46+2` (two weeks starting
week 46), `2026-11`, `2026-T3`, `2026`, or `2026-11-02..2026-11-15`.
Comparisons are made per day, so periods of unequal length (months) compare
fairly.

Years are bounded to FIRST_YEAR..LAST_YEAR: the picture compares a period
with the four before it and with the same period a year earlier (a custom
range of up to three years reaches back thirteen years), and every one of
those shifts must stay a valid date. A key outside the bounds is a
PeriodError like any other mistyped key, never an overflow.

`read_period` also takes what people type in Swedish or English: "vecka 48",
"v48", "vecka 48 2026", "november 2026", "tertial 3 2026", "2026". A week,
month or tertial without a year is the latest one that has begun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})(?:\+(\d))?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TERTIAL = re.compile(r"^(\d{4})-T([123])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
MAX_DAYS = 3 * 366
# Reports older than this are not expected; the lower bound leaves room for the
# baseline and last-year shifts, the upper bound for the "next period" link.
FIRST_YEAR = 2000
LAST_YEAR = 2100


class PeriodError(ValueError):
    pass


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local midnight at `start` and at `end`: the half-open range of moments of those days."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(start, time(), zone), datetime.combine(end, time(), zone)


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
    def bounds(self) -> tuple[datetime, datetime]:
        """The period's moments, [local midnight of start, local midnight of end)."""
        return local_bounds(self.start, self.end)

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
    """The period an ISO key names; raises PeriodError with a readable message."""
    key = key.strip()
    try:
        period = _parse_key(key)
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(_("%(key)s is not a date.") % {"key": key}) from None
    if period is None:
        raise PeriodError(
            _("Use 2026-W47, 2026-W46+2, 2026-11, 2026-T3, 2026 or 2026-11-02..2026-11-15.")
        )
    return _bounded(period)


def _parse_key(key: str) -> Period | None:
    if m := _WEEK.match(key):
        year, week, count = int(m[1]), int(m[2]), int(m[3] or 1)
        _check_year(year)
        if not 1 <= week <= _weeks_in(year) or not 1 <= count <= 8:
            raise PeriodError(
                _("There is no week %(week)s in %(year)s.") % {"week": week, "year": year}
            )
        start = _iso_week_start(year, week)
        kind = "weeks" if m[3] else "week"
        return Period(kind, start, start + timedelta(weeks=count), count)
    if m := _MONTH.match(key):
        _check_year(int(m[1]))
        if not 1 <= int(m[2]) <= 12:
            raise PeriodError(_("There is no month %(month)s.") % {"month": m[2]})
        start = date(int(m[1]), int(m[2]), 1)
        return Period("month", start, _add_months(start, 1))
    if m := _TERTIAL.match(key):
        _check_year(int(m[1]))
        start = date(int(m[1]), (int(m[2]) - 1) * 4 + 1, 1)
        return Period("tertial", start, _add_months(start, 4))
    if m := _YEAR.match(key):
        _check_year(int(m[1]))
        start = date(int(m[1]), 1, 1)
        return Period("year", start, date(start.year + 1, 1, 1))
    if m := _RANGE.match(key):
        return custom_period(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
    return None


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("Choose a period between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def _bounded(period: Period) -> Period:
    _check_year(period.start.year)
    _check_year(period.last_day.year)
    return period


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("mars", "march", "mar"),
            ("april", "apr"),
            ("maj", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augusti", "august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_YEAR_PART = r"(?:\s*,?\s*(?:år\s*)?(\d{4}))?"
_WORD_WEEK = re.compile(rf"^(?:vecka|veckan|v|week|w)\s*(\d{{1,2}}){_YEAR_PART}$")
_WORD_MONTH = re.compile(rf"^([a-zåäö]+){_YEAR_PART}$")
_WORD_TERTIAL = re.compile(rf"^(?:tertial|t)\s*([123]){_YEAR_PART}$")


def read_period(text: str, today: date) -> Period:
    """The period typed as an ISO key or in words ("vecka 48", "november 2026", "tertial 3").

    Without a year, the latest such period that has begun by `today`.
    """
    words = " ".join(text.lower().replace(".", " ").split())
    for pattern, key_of in (
        (_WORD_WEEK, lambda m, year: f"{year}-W{int(m[1]):02d}"),
        (_WORD_TERTIAL, lambda m, year: f"{year}-T{m[1]}"),
        (_WORD_MONTH, lambda m, year: f"{year}-{_MONTHS[m[1]]:02d}"),
    ):
        m = pattern.match(words)
        if m is None or (pattern is _WORD_MONTH and m[1] not in _MONTHS):
            continue
        if m[2]:
            return parse_period(key_of(m, m[2]))
        year = today.isocalendar()[0] if pattern is _WORD_WEEK else today.year
        period = parse_period(key_of(m, year))
        return period if period.start <= today else parse_period(key_of(m, year - 1))
    return parse_period(text.strip().upper())


def refuse_future(period: Period, today: date) -> Period:
    """`period` if it has begun by `today` (one in progress is fine); else PeriodError."""
    if period.start > today:
        raise PeriodError(
            _("The period %(key)s has not begun yet; choose one that has.") % {"key": period.key}
        )
    return period


def custom_period(first: date, last: date) -> Period:
    """From `first` to `last`, both inclusive."""
    _check_year(first.year)
    _check_year(last.year)
    if last < first:
        raise PeriodError(_("The period ends before it starts."))
    if (last - first).days >= MAX_DAYS:
        raise PeriodError(_("A period may be at most three years."))
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
