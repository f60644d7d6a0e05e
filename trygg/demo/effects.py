"""Three demo measures whose saved evaluations show what *Utvärdera* can say.

One shows an effect (a significant reduction), one has too few reports to
conclude anything, one shows displacement into the buffer. Their reports are
of categories the synthetic streams never produce (`burglary_home`,
`stockpile`), placed in the treated area, the buffer ring and the rest of the
municipality, so the counts are exactly the ones below whatever else the demo
holds. Everything goes through the reports' and measures' actions; the
reports' client ids (`demo-effect-…`) keep a second run from storing them twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from django.conf import settings
from django.utils import timezone

from trygg.geo.lookup import geometry_to_sweref
from trygg.geo.models import Area
from trygg.geo.projection import to_wgs84
from trygg.measures.actions import change_status, create_measure, save_evaluation
from trygg.measures.effect import Parameters, evaluate, zones_of
from trygg.measures.models import Measure
from trygg.partners.models import Municipality
from trygg.reports.actions import submit_reports
from trygg.reports.models import Category, Report

CLIENT_PREFIX = "demo-effect-"
WEEKS = Parameters().weeks


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    area: str
    category: str
    started_days_ago: int
    # zone -> (before, after): the reports placed in each window
    counts: dict[str, tuple[int, int]]


# DiD (8 − 32) − (20 − 20) = −24, se √80: a significant reduction.
# Too few: 3 before in the treated area is under 1.96·se.
# Displacement: SM = 10/30 − 1, BM = 26/20 − 1, WDQ = −0.45.
# The two burglary scenarios' windows (12 weeks either side) do not overlap.
SCENARIOS = (
    Scenario("effect", "Låsbyte och grannsamverkan mot bostadsinbrott", "Torvalla",
             "burglary_home", 270, {"treated": (32, 8), "buffer": (6, 6), "comparison": (20, 20)}),
    Scenario("too-few", "Bortforsling av stenupplag", "Lit", "stockpile", 150,
             {"treated": (3, 1), "buffer": (1, 1), "comparison": (3, 3)}),
    Scenario("displacement", "Kameraövervakning av bostadsområdet", "Lugnvik",
             "burglary_home", 100,
             {"treated": (30, 10), "buffer": (20, 26), "comparison": (30, 30)}),
)  # fmt: skip


def seed_effect_measures(
    municipality: Municipality, orgs: dict[str, Any], users: dict[str, Any], *, today: date
) -> list[Measure]:
    """The three measures with their reports and saved evaluations (none if an area is gone)."""
    made = []
    for scenario in SCENARIOS:
        area = Area.objects.filter(municipality=municipality, name=scenario.area).first()
        if area is None:
            continue
        reports = _reports(municipality, area, scenario, today)
        submit_reports(
            organisation=orgs["polis"], by=users["polis"], items=reports,
            source=Report.Source.IMPORT, now=timezone.now(), max_age_days=400,
        )  # fmt: skip
        made.append(_measure(municipality, orgs, users["samordnare"], area, scenario, today))
    return made


def _measure(
    municipality: Municipality, orgs: dict[str, Any], by: Any, area: Area, scenario: Scenario,
    today: date,
) -> Measure:  # fmt: skip
    starts_on = today - timedelta(days=scenario.started_days_ago)
    measure = create_measure(
        by=by, municipality=municipality, title=scenario.title, kind=Measure.Kind.SITUATIONAL,
        responsible=orgs["kommun"], status=Measure.Status.DECIDED, area=area,
        categories=Category.objects.filter(code=scenario.category), starts_on=starts_on,
        deadline=starts_on + timedelta(weeks=WEEKS),
        follow_up_on=starts_on + timedelta(weeks=WEEKS),
        goal="Färre anmälningar i området än i resten av kommunen.",
    )  # fmt: skip
    for status in (Measure.Status.ONGOING, Measure.Status.DONE):
        measure = change_status(measure=measure, by=by, to=status)
    result = evaluate(measure, Parameters(), today=today)
    save_evaluation(measure=measure, by=by, effect=result)
    return measure


def _reports(
    municipality: Municipality, area: Area, scenario: Scenario, today: date
) -> list[dict[str, Any]]:
    rng = random.Random(f"{CLIENT_PREFIX}{scenario.key}")
    outline = geometry_to_sweref(Municipality.objects.get(pk=municipality.pk).boundary)
    zones = zones_of(municipality, geometry_to_sweref(area.geometry), Parameters())
    starts_on = today - timedelta(days=scenario.started_days_ago)
    days = WEEKS * 7
    items = []
    for zone, (before, after) in scenario.counts.items():
        shape = getattr(zones, zone).intersection(outline).buffer(-5)  # off the edges
        for window, n in (("before", before), ("after", after)):
            first = starts_on - timedelta(days=days) if window == "before" else starts_on
            for i in range(n):
                lat, lon = _point_in(shape, rng)
                day = first + timedelta(days=1 + (i * (days - 2)) // max(n, 1))
                items.append({
                    "client_id": f"{CLIENT_PREFIX}{scenario.key}-{zone}-{window}-{i}",
                    "category": scenario.category, "lat": lat, "lon": lon,
                    "occurred_at": _evening(day, rng),
                })  # fmt: skip
    return items


def _point_in(shape: Any, rng: random.Random) -> tuple[float, float]:
    """A point drawn evenly inside `shape` (SWEREF 99 TM), as latitude and longitude."""
    west, south, east, north = shape.bounds
    while True:
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(shape, x, y):
            lat, lon = to_wgs84(np.array([x]), np.array([y]))
            return round(float(lat[0]), 6), round(float(lon[0]), 6)


def _evening(day: date, rng: random.Random) -> datetime:
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(day, time(rng.randint(18, 22), rng.randint(0, 59)), zone)
