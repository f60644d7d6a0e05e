"""The picture as plain JSON-ready data: one shape for the API, the page's charts and exports."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, fields
from typing import Any

from trygg.situation.periods import Period
from trygg.situation.picture import (
    HOTSPOT_ALPHA,
    HOTSPOT_INFERENCE,
    Comparison,
    Picture,
    build_picture,
)
from trygg.situation.study_area import cell_polygon
from trygg.situation.wording import kind_of

SUPPRESS_BELOW = 5


def period_dict(period: Period) -> dict[str, Any]:
    return {
        "key": period.key,
        "kind": period.kind,
        "first_day": period.start.isoformat(),
        "last_day": period.last_day.isoformat(),
        "days": period.days,
    }


COMPARISON_FIELDS = fields(Comparison)


def _finite(value: float) -> float | None:
    """JSON has no infinity: an unbounded ratio or interval end is null."""
    return value if math.isfinite(value) else None


def comparison_dict(c: Comparison) -> dict[str, Any]:
    # Its fields are plain numbers and strings: a shallow copy is asdict's result, 5× faster.
    data = {f.name: getattr(c, f.name) for f in COMPARISON_FIELDS}
    for name in ("ratio", "ratio_low", "ratio_high"):
        data[name] = _finite(data[name])
    # The code of the one wording rule, so a client can show the page's words.
    data["mark"] = kind_of(c.flag, c.current / c.baseline_mean if c.baseline_mean else None).code
    return data


def _heading(picture: Picture) -> dict[str, Any]:
    """Whose picture of which period: what the members' and the public version both begin with."""
    return {
        "municipality": {
            "code": picture.municipality_code,
            "name": picture.municipality_name,
            "demo": picture.is_demo,
        },
        "period": period_dict(picture.period),
    }


def picture_dict(
    picture: Picture,
    *,
    assessment: str = "",
    measures: dict[str, Any] | None = None,
    police_events: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the lägesbild shows, as JSON-ready data (`measures`: measures.pages.slot_for;
    `police_events`: policeevents.pages.slot_for, context beside the partners' counts)."""
    return {
        **_heading(picture),
        "baseline_periods": [p.key for p in picture.baseline],
        "last_year_period": picture.last_year.key,
        "categories": list(picture.categories),
        "total": comparison_dict(picture.total),
        "groups": [
            {"code": g.code, "name": g.name, "colour": g.colour, **comparison_dict(g.comparison)}
            for g in picture.groups
        ],
        "areas": [
            {
                "id": a.area_id or None,
                "name": a.name,
                "total": comparison_dict(a.total),
                "groups": {code: comparison_dict(c) for code, c in a.cells.items()},
            }
            for a in picture.areas
        ],
        "rising": [asdict(r) | {"ratio": _finite(r.ratio)} for r in picture.rising],
        "trend": {"weeks": picture.trend_weeks, "groups": picture.trend},
        "time_of_week": {
            "matrix": picture.time_of_week,
            "events": picture.time_of_week_events,
        },
        "hotspots": {
            "tested": picture.hotspots_tested,
            "cell_m": picture.grid_cell_m,
            "inference": HOTSPOT_INFERENCE,
            "fdr_alpha": HOTSPOT_ALPHA,
            "cells": [asdict(h) for h in picture.hotspots],
        },
        "density": {"peak_per_km2_week": picture.density_peak, "cells": len(picture.density)},
        "assessment": assessment,
        "measures": measures,
        "police_events": police_events,
    }


def hotspot_features(picture: Picture) -> dict[str, Any]:
    """Significant Gi* cells as a GeoJSON FeatureCollection (WGS84)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [cell_polygon(h.x, h.y, h.size_m)]},
            "properties": {"z": h.z, "p": h.p, "level": h.level, "count": h.count},
        }
        for h in picture.hotspots
    ]
    return {"type": "FeatureCollection", "features": features}


def density_features(picture: Picture) -> dict[str, Any]:
    """Kernel density cells above 5 % of the peak, in events per km² per week."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [cell_polygon(x, y, size)]},
            "properties": {
                "density": value,
                "share_of_peak": round(value / picture.density_peak, 3),
            },
        }
        for x, y, size, value in picture.density
    ]
    return {"type": "FeatureCollection", "features": features}


def public_count(count: int) -> dict[str, Any]:
    """A count as the public may see it: 1–4 is only "suppressed", never a number."""
    if 0 < count < SUPPRESS_BELOW:
        return {"count": None, "suppressed": True}
    return {"count": count, "suppressed": False}


def public_total(counts: list[int]) -> dict[str, Any]:
    """The total over the named areas, exact only when no area is suppressed.

    An exact total beside a suppressed cell gives that cell by subtraction, so
    then only the range the table itself already implies is told: each
    suppressed area holds 1–4, so the total lies in [shown + k, shown + 4k].
    """
    hidden = sum(1 for c in counts if 0 < c < SUPPRESS_BELOW)
    shown = sum(c for c in counts if not 0 < c < SUPPRESS_BELOW)
    low, high = shown + hidden, shown + hidden * (SUPPRESS_BELOW - 1)
    exact = None if hidden else shown
    return {"count": exact, "suppressed": bool(hidden), "min": low, "max": high}


SWEDISH_LAST = str.maketrans({"å": "{0", "ä": "{1", "ö": "{2"})


def name_order(name: str) -> tuple[str, str]:
    """Swedish alphabetical order (å, ä, ö after z); ties broken by the exact name."""
    return (name.casefold().translate(SWEDISH_LAST), name)


def public_dict(picture: Picture) -> dict[str, Any]:
    """The public version: per area only, small counts suppressed, nothing else.

    Areas come in name order whatever their counts: sorted by count, each
    break in alphabetical order inside the suppressed block would mark a
    smaller count and give every hidden 1–4 back. The total is over the named
    areas only: reports outside every area have no row, so a municipality
    total would reveal their (maybe small) count by subtraction.
    """
    named = (a for a in picture.areas if a.area_id)
    areas = sorted(named, key=lambda a: (name_order(a.name), a.area_id))
    return {
        **_heading(picture),
        "total": public_total([a.total.current for a in areas]),
        "areas": [{"name": a.name, **public_count(a.total.current)} for a in areas],
    }


def public_version(municipality: Any, period: Period) -> dict[str, Any]:
    """The public numbers of `period` as they are now: what publishing would freeze."""
    return public_dict(build_picture(municipality, period, (), public_only=True))


def digest(snapshot: dict[str, Any]) -> str:
    """A short fingerprint of public numbers, so that what is published is what was previewed."""
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
