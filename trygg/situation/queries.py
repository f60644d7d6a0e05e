"""Database reads behind the picture: the daily rollup, and raw points of one period.

Every function filters to incidents (never the "all calm" check-ins) and to
one municipality, and returns plain arrays or dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import Sum

from trygg.core.queries import driver_rows
from trygg.reports.access import reports_for_statistics
from trygg.reports.models import Category, DailyCount, Report
from trygg.situation.periods import local_bounds


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
    since, until = local_bounds(start, end)
    queryset = reports_for_statistics(
        "x",
        "y",
        "occurred_at",
        "occurred_to",
        municipality_id=municipality_id,
        occurred_at__gte=since,
        occurred_at__lt=until,
        category_id__in=category_ids,
    )
    # The rows as the driver returns them: a week at 10M reports holds ~25,000,
    # and Django's converters plus a zone conversion per value cost ~15 µs a row,
    # more than the query. The times are converted below for the whole array.
    rows = driver_rows(queryset)
    x, y, began, ended = zip(*rows, strict=True) if rows else ((), (), (), ())
    zone = ZoneInfo(settings.TIME_ZONE)
    return PeriodEvents(
        x=np.array(x, dtype=float),
        y=np.array(y, dtype=float),
        start=_local_seconds(_utc_microseconds(began), zone),
        end=_local_seconds(_utc_microseconds(ended), zone),
    )


def _utc_microseconds(values: tuple[Any, ...]) -> np.ndarray:
    """UTC instants as datetime64[us], NaT for None.

    SQLite hands naive datetimes in UTC (Django's stored form, parsed by the
    converter Django registers), PostgreSQL aware ones.
    """
    out = np.full(len(values), np.datetime64("NaT", "us"))
    present = np.fromiter((v is not None for v in values), bool, len(values))
    given = [v for v in values if v is not None]
    if given and given[0].tzinfo is not None:
        given = [v.astimezone(UTC).replace(tzinfo=None) for v in given]
    out[present] = np.array(given, dtype="datetime64[us]")
    return out


def _local_seconds(utc: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """Local wall time in whole seconds (datetime64[s], NaT kept) of UTC instants.

    The zone's offset is looked up once per UTC hour; an hour in which the
    offset changes (no Swedish one does: transitions fall on the hour) is
    looked up per instant.
    """
    seconds = utc.astype("datetime64[s]").astype(np.int64)  # floors, as the ORM path did
    valid = ~np.isnat(utc)
    hours, where = np.unique(seconds[valid] // 3600, return_inverse=True)
    first = np.array([_offset(int(h) * 3600, zone) for h in hours], dtype=np.int64)
    last = np.array([_offset(int(h) * 3600 + 3599, zone) for h in hours], dtype=np.int64)
    offset = first[where]
    mixed = (first != last)[where]
    if mixed.any():
        offset[mixed] = [_offset(int(t), zone) for t in seconds[valid][mixed]]
    local = np.full(len(utc), np.datetime64("NaT", "s"))
    local[valid] = (seconds[valid] + offset).astype("datetime64[s]")
    return local


def _offset(utc_seconds: int, zone: ZoneInfo) -> int:
    offset = datetime.fromtimestamp(utc_seconds, UTC).astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0
