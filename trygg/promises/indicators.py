"""Indicator values: counted from Trygg's reports, or entered by hand; and their traffic light.

A computed indicator counts what the PUBLIC lägesbild counts: incident
reports, withdrawn ones left out, shared as "public aggregate", per local day
of the event, read from the daily rollup with the lägesbild's own selection
(trygg.situation.queries). Only public-aggregate reports are counted because a
promise and its follow-ups are published: a reporter who shared a report with
the partnership alone did not agree to its being counted in public.

The rollup has no hours. An indicator with a time band (e.g. 23–02, a Purple
Flag band) is therefore counted from the reports themselves, through
trygg.reports.access.reports_for_statistics, bucketed by the local hour the
event began; its periods and days are cut as the rollup's are, so a band of
all 24 hours counts exactly what the rollup does.

Periods are calendar years ("2024") or quarters ("2024-Q3"). A value is
`complete` once its period is over; the traffic light reads the latest
complete one, so a quarter half gone never looks better than it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from trygg.promises.models import Indicator, Promise
from trygg.reports.access import reports_for_statistics
from trygg.reports.models import DailyCount, Report
from trygg.situation import queries
from trygg.situation.periods import local_bounds

LIGHTS = {
    "green": _("Green: target reached"),
    "yellow": _("Yellow: better than the baseline, target not reached"),
    "red": _("Red: not better than the baseline"),
    "none": _("No value yet"),
}


@dataclass(frozen=True)
class Point:
    period: str
    value: Decimal
    complete: bool
    source: str = ""


@dataclass(frozen=True)
class Standing:
    """Where an indicator stands: its series, baseline, target and light."""

    series: list[Point]
    baseline: Decimal | None
    target: Decimal
    latest: Point | None
    light: str


def period_key(year: int, quarter: int | None) -> str:
    return str(year) if quarter is None else f"{year}-Q{quarter}"


def period_bounds(key: str) -> tuple[date, date]:
    """The half-open range of local days [start, end) of a year or quarter key."""
    year, _sep, quarter = key.partition("-Q")
    if not quarter:
        return date(int(year), 1, 1), date(int(year) + 1, 1, 1)
    q = int(quarter)
    start = date(int(year), 3 * q - 2, 1)
    end = date(int(year) + 1, 1, 1) if q == 4 else date(int(year), 3 * q + 1, 1)
    return start, end


def is_period_key(key: str, every: str) -> bool:
    """Whether `key` names a period of the kind the indicator is measured in."""
    year, sep, quarter = key.partition("-Q")
    if not (year.isdigit() and len(year) == 4):
        return False
    if every == Indicator.Every.YEAR:
        return not sep
    return bool(sep) and quarter in ("1", "2", "3", "4")


def periods_of(indicator: Indicator, promise: Promise, today: date) -> list[str]:
    """The indicator's periods from the promise's first year to its last, those begun by today."""
    keys = []
    for year in range(promise.start_year, promise.end_year + 1):
        quarters: list[int | None] = [None]
        if indicator.every == Indicator.Every.QUARTER:
            quarters = [1, 2, 3, 4]
        keys += [period_key(year, q) for q in quarters]
    return [k for k in keys if period_bounds(k)[0] <= today]


def category_ids(indicator: Indicator, taxonomy: queries.Taxonomy | None = None) -> list[int]:
    """The incident categories counted: the lägesbild's reading of the chosen codes."""
    codes = tuple(c.code for c in indicator.categories.all())
    return (taxonomy or queries.Taxonomy.load()).incident_ids(codes)


def counts(
    indicator: Indicator, start: date, end: date, taxonomy: queries.Taxonomy | None = None
) -> dict[str, int]:
    """Reports counted per period key (the indicator's kind of period) in [start, end).

    `taxonomy` (queries.Taxonomy.load()) may be given once for many indicators.
    """
    ids = category_ids(indicator, taxonomy)
    area_ids = [a.pk for a in indicator.areas.all()]
    if indicator.has_time_band:
        return _banded_counts(indicator, start, end, ids, area_ids)
    return _rollup_counts(indicator, start, end, ids, area_ids)


def _rollup_counts(
    indicator: Indicator, start: date, end: date, ids: list[int], area_ids: list[int]
) -> dict[str, int]:
    rows = DailyCount.objects.filter(
        municipality_id=indicator.promise.municipality_id,
        day__gte=start,
        day__lt=end,
        category_id__in=ids,
        sharing=Report.Sharing.PUBLIC,
    )
    if area_ids:
        rows = rows.filter(area_key__in=area_ids)
    grouped = (
        rows.order_by()
        .annotate(year=ExtractYear("day"), month=ExtractMonth("day"))
        .values_list("year", "month")
        .annotate(total=Sum("n"))
    )
    out: dict[str, int] = {}
    for year, month, n in grouped:
        key = _key_of(indicator, year, month)
        out[key] = out.get(key, 0) + int(n)
    return out


def _banded_counts(
    indicator: Indicator, start: date, end: date, ids: list[int], area_ids: list[int]
) -> dict[str, int]:
    since, until = local_bounds(start, end)
    filters: dict[str, Any] = {
        "municipality_id": indicator.promise.municipality_id,
        "occurred_at__gte": since,
        "occurred_at__lt": until,
        "category_id__in": ids,
        "sharing": Report.Sharing.PUBLIC,
    }
    if area_ids:
        filters["area_id__in"] = area_ids
    zone = ZoneInfo(settings.TIME_ZONE)
    out: dict[str, int] = {}
    for (occurred_at,) in reports_for_statistics("occurred_at", **filters).iterator():
        local = occurred_at.astimezone(zone)
        if in_band(local.hour, indicator.hour_from, indicator.hour_to):
            key = _key_of(indicator, local.year, local.month)
            out[key] = out.get(key, 0) + 1
    return out


def in_band(hour: int, hour_from: int | None, hour_to: int | None) -> bool:
    """Whether `hour` lies in [hour_from, hour_to), wrapping past midnight (23 → 2)."""
    if hour_from is None or hour_to is None:
        return True
    if hour_from < hour_to:
        return hour_from <= hour < hour_to
    return hour >= hour_from or hour < hour_to


def _key_of(indicator: Indicator, year: int, month: int) -> str:
    if indicator.every == Indicator.Every.QUARTER:
        return period_key(year, (month - 1) // 3 + 1)
    return str(year)


def _per_period(indicator: Indicator, total: int) -> Decimal:
    """A year's count per period: a quarterly indicator's is the year's mean quarter."""
    per = 4 if indicator.every == Indicator.Every.QUARTER else 1
    return (Decimal(total) / per).quantize(Decimal("0.01"))


def computed_baseline(indicator: Indicator, taxonomy: queries.Taxonomy | None = None) -> Decimal:
    """The baseline year's count, per period (see `_per_period`)."""
    year = indicator.baseline_year
    total = sum(counts(indicator, date(year, 1, 1), date(year + 1, 1, 1), taxonomy).values())
    return _per_period(indicator, total)


def series(
    indicator: Indicator, today: date, taxonomy: queries.Taxonomy | None = None
) -> list[Point]:
    """The indicator's values over the promise's periods begun by `today`."""
    if indicator.kind == Indicator.Kind.MANUAL:
        keys = periods_of(indicator, indicator.promise, today)
        return [
            Point(v.period, v.value, True, v.source)
            for v in indicator.values.all()
            if v.period in keys
        ]
    return _computed(indicator, today, taxonomy)[0]


def _computed(
    indicator: Indicator, today: date, taxonomy: queries.Taxonomy | None
) -> tuple[list[Point], Decimal]:
    """A computed indicator's series and its baseline year's count, in one read."""
    keys = periods_of(indicator, indicator.promise, today)
    year = indicator.baseline_year
    start = min([date(year, 1, 1), *(period_bounds(k)[0] for k in keys[:1])])
    end = max([date(year + 1, 1, 1), *(period_bounds(k)[1] for k in keys[-1:])])
    counted = counts(indicator, start, end, taxonomy)
    points = [Point(k, Decimal(counted.get(k, 0)), period_bounds(k)[1] <= today) for k in keys]
    in_year = sum(n for k, n in counted.items() if k[:4] == str(year))
    return points, _per_period(indicator, in_year)


def light_of(
    value: Decimal | None, baseline: Decimal | None, target: Decimal, direction: str
) -> str:
    """green: target reached; yellow: better than the baseline; red: not; none: no value."""
    if value is None:
        return "none"
    sign = 1 if direction == Indicator.Direction.HIGHER else -1
    if sign * (value - target) >= 0:
        return "green"
    if baseline is not None and sign * (value - baseline) > 0:
        return "yellow"
    return "red"


def standing(
    indicator: Indicator, today: date, taxonomy: queries.Taxonomy | None = None
) -> Standing:
    """The indicator's series and its light against the target, as of `today`.

    Give `taxonomy` when asking for many indicators: it is read once, not per indicator.
    """
    baseline = indicator.baseline_value
    if indicator.kind == Indicator.Kind.COMPUTED:
        points, counted_baseline = _computed(indicator, today, taxonomy)
        baseline = counted_baseline if baseline is None else baseline
    else:
        points = series(indicator, today)
    complete = [p for p in points if p.complete]
    latest = complete[-1] if complete else None
    light = light_of(
        latest.value if latest else None, baseline, indicator.target_value, indicator.direction
    )
    return Standing(points, baseline, indicator.target_value, latest, light)
