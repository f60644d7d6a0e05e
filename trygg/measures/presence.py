"""Planera närvaro: when and where night walkers, security rounds and police are most needed.

For chosen categories over the last N weeks: the weekday × hour slots with
most reports (aoristic, so "sometime overnight" spreads over the night), the
grid cells with most reports (each marked when Gi* calls it a hot spot) and
the areas with most reports (from the daily rollup). The night walkers' *Lugnt*
check-ins of the same weeks show whether those slots were covered.
"""

from __future__ import annotations

from calendar import timegm
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.analysis.gistar import gi_star
from trygg.analysis.grid import bin_points
from trygg.analysis.timeofweek import HOUR, time_of_week
from trygg.geo.models import Area
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure
from trygg.partners.models import Municipality, Organisation
from trygg.reports.access import reports_for_statistics
from trygg.reports.actions import ALL_CALM
from trygg.reports.models import Category
from trygg.situation import queries
from trygg.situation.picture import HOTSPOT_ALPHA
from trygg.situation.study_area import cell_polygon, study_area

DEFAULT_WEEKS = 8
MAX_WEEKS = 52
TOP = 10
PRESENCE_KINDS = (Measure.Kind.ADULT_PRESENCE, Measure.Kind.POLICE_PRESENCE)


@dataclass(frozen=True)
class Slot:
    weekday: int  # Monday = 0
    hour: int
    weight: float  # reports, aoristic
    checkins: int = 0

    @property
    def key(self) -> str:
        return f"{self.weekday}-{self.hour}"


@dataclass(frozen=True)
class Place:
    x: float  # south-west corner, SWEREF 99 TM
    y: float
    size: float
    count: int
    hot: bool  # a Gi* hot spot at the picture's level


@dataclass(frozen=True)
class Plan:
    categories: tuple[str, ...]
    weeks: int
    start: date
    end: date  # exclusive
    n_events: int
    slots: list[Slot]
    places: list[Place]
    areas: list[tuple[str, int]]
    checkins: int

    def cells(self) -> list[dict[str, float]]:
        """The places as a measure stores hot-spot cells."""
        return [{"x": p.x, "y": p.y, "size": p.size} for p in self.places]

    def geojson(self) -> dict[str, Any]:
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [cell_polygon(p.x, p.y, p.size)]},
                "properties": {"rank": i, "count": p.count, "hot": p.hot},
            }
            for i, p in enumerate(self.places, start=1)
        ]
        return {"type": "FeatureCollection", "features": features}


def window_of(weeks: int, today: date) -> tuple[date, date]:
    """The last `weeks` whole weeks up to and including today."""
    end = today + timedelta(days=1)
    return end - timedelta(weeks=weeks), end


def plan(
    municipality: Municipality,
    *,
    categories: tuple[str, ...] = (),
    weeks: int = DEFAULT_WEEKS,
    today: date,
    top: int = TOP,
) -> Plan:
    """The plan for `categories` (all incidents when empty) over the last `weeks` weeks."""
    start, end = window_of(weeks, today)
    taxonomy = queries.Taxonomy.load()
    ids = taxonomy.incident_ids(categories)
    events = queries.period_events(municipality.pk, start, end, ids)
    seconds = checkin_seconds(municipality, start, end)
    slots = ranked_slots(events.start, events.end, top)
    hours = _hour_of_week(seconds)
    slots = [
        Slot(s.weekday, s.hour, s.weight, int(np.count_nonzero(hours == s.weekday * 24 + s.hour)))
        for s in slots
    ]
    return Plan(
        categories=categories, weeks=weeks, start=start, end=end, n_events=int(events.x.size),
        slots=slots, places=ranked_places(municipality, events.x, events.y, top),
        areas=ranked_areas(municipality, start, end, ids), checkins=int(seconds.size),
    )  # fmt: skip


def ranked_slots(start: np.ndarray, end: np.ndarray, top: int) -> list[Slot]:
    """The `top` weekday × hour slots by report weight; ties go to the earlier slot."""
    if start.size == 0:
        return []
    weights = time_of_week(start, end).matrix.ravel()
    order = np.lexsort((np.arange(168), -weights))
    return [
        Slot(int(i // 24), int(i % 24), round(float(weights[i]), 2))
        for i in order[:top]
        if weights[i] > 0
    ]


def ranked_places(
    municipality: Municipality, x: np.ndarray, y: np.ndarray, top: int
) -> list[Place]:
    """The `top` grid cells by count (ties: south first, then west), with their Gi* verdict."""
    if x.size == 0:
        return []
    study = study_area(municipality)
    grid, mask = study.grid, study.mask
    counts = bin_points(x, y, grid, mask=mask).counts
    hot = gi_star(
        counts, mask=mask, radius_cells=1, permutations="exact", alpha=HOTSPOT_ALPHA,
        hot_needs_events=True,
    )  # fmt: skip
    flat = counts.ravel()
    order = np.lexsort((np.arange(flat.size), -flat))[:top]
    places = []
    for i in order:
        if flat[i] <= 0:
            break
        row, col = divmod(int(i), grid.nx)
        significant = bool(hot.significant[row, col] and hot.hot_cold[row, col] > 0)
        places.append(Place(grid.x0 + col * grid.cell, grid.y0 + row * grid.cell, grid.cell,
                            int(flat[i]), significant))  # fmt: skip
    return places


def ranked_areas(
    municipality: Municipality, start: date, end: date, category_ids: list[int]
) -> list[tuple[str, int]]:
    """Areas by their reports in the window, most first, from the daily rollup."""
    totals: dict[int, int] = {}
    for (area_key, _category), n in queries.window_counts(
        municipality.pk, start, end, category_ids
    ).items():
        if area_key:
            totals[area_key] = totals.get(area_key, 0) + n
    names = dict(Area.objects.filter(pk__in=totals).values_list("pk", "name"))
    return sorted(((names[k], n) for k, n in totals.items() if n), key=lambda a: (-a[1], a[0]))


def checkin_seconds(municipality: Municipality, start: date, end: date) -> np.ndarray:
    """Local wall-clock epoch seconds of the volunteers' *Lugnt* check-ins in [start, end)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    since, until = (datetime.combine(d, time(), zone) for d in (start, end))
    times = reports_for_statistics(
        "occurred_at",
        municipality=municipality,
        category__code=ALL_CALM,
        organisation__kind=Organisation.Kind.VOLUNTEER,
        occurred_at__gte=since,
        occurred_at__lt=until,
    )
    # timegm reads the local fields as if they were UTC: the wall clock time_of_week counts in.
    return np.array([timegm(t.astimezone(zone).timetuple()) for (t,) in times], dtype=np.int64)


def _hour_of_week(seconds: np.ndarray) -> np.ndarray:
    monday_shift = 3 * 24 * HOUR  # 1970-01-01 was a Thursday
    return ((seconds + monday_shift) % (7 * 24 * HOUR)) // HOUR


def slot_label(slot: Slot) -> str:
    days = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]  # fmt: skip
    return f"{days[slot.weekday]} {slot.hour:02d}–{(slot.hour + 1) % 24:02d}"


@transaction.atomic
def create_presence_measure(
    *, by: Any, municipality: Municipality, plan: Plan, kind: str, responsible: Organisation
) -> Measure:
    """A proposed presence measure carrying the plan's slots (description) and cells."""
    if kind not in PRESENCE_KINDS:
        raise ValueError(f"not a presence kind: {kind}")
    slots = ", ".join(slot_label(s) for s in plan.slots)
    description = _("Planned slots: %(slots)s. Based on %(n)d reports in %(weeks)d weeks.") % {
        "slots": slots or "–", "n": plan.n_events, "weeks": plan.weeks,
    }  # fmt: skip
    return create_measure(
        by=by, municipality=municipality, title=_("Presence where and when reports are most"),
        kind=kind, responsible=responsible, description=description, cells=plan.cells(),
        categories=Category.objects.filter(code__in=plan.categories),
        starts_on=plan.end, planned_slots=[{"weekday": s.weekday, "hour": s.hour}
                                           for s in plan.slots],
    )  # fmt: skip


def coverage(measure: Measure, today: date) -> list[dict[str, Any]]:
    """Each planned slot of a presence measure with the night walkers' Lugnt check-ins in it
    from the start (or the day it was created) up to today; [] before the start or without slots.
    """
    start = measure.starts_on or measure.created_at.date()
    if not measure.planned_slots or start > today:
        return []
    municipality = Municipality.objects.defer("boundary").get(pk=measure.municipality_id)
    hours = _hour_of_week(checkin_seconds(municipality, start, today + timedelta(days=1)))
    rows = []
    for planned in measure.planned_slots:
        slot = Slot(int(planned["weekday"]), int(planned["hour"]), 0.0)
        n = int(np.count_nonzero(hours == slot.weekday * 24 + slot.hour))
        rows.append({"key": slot.key, "label": slot_label(slot), "checkins": n})
    return rows
