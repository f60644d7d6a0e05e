"""Did a measure work? Before/after counts around its start, and what trygg.analysis.effect says.

The treated zone is the polygon drawn for the measure, or else its area; the
buffer is a ring around it (500 m by default) where displacement or a
diffusion of benefit would show; the comparison area is the rest of the
municipality outside both (or an area the coordinator chooses, minus treated
and buffer). Windows of the same length lie
before and after the start, and the same two windows a year earlier (52
weeks, so weekdays line up) show whether the change is just the season.

Counts come from the reports' points, not from the daily rollup: the rollup
knows areas, not a ring drawn around one. One query per window reads the
points of the target categories (index report_muni_cat_time) and shapely
classifies them all at once.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext as _

from trygg.analysis.effect import PrePost, Wdd, Wdq, wdd, wdq
from trygg.core.queries import driver_rows
from trygg.geo.lookup import geometry_to_sweref
from trygg.geo.models import Area

# Who may evaluate lives in access.py and saving in actions.py; the old names stay
# importable from here for callers on other branches (the demo, the bench).
from trygg.measures.models import Evaluation, Measure
from trygg.measures.polygon import outline_of
from trygg.partners.models import Municipality
from trygg.reports.access import reports_for_statistics
from trygg.situation.queries import Taxonomy

DEFAULT_WEEKS = 12
DEFAULT_BUFFER_M = 500.0
MAX_WEEKS = 104
MAX_BUFFER_M = 5000.0
LAST_YEAR = timedelta(weeks=52)
ZONES = ("treated", "buffer", "comparison")
WINDOWS = ("before", "after", "before_last_year", "after_last_year")
TOO_FEW = "too_few_events"


class CannotEvaluate(ValueError):
    """The measure lacks what an evaluation needs (area, categories, a start in the past)."""


@dataclass(frozen=True)
class Parameters:
    """What an evaluation was asked: stored with it, so a snapshot can be read later."""

    weeks: int = DEFAULT_WEEKS
    buffer_m: float = DEFAULT_BUFFER_M
    comparison_area_id: int | None = None  # None: the rest of the municipality
    # Which shape was treated, set by `evaluate` from the measure (never from a
    # request), so a snapshot still says it after the polygon is redrawn.
    treated_zone: str = ""  # "polygon" or "area"
    treated_area_id: int | None = None
    treated_polygon: dict[str, Any] | None = None


@dataclass(frozen=True)
class Zones:
    """Treated area, buffer ring and comparison area, SWEREF 99 TM, prepared for point tests."""

    treated: Any
    buffer: Any
    comparison: Any

    def classify(self, x: np.ndarray, y: np.ndarray) -> dict[str, int]:
        """How many of the points fall in each zone (a point on an edge counts in both)."""
        return {
            zone: int(np.count_nonzero(shapely.intersects_xy(getattr(self, zone), x, y)))
            for zone in ZONES
        }


@dataclass(frozen=True)
class Effect:
    """The evaluation: windows, counts and rates per zone and window, and the statistics."""

    parameters: Parameters
    windows: dict[str, tuple[date, date]]
    counts: dict[str, dict[str, int]]  # zone -> window -> reports
    days: int  # length of each window
    did: Wdd  # treated vs comparison
    net: Wdd  # the same with the buffer's change added (displacement counted against it)
    quotient: Wdq  # WDQ: where the buffer went
    last_year: Wdd  # the same difference a year earlier, when there was no measure
    notes: list[str] = field(default_factory=list)

    def rate(self, zone: str, window: str) -> float:
        """Reports per week."""
        return self.counts[zone][window] * 7 / self.days

    def as_json(self) -> dict[str, Any]:
        return {
            "parameters": asdict(self.parameters),
            "windows": {k: [a.isoformat(), b.isoformat()] for k, (a, b) in self.windows.items()},
            "days": self.days,
            "counts": self.counts,
            "rates": {z: {w: round(self.rate(z, w), 3) for w in WINDOWS} for z in ZONES},
            "did": asdict(self.did),
            "net": asdict(self.net),
            "wdq": asdict(self.quotient),
            "last_year": asdict(self.last_year),
            "notes": self.notes,
        }


def windows_of(starts_on: date, weeks: int, today: date) -> dict[str, tuple[date, date]]:
    """Equal windows before and after the start (the after window ends today at the latest)."""
    days = min(weeks * 7, (today - starts_on).days)
    if days < 1:
        raise CannotEvaluate(_("The measure has not started yet."))
    before = (starts_on - timedelta(days=days), starts_on)
    after = (starts_on, starts_on + timedelta(days=days))
    return {
        "before": before,
        "after": after,
        "before_last_year": (before[0] - LAST_YEAR, before[1] - LAST_YEAR),
        "after_last_year": (after[0] - LAST_YEAR, after[1] - LAST_YEAR),
    }


def zones_of(municipality: Municipality, treated: Any, parameters: Parameters) -> Zones:
    """The three zones in SWEREF 99 TM; the comparison never overlaps treated or buffer."""
    ring = treated.buffer(parameters.buffer_m)
    buffer = ring.difference(treated)
    if parameters.comparison_area_id is not None:
        chosen = Area.objects.filter(pk=parameters.comparison_area_id, municipality=municipality)
        if not chosen.exists():
            raise CannotEvaluate(_("The comparison area is not in this municipality."))
        outside = geometry_to_sweref(chosen.get().geometry)
    else:
        outside = outline_of(municipality)
    comparison = outside.difference(ring)
    for shape in (treated, buffer, comparison):
        shapely.prepare(shape)
    return Zones(treated=treated, buffer=buffer, comparison=comparison)


def window_points(
    municipality_id: int, window: tuple[date, date], category_ids: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """SWEREF x and y of the reports of these categories that occurred in [start, end) local."""
    zone = ZoneInfo(settings.TIME_ZONE)
    since, until = (datetime.combine(d, time(), zone) for d in window)
    queryset = reports_for_statistics(
        "x",
        "y",
        municipality_id=municipality_id,
        category_id__in=category_ids,
        occurred_at__gte=since,
        occurred_at__lt=until,
    )
    # Straight from the cursor: two floats a row need none of Django's converters.
    points = np.array(driver_rows(queryset), dtype=float).reshape(-1, 2)
    return points[:, 0], points[:, 1]


def target_categories(measure: Measure) -> list[int]:
    """The measure's incident categories (a group stands for its members)."""
    codes = tuple(measure.categories.values_list("code", flat=True))
    if not codes:
        raise CannotEvaluate(_("The measure has no target categories."))
    return Taxonomy.load().incident_ids(codes)


def treated_of(measure: Measure, parameters: Parameters) -> tuple[Any, Parameters]:
    """The treated zone in SWEREF 99 TM (the drawn polygon, else the area), and it named."""
    if measure.treated_polygon:
        named = replace(parameters, treated_zone="polygon", treated_polygon=measure.treated_polygon)
        return geometry_to_sweref(measure.treated_polygon), named
    if measure.area_id is None:
        raise CannotEvaluate(_("The measure has no area."))
    area = Area.objects.get(pk=measure.area_id)
    named = replace(parameters, treated_zone="area", treated_area_id=area.pk)
    return geometry_to_sweref(area.geometry), named


def evaluate(measure: Measure, parameters: Parameters, *, today: date) -> Effect:
    """Counts in the three zones over the four windows, and the statistics on them."""
    treated, parameters = treated_of(measure, parameters)
    if measure.starts_on is None:
        raise CannotEvaluate(_("The measure has no start date."))
    categories = target_categories(measure)
    windows = windows_of(measure.starts_on, parameters.weeks, today)
    zones = zones_of(measure.municipality, treated, parameters)
    by_window = {
        name: zones.classify(*window_points(measure.municipality_id, span, categories))
        for name, span in windows.items()
    }
    counts = {z: {w: by_window[w][z] for w in WINDOWS} for z in ZONES}
    days = (windows["after"][1] - windows["after"][0]).days
    return statistics(parameters, windows, counts, days)


def statistics(
    parameters: Parameters,
    windows: dict[str, tuple[date, date]],
    counts: dict[str, dict[str, int]],
    days: int,
) -> Effect:
    """WDD (with and without the buffer), WDQ and last year's WDD, from the counts alone."""

    def pair(zone: str, suffix: str = "") -> PrePost:
        return PrePost(counts[zone]["before" + suffix], counts[zone]["after" + suffix])

    treated, buffer, comparison = pair("treated"), pair("buffer"), pair("comparison")
    notes = []
    if days < parameters.weeks * 7:
        notes.append(_("The after window is shorter than asked: the measure started recently."))
    return Effect(
        parameters=parameters,
        windows=windows,
        counts=counts,
        days=days,
        did=wdd(treated, comparison),
        net=wdd(treated, comparison, buffer, comparison),
        quotient=wdq(treated, buffer, comparison),
        last_year=wdd(pair("treated", "_last_year"), pair("comparison", "_last_year")),
        notes=notes,
    )


def parameters_from(data: Any) -> Parameters:
    """Parameters from a form's or a saved snapshot's values, clamped to sane ranges."""
    weeks = _number(data.get("weeks"), DEFAULT_WEEKS)
    buffer_m = _number(data.get("buffer_m"), DEFAULT_BUFFER_M)
    comparison = data.get("comparison_area_id") or data.get("comparison") or None
    return Parameters(
        weeks=int(min(max(weeks, 1), MAX_WEEKS)),
        buffer_m=float(min(max(buffer_m, 0.0), MAX_BUFFER_M)),
        comparison_area_id=int(comparison) if str(comparison or "").isdigit() else None,
    )


def _number(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def evaluations_of(measure: Measure) -> list[Evaluation]:
    return list(measure.evaluations.select_related("by"))


def conclusion_labels() -> dict[str, str]:
    """What each conclusion code of trygg.analysis.effect says, in words."""
    return {
        TOO_FEW: _("too few events to draw conclusions"),
        "reduction": _("fewer reports than expected: a significant reduction"),
        "increase": _("more reports than expected: a significant increase"),
        "no_significant_change": _("no significant change"),
        "no_success": _("the treated area did not do better than the comparison area"),
        "diffusion_exceeds_treatment": _("diffusion of benefit larger than the effect itself"),
        "diffusion_of_benefits": _("diffusion of benefit: the buffer fell too"),
        "no_displacement_or_diffusion": _("neither displacement nor diffusion"),
        "displacement": _("displacement: part of the reduction moved to the buffer"),
        "displacement_exceeds_treatment": _("displacement larger than the reduction"),
    }


def presentation(results: dict[str, Any]) -> dict[str, Any]:
    """A stored or fresh evaluation's results as the page shows them.

    Numbers whose conclusion is "too few events" are left out, so the page
    never shows an estimate it says cannot carry a conclusion.
    """
    labels = conclusion_labels()
    zone_names = {
        "treated": _("Treated area"),
        "buffer": _("Buffer"),
        "comparison": _("Comparison area"),
    }
    rows = [
        {"name": zone_names[z], "counts": [results["counts"][z][w] for w in WINDOWS],
         "rates": [results["rates"][z][w] for w in WINDOWS]}
        for z in ZONES
    ]  # fmt: skip
    tests = []
    for key, title in (
        ("did", _("Difference in differences (treated against comparison)")),
        ("net", _("The same, net of the buffer's change")),
        ("last_year", _("The same windows a year earlier, without the measure")),
    ):
        stats = results[key]
        shown = stats if stats["conclusion"] != TOO_FEW else None
        tests.append({"title": title, "stats": shown, "reading": labels[stats["conclusion"]]})
    quotient = results["wdq"]
    return {
        "rows": rows,
        "tests": tests,
        "wdq": quotient if quotient["interpretation"] != TOO_FEW else None,
        "wdq_reading": labels[quotient["interpretation"]],
    }
