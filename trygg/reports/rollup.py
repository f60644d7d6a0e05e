"""The daily rollup of report counts, kept in step with the reports table.

The situational picture reads counts per day, area and category from here
instead of scanning years of reports, so a weekly picture over millions of
reports costs a few thousand rollup rows.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from trygg.reports.models import DailyCount, Report

Key = tuple[int, date, int, int, str]  # municipality, local day, area (0: none), category, sharing

# Bumped whenever this process changes the rollup, at the write and again at
# commit, so caches of pictures built from it (situation/cache.py) know to recompute.
_generation = itertools.count()
_current = next(_generation)


def generation() -> int:
    """A number that changes whenever this process has changed the rollup."""
    return _current


def _changed() -> None:
    global _current
    _current = next(_generation)


def keys_of(reports: Iterable[Report]) -> Counter[Key]:
    """How many of `reports` fall in each rollup cell (day in local time)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return Counter(
        (
            r.municipality_id,
            r.occurred_at.astimezone(zone).date(),
            r.area_id or 0,
            r.category_id,
            r.sharing,
        )
        for r in reports
    )


def add(counts: Counter[Key]) -> None:
    """Add `counts` to the rollup in one statement per batch (an upsert on both databases)."""
    if not counts:
        return
    table = connection.ops.quote_name(DailyCount._meta.db_table)
    sql = (
        f"INSERT INTO {table} (municipality_id, day, area_key, category_id, sharing, n) "
        "VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (municipality_id, day, area_key, category_id, sharing) "
        f"DO UPDATE SET n = {table}.n + excluded.n"
    )
    adapt = connection.ops.adapt_datefield_value
    params = [
        (muni, adapt(day), area, category, sharing, n)
        for (muni, day, area, category, sharing), n in counts.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    _changed()
    transaction.on_commit(_changed)


@transaction.atomic
def rebuild(municipality_id: int | None = None) -> int:
    """Recompute the rollup from the reports (of one municipality, or all); the rows written."""
    old = DailyCount.objects.all()
    reports = Report.objects.all()
    if municipality_id is not None:
        old = old.filter(municipality_id=municipality_id)
        reports = reports.filter(municipality_id=municipality_id)
    old.delete()
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = reports.order_by().values_list(
        "municipality_id", "occurred_at", "area_id", "category_id", "sharing"
    )
    counts: Counter[Key] = Counter(
        (muni, when.astimezone(zone).date(), area or 0, category, sharing)
        for muni, when, area, category, sharing in rows.iterator(chunk_size=20_000)
    )
    add(counts)
    _changed()
    transaction.on_commit(_changed)
    return len(counts)
