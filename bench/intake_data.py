"""A realistic intake world for the intake benchmarks, and report items to send it.

The geography comes from the demo's place list of Östersund
(trygg/demo/data/ostersund_demo_places.csv): one Voronoi cell per place,
clipped to a buffered outline and densified to ~50 m edges so the polygons
carry hundreds of vertices, as real district boundaries do; the two named
streets get small round areas with a higher priority that overlap their
districts. Descriptions are short Swedish phrases; some carry a phone number,
a personal identity number or a licence plate, so masking does real work.

Nothing here is timed; call `setup_world` after django.setup() and migrate.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "trygg" / "demo" / "data" / "ostersund_demo_places.csv"
OUTLINE_BUFFER_M = 3000.0
EDGE_M = 50.0  # densify polygon edges to this length: realistic vertex counts
STREET_RADIUS_M = 150.0
SPREAD_M = 600.0  # reports scatter around a place centre with this standard deviation

PHRASES = [
    "Klotter på fasaden vid entrén.",
    "Krossad ruta i trapphuset, glas över hela golvet.",
    "Grupp samlas i trapphuset varje kväll och röker, boende känner sig otrygga.",
    "Sönderslagen belysning vid gångvägen mellan husen.",
    "Buskörning på parkeringen sent på kvällen.",
    "Mycket skräp vid miljöstugan efter helgen.",
    "Mopeder på gång- och cykelvägen, nära skolan.",
    "Bråk mellan flera personer utanför krogen vid stängning.",
    "Noterat under rondering.",
    "Dumpade möbler vid garagen, har stått där sedan i fredags.",
]
# Share of items with a description, and of those with each kind of personal data.
TEXT_SHARE, PHONE_SHARE, PNR_SHARE, PLATE_SHARE = 0.4, 0.08, 0.02, 0.04


def _read_places() -> list[tuple[str, str, float, float]]:
    with PLACES.open(encoding="utf-8") as f:
        return [(r["name"], r["kind"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)]


def _to_wgs84_geojson(geometry: Any) -> dict[str, Any]:
    from trygg.geo.projection import to_wgs84

    def project(coords: np.ndarray) -> np.ndarray:
        lat, lon = to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return dict(mapping(shapely.transform(geometry, project)))


def build_geography() -> SimpleNamespace:
    """boundary (GeoJSON), areas [(name, priority, GeoJSON)], centres and outline in SWEREF."""
    from trygg.geo.projection import to_sweref

    places = _read_places()
    lat = np.array([p[2] for p in places])
    lon = np.array([p[3] for p in places])
    x, y = to_sweref(lat, lon)
    centres = shapely.points(x, y)
    outline = shapely.multipoints(centres).convex_hull.buffer(OUTLINE_BUFFER_M)
    districts = [i for i, p in enumerate(places) if p[1] != "hotspot_street"]
    cells = shapely.voronoi_polygons(shapely.multipoints(centres[districts]), extend_to=outline)
    areas = []
    for cell in shapely.get_parts(cells):
        i = next(i for i in districts if cell.contains(centres[i]))
        polygon = shapely.segmentize(cell.intersection(outline), EDGE_M)
        areas.append((places[i][0], 0, _to_wgs84_geojson(polygon)))
    for i, place in enumerate(places):
        if place[1] == "hotspot_street":
            circle = centres[i].buffer(STREET_RADIUS_M, quad_segs=16)
            areas.append((place[0], 10, _to_wgs84_geojson(circle)))
    boundary = _to_wgs84_geojson(shapely.segmentize(outline, EDGE_M))
    return SimpleNamespace(
        boundary=boundary, areas=areas, centres=np.column_stack([x, y]), outline=outline
    )


def setup_world() -> SimpleNamespace:
    """Municipality 2380 with its areas, one organisation and a reporter in it."""
    from django.contrib.auth.models import User

    from trygg.geo.models import Area
    from trygg.partners.models import Membership, Municipality, Organisation, Role

    geo = build_geography()
    municipality = Municipality.objects.create(code="2380", name="Östersund", boundary=geo.boundary)
    Area.objects.bulk_create(
        Area(municipality=municipality, name=name, priority=priority, geometry=geometry)
        for name, priority, geometry in geo.areas
    )
    organisation = Organisation.objects.create(
        municipality=municipality, name="Bostaden", kind=Organisation.Kind.PROPERTY_OWNER
    )
    user = User.objects.create_user("bench", password=None)
    Membership.objects.create(user=user, organisation=organisation, role=Role.REPORTER)
    return SimpleNamespace(
        municipality=municipality,
        organisation=organisation,
        user=user,
        centres=geo.centres,
        outline=geo.outline,
    )


def _points(rng: np.random.Generator, world: SimpleNamespace, n: int) -> np.ndarray:
    """(lat, lon) of n points scattered around the places, all inside the outline."""
    from trygg.geo.projection import to_wgs84

    # The outline is tested shrunk by a metre: intake refuses points outside it,
    # and one refused item would reject a whole batch.
    inner = world.outline.buffer(-1.0)
    chosen: list[np.ndarray] = []
    have = 0
    while have < n:
        which = rng.integers(0, len(world.centres), n)
        xy = world.centres[which] + rng.normal(0.0, SPREAD_M, (n, 2))
        keep = xy[shapely.contains_xy(inner, xy[:, 0], xy[:, 1])]
        chosen.append(keep)
        have += len(keep)
    xy = np.concatenate(chosen)[:n]
    lat, lon = to_wgs84(xy[:, 0], xy[:, 1])
    return np.column_stack([lat, lon])


def _description(rng: np.random.Generator) -> str:
    text = PHRASES[int(rng.integers(0, len(PHRASES)))]
    draw = rng.random()
    if draw < PHONE_SHARE:
        d = "".join(str(v) for v in rng.integers(0, 10, 7))
        text += f" Ring mig på 070-{d[:3]} {d[3:5]} {d[5:]} om ni vill veta mer."
    elif draw < PHONE_SHARE + PNR_SHARE:
        text += " Han som bor där heter något med 19850312-1234 enligt grannen."
    elif draw < PHONE_SHARE + PNR_SHARE + PLATE_SHARE:
        text += " Bilen hade reg.nr ABC 123 och stod på handikapplatsen."
    return text


def make_items(
    n: int, world: SimpleNamespace, *, now: datetime, seed: int = 2380, prefix: str = "bench"
) -> list[dict[str, Any]]:
    """Report items as the API hands them to the action (pydantic's model_dump, no Nones)."""
    from trygg.reports.models import Category

    rng = np.random.default_rng(seed)
    codes = list(
        Category.objects.filter(is_active=True)
        .exclude(code="all_calm")
        .values_list("code", flat=True)
    )
    points = _points(rng, world, n)
    # At least a day old, so an eight-hour window never ends in the future.
    ages = rng.uniform(86400.0, 300 * 86400.0, n)
    places = ["stairwell", "basement", "garage", "centre", "schoolyard", "park", "outdoors"]
    items = []
    for i in range(n):
        item: dict[str, Any] = {
            "category": codes[i % len(codes)],
            "lat": float(points[i, 0]),
            "lon": float(points[i, 1]),
            "occurred_at": now - timedelta(seconds=float(ages[i])),
            "client_id": f"{prefix}-{seed}-{i}",
        }
        if i % 7 == 0:
            item["occurred_to"] = item["occurred_at"] + timedelta(hours=8)
        if i % 3 == 0:
            item["place_type"] = places[i % len(places)]
            item["persons"] = int(i % 12)
        if rng.random() < TEXT_SHARE:
            item["description"] = _description(rng)
        items.append(item)
    return items
