"""The lägesbild's police slot: the police's public notices for the municipality, per type
and ISO week, beside (never inside) the partners' statistics."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max

from trygg.policeevents import areas
from trygg.policeevents.models import PoliceEvent
from trygg.reports.models import Category
from trygg.situation.periods import Period, local_bounds

SOURCE_URL = "https://polisen.se/aktuellt/handelser/"
# A week or two shows with the weeks before it; a year shows all its weeks.
MIN_WEEKS = 8
MAX_WEEKS = 53


def weeks_of(period: Period) -> list[date]:
    """The Mondays of the ISO weeks the series shows, oldest first, ending with the period's."""
    last = period.last_day - timedelta(days=period.last_day.weekday())
    first = period.start - timedelta(days=period.start.weekday())
    count = min(max((last - first).days // 7 + 1, MIN_WEEKS), MAX_WEEKS)
    return [last - timedelta(weeks=k) for k in range(count - 1, -1, -1)]


def _week_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def slot_for(municipality: Any, period: Period) -> dict[str, Any]:
    """Counted notices naming the municipality, per type and week; what is left out, counted."""
    mondays = weeks_of(period)
    since, until = local_bounds(mondays[0], mondays[-1] + timedelta(weeks=1))
    in_weeks = PoliceEvent.objects.filter(published_at__gte=since, published_at__lt=until)
    here = in_weeks.filter(
        level=PoliceEvent.Level.MUNICIPALITY, municipality_code=municipality.code
    ).values_list(
        "published_at", "event_type__name", "event_type__counted", "event_type__group__code"
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    cells: Counter[tuple[str, int]] = Counter()
    groups: dict[str, str | None] = {}
    not_counted = 0
    for published, type_name, counted, group in here:
        if not counted:
            not_counted += 1
            continue
        day = published.astimezone(zone).date()
        cells[type_name, (day - mondays[0]).days // 7] += 1
        groups[type_name] = group
    county = areas.county_of(municipality.code)
    return {
        "source": "Polisen",
        "source_url": SOURCE_URL,
        "level": "municipality",
        "weeks": [_week_key(m) for m in mondays],
        "types": _type_rows(cells, groups, len(mondays)),
        "total": sum(cells.values()),
        "not_counted": not_counted,
        "county": {
            "code": county,
            "name": areas.county_name(county),
            "events": in_weeks.filter(
                level=PoliceEvent.Level.COUNTY, county_code=county, event_type__counted=True
            ).count(),
        },
        "last_seen": _last_seen(municipality.code),
    }


def _type_rows(
    cells: Counter[tuple[str, int]], groups: dict[str, str | None], weeks: int
) -> list[dict[str, Any]]:
    """One row per type, the most frequent first: its group and its count per week."""
    names = {c.code: c.name for c in Category.objects.filter(group__isnull=True)}
    rows = []
    for type_name, group in groups.items():
        counts = [cells[type_name, k] for k in range(weeks)]
        rows.append(
            {
                "type": type_name,
                "group": group,
                "group_name": names.get(group, "") if group else "",
                "counts": counts,
                "total": sum(counts),
            }
        )
    return sorted(rows, key=lambda r: (-r["total"], r["type"]))


def _last_seen(code: str) -> str | None:
    """When a notice naming the municipality was last read (its index, not the whole table)."""
    here = PoliceEvent.objects.filter(municipality_code=code)
    latest = here.aggregate(latest=Max("last_seen"))["latest"]
    return latest.isoformat() if latest else None
