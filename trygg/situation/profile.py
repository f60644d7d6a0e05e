"""The profile of one area: its numbers, trend, time pattern, hot spots and recent reports.

The comparisons are the municipality picture's own line for the area, so the
profile and the lägesbild table can never disagree. Recent reports go through
trygg.reports.access, free text only where the reader may see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from django.conf import settings
from django.db.models import Sum

from trygg.analysis.timeofweek import time_of_week
from trygg.geo.lookup import geometry_to_sweref
from trygg.geo.models import Area
from trygg.reports.access import record_details_shown, reports_for_statistics, visible_reports
from trygg.reports.models import DailyCount, Report
from trygg.reports.records import ShownReport, shown_reports
from trygg.situation import queries
from trygg.situation.cache import kept_for
from trygg.situation.forms import Selection
from trygg.situation.picture import (
    TREND_WEEKS,
    AreaLine,
    HotspotCell,
    Picture,
)

RECENT_REPORTS = 20


@dataclass(frozen=True)
class AreaProfile:
    area: Area
    picture: Picture  # the municipality's picture of the same selection
    line: AreaLine  # this area's row of the picture's table
    trend_weeks: list[str]
    trend: dict[str, list[int]]  # group code -> weekly counts in the area, oldest first
    time_of_week: list[list[float]]  # 7 x 24, Monday first
    time_of_week_events: int
    hotspots: list[HotspotCell]  # the picture's hot and cold cells centred in the area
    recent: list[ShownReport]


def build_profile(user: Any, area: Area, selection: Selection) -> AreaProfile:
    """The profile of `area` for `selection`, as `user` may see it."""
    municipality = area.municipality
    kept = kept_for(municipality, selection.period, selection.categories)
    picture = kept.picture
    taxonomy = queries.Taxonomy.load()
    ids = taxonomy.incident_ids(selection.categories)
    line = next((a for a in picture.areas if a.area_id == area.pk), None)
    # The area's own counts cover the picture's period and trend weeks, so they stay
    # right exactly as long as the kept picture does: kept with it, per area.
    series = kept.render(("area", area.pk), lambda _p: _area_series(area, selection, ids, taxonomy))
    return AreaProfile(
        area=area,
        picture=picture,
        line=line or AreaLine(area.pk, area.name, picture.quiet, {}),
        trend_weeks=series.weeks,
        trend=series.trend,
        time_of_week=series.time_of_week,
        time_of_week_events=series.time_of_week_events,
        hotspots=_inside(area, picture.hotspots),
        recent=_recent(user, area, selection, ids),
    )


@dataclass(frozen=True)
class _AreaSeries:
    weeks: list[str]
    trend: dict[str, list[int]]
    time_of_week: list[list[float]]
    time_of_week_events: int


def _area_series(
    area: Area, selection: Selection, ids: list[int], taxonomy: queries.Taxonomy
) -> _AreaSeries:
    weeks, trend = _weekly_trend(area, selection, ids, taxonomy)
    start, end = _area_times(area, selection, ids)
    tow = time_of_week(start, end)
    return _AreaSeries(weeks, trend, tow.matrix.round(3).tolist(), tow.n_events)


def _weekly_trend(
    area: Area, selection: Selection, ids: list[int], taxonomy: queries.Taxonomy
) -> tuple[list[str], dict[str, list[int]]]:
    """Weekly counts per group in the area over the 52 weeks the picture's trend covers."""
    last = selection.period.last_day
    start = last - timedelta(days=last.weekday(), weeks=TREND_WEEKS - 1)
    rows = (
        DailyCount.objects.filter(
            municipality_id=area.municipality_id,
            area_key=area.pk,
            day__gte=start,
            day__lt=start + timedelta(weeks=TREND_WEEKS),
            category_id__in=ids,
        )
        .order_by()
        .values_list("day", "category_id")
        .annotate(total=Sum("n"))
    )
    series: dict[str, list[int]] = {}
    for day, category, n in rows:
        weekly = series.setdefault(taxonomy.group_of[category], [0] * TREND_WEEKS)
        weekly[(day - start).days // 7] += int(n)
    weeks = [_week_key(start + timedelta(weeks=k)) for k in range(TREND_WEEKS)]
    return weeks, series


def _week_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _area_times(area: Area, selection: Selection, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Local start and end (NaT if none) of the period's incidents in the area."""
    since, until = selection.period.bounds
    rows = reports_for_statistics(
        "occurred_at",
        "occurred_to",
        area=area,
        occurred_at__gte=since,
        occurred_at__lt=until,
        category_id__in=ids,
    )
    zone = ZoneInfo(settings.TIME_ZONE)

    def local(moment: datetime | None) -> np.datetime64:
        if moment is None:
            return np.datetime64("NaT", "s")
        return np.datetime64(moment.astimezone(zone).replace(tzinfo=None), "s")

    pairs = [(local(a), local(b)) for a, b in rows]
    start = np.array([p[0] for p in pairs], dtype="datetime64[s]")
    end = np.array([p[1] for p in pairs], dtype="datetime64[s]")
    return start, end


def _inside(area: Area, cells: list[HotspotCell]) -> list[HotspotCell]:
    """The cells whose centre lies in the area's polygon (both in SWEREF 99 TM)."""
    if not cells:
        return []
    shape = geometry_to_sweref(area.geometry)
    xs = np.array([c.x + c.size_m / 2 for c in cells])
    ys = np.array([c.y + c.size_m / 2 for c in cells])
    inside = shapely.intersects_xy(shape, xs, ys)
    return [c for c, keep in zip(cells, inside, strict=True) if keep]


def _recent(user: Any, area: Area, selection: Selection, ids: list[int]) -> list[ShownReport]:
    """The newest incidents in the area up to the period's end that `user` may see."""
    _since, until = selection.period.bounds
    reports = (
        visible_reports(user)
        .filter(area=area, category_id__in=ids, occurred_at__lt=until)
        .exclude(status=Report.Status.WITHDRAWN)
        .select_related("category", "organisation")
        .order_by("-occurred_at", "-id")[:RECENT_REPORTS]
    )
    reports = list(reports)
    return shown_reports(reports, record_details_shown(user, reports))
