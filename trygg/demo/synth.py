"""Synthetic demo reports: numpy sampling of time, place and details per stream.

Pure: places and streams in, plain report dicts (the intake's input shape)
out, grouped by organisation key. The same seed and `now` give the same
reports; each gets a client_id from its stream and index, so storing them
again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from trygg.demo.places import Place
from trygg.demo.rhythm import Clock
from trygg.demo.streams import HOME, STREAMS, Stream
from trygg.demo.texts import describe
from trygg.geo.projection import to_wgs84

DAYS = 730
# Spread of points around a place centre (metres, per axis): tight on the
# named streets, wide in the rural localities.
SPREAD_M = {"hotspot_street": 70.0, "locality": 500.0, "industrial": 350.0}
DEFAULT_SPREAD_M = 300.0
ALL_CALM_WEEKLY = 0.6  # chance an organisation checks in "all calm" in a given week
PARTNERSHIP_SHARE = 0.88  # the rest is shared with the own organisation only
# Of all reports, this share may also be counted in the public aggregate.
PUBLIC_SHARE = 0.6
DAMAGE_CODES = frozenset({"graffiti", "broken_glass", "property_damage", "stone_throwing", "arson"})
CROWD_CODES = frozenset({"gathering", "fight", "intoxication", "noise"})
PLACE_TYPES = ("stairwell", "basement", "garage", "centre", "schoolyard", "park", "outdoors")


@dataclass(frozen=True)
class Scene:
    """What sampling needs: the clock, the places and the municipality outline."""

    clock: Clock
    places: dict[str, Place]
    outline: BaseGeometry  # SWEREF 99 TM


def scene(places: dict[str, Place], outline: BaseGeometry, *, now: datetime, tz: tzinfo) -> Scene:
    return Scene(Clock.ending(now, days=DAYS, tz=tz), places, outline)


def stream_size(stream: Stream, total: int) -> int:
    incident_share = sum(s.share for s in STREAMS)
    return max(1, round(total * stream.share / incident_share))


def sample_hours(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(weights), size=n, p=weights / weights.sum())


def sample_points(
    rng: np.random.Generator, sc: Scene, names: list[str], n: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around the chosen places, all inside the outline (SWEREF)."""
    chosen = [sc.places[name] for name in names]
    centres = np.array([(p.x, p.y) for p in chosen])
    spread = np.array([SPREAD_M.get(p.kind, DEFAULT_SPREAD_M) for p in chosen])
    which = rng.choice(len(chosen), size=n, p=weights / weights.sum())
    x, y = np.empty(n), np.empty(n)
    todo = np.arange(n)
    # Rejection sampling: points outside the municipality would be refused by
    # intake. The outline is 3 km beyond every place, so a few rounds suffice.
    for _ in range(50):
        if not len(todo):
            break
        k = which[todo]
        x[todo] = centres[k, 0] + rng.normal(0.0, spread[k])
        y[todo] = centres[k, 1] + rng.normal(0.0, spread[k])
        todo = todo[~shapely.intersects_xy(sc.outline, x[todo], y[todo])]
    x[todo], y[todo] = centres[which[todo], 0], centres[which[todo], 1]
    return x, y


def _pick(rng: np.random.Generator, weighted: dict[str, float], n: int) -> np.ndarray:
    names = np.array(list(weighted))
    weights = np.array(list(weighted.values()), dtype=float)
    return names[rng.choice(len(names), size=n, p=weights / weights.sum())]


def stream_reports(
    rng: np.random.Generator, sc: Scene, stream: Stream, n: int
) -> list[dict[str, Any]]:
    """`n` reports of one stream, in the intake's input shape."""
    codes = _pick(rng, stream.categories, n)
    hours = sample_hours(rng, stream.when(sc.clock), n)
    times = sc.clock.datetimes(hours, rng.integers(0, 3600, n))
    overnight = rng.random(n) < stream.overnight
    # A night's damage is found on the morning round: a window from the evening before.
    night_seconds = rng.integers(9 * 3600, 14 * 3600, n)
    names = list(stream.where)
    x, y = sample_points(rng, sc, names, n, np.array(list(stream.where.values()), float))
    lat, lon = to_wgs84(x, y)
    items = []
    for i in range(n):
        item: dict[str, Any] = {
            "client_id": f"demo-{stream.name}-{i:05d}",
            "category": str(codes[i]),
            "lat": round(float(lat[i]), 6),
            "lon": round(float(lon[i]), 6),
            "occurred_at": times[i],
        }
        if overnight[i]:
            item["occurred_at"] = times[i] - timedelta(seconds=int(night_seconds[i]))
            item["occurred_to"] = times[i]
        items.append(item)
    add_details(rng, items, housing=stream.overnight > 0)
    return items


def add_details(rng: np.random.Generator, items: list[dict[str, Any]], *, housing: bool) -> None:
    """Sharing, persons, place type, assessment, damage cost and some free text."""
    n = len(items)
    shared = rng.random(n)
    persons = rng.integers(2, 15, n)
    place_type = rng.choice(len(PLACE_TYPES), size=n)
    assessment = rng.choice(3, size=n, p=[0.6, 0.15, 0.25])
    costs = np.round(rng.lognormal(8.0, 0.9, n), -2).astype(int)
    has_cost = rng.random(n) < 0.5
    to_police = rng.random(n) < 0.35
    texts = describe(rng, [item["category"] for item in items])
    for i, item in enumerate(items):
        code = item["category"]
        item["sharing"] = (
            "public"
            if shared[i] < PUBLIC_SHARE
            else "partnership"
            if shared[i] < PARTNERSHIP_SHARE
            else "organisation"
        )
        item["creates_insecurity"] = ("yes", "no", "unsure")[assessment[i]]
        if code in CROWD_CODES:
            item["persons"] = int(persons[i])
        if code == "gathering":
            item["place_type"] = PLACE_TYPES[place_type[i]]
        if housing and code in DAMAGE_CODES:
            item["reported_to_police"] = bool(to_police[i])
            if has_cost[i]:
                item["damage_cost_sek"] = int(costs[i])
        if texts[i]:
            item["description"] = texts[i]


def all_calm(rng: np.random.Generator, sc: Scene, org: str) -> list[dict[str, Any]]:
    """Weekly check-ins of one organisation on some weekday morning."""
    weeks = int(sc.clock.day[-1]) // 7
    kept = np.flatnonzero(rng.random(weeks) < ALL_CALM_WEEKLY)
    hours = kept * 7 * 24 + rng.integers(0, 5, len(kept)) * 24 + rng.integers(8, 15, len(kept))
    starts = (sc.clock.start.weekday() + hours // 24) % 7
    # The clock's weeks need not start on a Monday: move weekend check-ins to the Monday after.
    hours = hours + np.where(starts >= 5, (7 - starts) * 24, 0)
    times = sc.clock.datetimes(hours, rng.integers(0, 3600, len(kept)))
    place = sc.places[HOME[org]]
    lat, lon = to_wgs84(np.array([place.x]), np.array([place.y]))
    return [
        {
            "client_id": f"demo-all-calm-{org}-{week:03d}",
            "category": "all_calm",
            "lat": round(float(lat[0]), 6),
            "lon": round(float(lon[0]), 6),
            "occurred_at": when,
            "sharing": "partnership",
        }
        for week, when in zip(kept, times, strict=True)
    ]


def generate(sc: Scene, *, total: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """The demo's reports by organisation key: about `total` incidents plus check-ins."""
    # One generator per stream and per check-in series, so editing one stream
    # (or the total) leaves the others' reports, and their client_ids, as they were.
    rngs = iter(
        np.random.default_rng(s)
        for s in np.random.SeedSequence(seed).spawn(len(STREAMS) + len(HOME))
    )
    by_org: dict[str, list[dict[str, Any]]] = {org: [] for org in HOME}
    for stream in STREAMS:
        size = stream_size(stream, total)
        by_org[stream.org].extend(stream_reports(next(rngs), sc, stream, size))
    for org in HOME:
        by_org[org].extend(all_calm(next(rngs), sc, org))
    return by_org
