"""Database reads behind the picture: the daily rollup, and raw points of one period.

Every function filters to incidents (never the "all calm" check-ins) and to
one municipality, and returns plain arrays or dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import Sum

from trygg.reports.models import Category, DailyCount, Report


@dataclass(frozen=True)
class Taxonomy:
    """Category groups in display order, and each category's group."""

    groups: list[Category]
    group_of: dict[int, str]  # category id -> group code
    code_of: dict[int, str]  # category id -> its own code

    @classmethod
    def load(cls) -> Taxonomy:
        categories = list(Category.objects.select_related("group"))
        groups = [c for c in categories if c.group_id is None and c.is_incident]
        group_of = {c.pk: (c.group.code if c.group_id else c.code) for c in categories}
        return cls(groups=groups, group_of=group_of, code_of={c.pk: c.code for c in categories})

    def incident_ids(self, codes: tuple[str, ...] = ()) -> list[int]:
        """Incident category ids, limited to `codes` (group or category codes) if given."""
        wanted = set(codes)
        incident = {g.code for g in self.groups}
        return [
            cid
            for cid, group in self.group_of.items()
            if group in incident and (not wanted or group in wanted or self.code_of[cid] in wanted)
        ]


def _rollup(
    municipality_id: int, start: date, end: date, category_ids: list[int], public_only: bool
) -> Any:
    rows = DailyCount.objects.filter(
        municipality_id=municipality_id, day__gte=start, day__lt=end, category_id__in=category_ids
    )
    if public_only:
        rows = rows.filter(sharing=Report.Sharing.PUBLIC)
    return rows.order_by()


def window_counts(
    municipality_id: int,
    start: date,
    end: date,
    category_ids: list[int],
    *,
    public_only: bool = False,
) -> dict[tuple[int, int], int]:
    """Reports in [start, end) per (area key, category id), summed by the database."""
    rows = _rollup(municipality_id, start, end, category_ids, public_only)
    grouped = rows.values_list("area_key", "category_id").annotate(total=Sum("n"))
    return {(a, c): int(n) for a, c, n in grouped}


def daily_by_category(
    municipality_id: int,
    start: date,
    end: date,
    category_ids: list[int],
    *,
    public_only: bool = False,
) -> list[tuple[date, int, int]]:
    """(day, category id, n) in [start, end), summed over areas by the database."""
    rows = _rollup(municipality_id, start, end, category_ids, public_only)
    grouped = rows.values_list("day", "category_id").annotate(total=Sum("n"))
    return [(d, c, int(n)) for d, c, n in grouped]


def first_day(municipality_id: int) -> date | None:
    """The local day of the municipality's first report, if any."""
    rows = DailyCount.objects.filter(municipality_id=municipality_id, n__gt=0)
    return rows.order_by("day").values_list("day", flat=True).first()


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(start, time(), zone), datetime.combine(end, time(), zone)


@dataclass(frozen=True)
class PeriodEvents:
    """Raw events of one period: SWEREF x, y and local start/end as datetime64[s]."""

    x: np.ndarray
    y: np.ndarray
    start: np.ndarray
    end: np.ndarray  # NaT where no window

    @classmethod
    def empty(cls) -> PeriodEvents:
        """No events: what the public picture uses, as it never reads single reports."""
        none = np.array([], dtype=float)
        times = np.array([], dtype="datetime64[s]")
        return cls(x=none, y=none.copy(), start=times, end=times.copy())


def period_events(
    municipality_id: int, start: date, end: date, category_ids: list[int]
) -> PeriodEvents:
    """The period's incidents with position and (local) time, for hotspots and time of week."""
    since, until = _bounds(start, end)
    rows = list(
        Report.objects.filter(
            municipality_id=municipality_id,
            occurred_at__gte=since,
            occurred_at__lt=until,
            category_id__in=category_ids,
        )
        .order_by()
        .values_list("x", "y", "occurred_at", "occurred_to")
    )
    zone = ZoneInfo(settings.TIME_ZONE)

    def local(moment: datetime | None) -> np.datetime64:
        if moment is None:
            return np.datetime64("NaT", "s")
        return np.datetime64(moment.astimezone(zone).replace(tzinfo=None), "s")

    return PeriodEvents(
        x=np.fromiter((r[0] for r in rows), float, len(rows)),
        y=np.fromiter((r[1] for r in rows), float, len(rows)),
        start=np.array([local(r[2]) for r in rows], dtype="datetime64[s]"),
        end=np.array([local(r[3]) for r in rows], dtype="datetime64[s]"),
    )
