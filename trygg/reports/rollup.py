"""The daily rollup of report counts, kept in step with the reports table.

Withdrawn reports are not counted: the picture shows what was reported and stands.

The situational picture reads counts per day, area and category from here
instead of scanning years of reports, so a weekly picture over millions of
reports costs a few thousand rollup rows.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter, deque
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from trygg.reports.models import DailyCount, Report

Key = tuple[int, date, int, int, str]  # municipality, local day, area (0: none), category, sharing

# Bumped whenever this process changes the rollup, at the write and again at
# commit, so caches of pictures built from it (situation/cache.py) know to
# recompute. Each bump also notes the earliest day it changed per
# municipality: a report of tonight changes no picture of last week, and a
# cache that dropped everything on every write would be empty under live
# reporting.
_generation = itertools.count()
_current = next(_generation)
ALL_MUNICIPALITIES = 0
LOG_LENGTH = 8192  # ~100 s of single reports at 40/s (two entries each: write, commit)
_lock = threading.Lock()
# (generation, {municipality id or ALL_MUNICIPALITIES: earliest day changed}), oldest first.
_log: deque[tuple[int, dict[int, date]]] = deque(maxlen=LOG_LENGTH)


def generation() -> int:
    """A number that changes whenever this process has changed the rollup."""
    return _current


def earliest_change_since(since: int, municipality_id: int) -> date | None:
    """The earliest day of `municipality_id` this process changed after generation `since`.

    None if it changed nothing there; date.min if the log no longer reaches
    back that far, so a caller can only ever recompute too often.
    """
    with _lock:
        if since == _current:
            return None
        if not _log or _log[0][0] > since + 1:
            return date.min
        days: list[date] = []
        for number, changed in reversed(_log):  # newest first: usually only a few are new
            if number <= since:
                break
            days += [
                day for key, day in changed.items() if key in (municipality_id, ALL_MUNICIPALITIES)
            ]
    return min(days, default=None)


def _changed(days: dict[int, date]) -> None:
    global _current
    with _lock:
        _current = next(_generation)
        _log.append((_current, days))


def _note(days: dict[int, date]) -> None:
    """A change now, and again at commit: a picture built in between must not outlive it."""
    _changed(days)
    transaction.on_commit(lambda: _changed(days))


def _earliest(counts: Iterable[Key]) -> dict[int, date]:
    days: dict[int, date] = {}
    for municipality_id, day, *_ in counts:
        if municipality_id not in days or day < days[municipality_id]:
            days[municipality_id] = day
    return days


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
    # Last statement before the commit, so a row's changed_at is at most moments
    # before other processes can see it (CHANGE_MARGIN in changed_since).
    columns = "municipality_id, day, area_key, category_id, sharing, n, changed_at"
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (municipality_id, day, area_key, category_id, sharing) "
        f"DO UPDATE SET n = {table}.n + excluded.n, changed_at = excluded.changed_at"
    )
    adapt = connection.ops.adapt_datefield_value
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [
        (muni, adapt(day), area, category, sharing, n, now)
        for (muni, day, area, category, sharing), n in counts.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    _note(_earliest(counts))


def remove(counts: Counter[Key]) -> None:
    """Take `counts` out of the rollup (a withdrawn report, a corrected one's old cell).

    Cells that reach zero are deleted, so the table holds what `counted` would
    build afresh. Every cell exists: the reports being taken out were counted.
    """
    if not counts:
        return
    now = timezone.now()
    for (muni, day, area, category, sharing), n in counts.items():
        cell = DailyCount.objects.filter(
            municipality_id=muni, day=day, area_key=area, category_id=category, sharing=sharing
        )
        cell.update(n=F("n") - n, changed_at=now)
        cell.filter(n__lte=0).delete()
    _note(_earliest(counts))


# Longer than a write takes from its rollup statement to its commit (the photo
# file, if any, is all that comes between). A write slower than that shows in
# kept pictures of other processes after situation/cache.py's MAX_AGE_SECONDS.
CHANGE_MARGIN = timedelta(seconds=5)


def changed_since(municipality_id: int, since: datetime, until: date) -> bool:
    """Whether any process has changed a day before `until` of the municipality since `since`.

    Errs towards True: it also counts changes up to CHANGE_MARGIN before
    `since`, so a write that committed just after a picture was read is
    never missed.
    """
    return (
        DailyCount.objects.filter(
            municipality_id=municipality_id,
            changed_at__gte=since - CHANGE_MARGIN,
            day__lt=until,
        )
        .order_by()
        .exists()
    )


@transaction.atomic
def counted(municipality_id: int | None = None) -> Counter[Key]:
    """The rollup as the reports say it should be, computed afresh (nothing written)."""
    reports = Report.objects.exclude(status=Report.Status.WITHDRAWN)
    if municipality_id is not None:
        reports = reports.filter(municipality_id=municipality_id)
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = reports.order_by().values_list(
        "municipality_id", "occurred_at", "area_id", "category_id", "sharing"
    )
    return Counter(
        (muni, when.astimezone(zone).date(), area or 0, category, sharing)
        for muni, when, area, category, sharing in rows.iterator(chunk_size=20_000)
    )


def disagreements(municipality_id: int | None = None) -> dict[Key, tuple[int, int]]:
    """Cells where the stored rollup and the reports differ: {key: (stored, counted)}."""
    stored_rows = DailyCount.objects.all()
    if municipality_id is not None:
        stored_rows = stored_rows.filter(municipality_id=municipality_id)
    fields = ("municipality_id", "day", "area_key", "category_id", "sharing", "n")
    stored: Counter[Key] = Counter(
        {(m, d, a, c, s): n for m, d, a, c, s, n in stored_rows.values_list(*fields).iterator()}
    )
    fresh = counted(municipality_id)
    return {
        key: (stored[key], fresh[key])
        for key in stored.keys() | fresh.keys()
        if stored[key] != fresh[key]
    }


def rebuild(municipality_id: int | None = None) -> int:
    """Recompute the rollup from the reports (of one municipality, or all); the rows written.

    This process's kept pictures are dropped; other server processes' notice
    no changed row if they built a picture while this ran, and refresh it
    within the picture cache's MAX_AGE_SECONDS.
    """
    old = DailyCount.objects.all()
    if municipality_id is not None:
        old = old.filter(municipality_id=municipality_id)
    old.delete()
    counts = counted(municipality_id)
    add(counts)
    _note({municipality_id or ALL_MUNICIPALITIES: date.min})
    return len(counts)
