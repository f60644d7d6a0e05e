"""Demo geography of Östersund, built from the hand-written place list.

The csv (data/ostersund_demo_places.csv, package data of the demo) holds
approximate centre points, not boundaries. From them we draw a demo municipality outline (the
convex hull of the places, buffered) and one Voronoi cell per district or
locality, clipped to the outline. The two streets named in public sources get
small round areas with a higher priority, so they win inside their district.
All of it is demo data: the polygons are not official boundaries.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from trygg.geo.projection import to_sweref, to_wgs84

PLACES_FILE = "ostersund_demo_places.csv"
OUTLINE_BUFFER_M = 3000.0
STREET_RADIUS_M = 150.0
STREET_PRIORITY = 10
STREET_KIND = "hotspot_street"
# Place kinds that become a district cell. Odenskog (industrial) is included
# so the business park is its own area instead of being split between neighbours.
CELL_KINDS = frozenset({"centrum", "residential", "locality", "industrial"})
AREA_KIND = {"hotspot_street": "street"}


class DemoDataMissing(Exception):
    """The place list is not where the package keeps it (a broken install)."""


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # as in the csv
    x: float  # SWEREF 99 TM easting, metres
    y: float  # northing

    @property
    def area_kind(self) -> str:
        return AREA_KIND.get(self.kind, self.kind)

    @property
    def is_street(self) -> bool:
        return self.kind == STREET_KIND


@dataclass(frozen=True)
class DemoArea:
    name: str
    kind: str
    priority: int
    geometry: dict[str, Any]  # GeoJSON, WGS84


@dataclass(frozen=True)
class DemoGeography:
    places: dict[str, Place]
    outline_sweref: BaseGeometry
    outline: dict[str, Any]  # GeoJSON, WGS84
    areas: list[DemoArea]


def data_dir() -> Path:
    """The demo's package data: it ships inside the installed package."""
    return Path(__file__).resolve().parent / "data"


def read_places(path: Path | None = None) -> dict[str, Place]:
    """The places of the csv by name, projected to SWEREF 99 TM."""
    path = path or data_dir() / PLACES_FILE
    if not path.is_file():
        raise DemoDataMissing(
            f"The demo needs {path.resolve()}, which ships with the package: "
            "reinstall Trygg (pip install -e .) to restore it."
        )
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    x, y = to_sweref(np.array([float(r["lat"]) for r in rows]), [float(r["lon"]) for r in rows])
    return {
        r["name"]: Place(r["name"], r["kind"], float(px), float(py))
        for r, px, py in zip(rows, x, y, strict=True)
    }


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A SWEREF 99 TM geometry as WGS84 GeoJSON, rounded to 6 decimals (~0.1 m)."""

    def project(coords: np.ndarray) -> np.ndarray:
        lat, lon = to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    wgs84 = shapely.set_precision(shapely.transform(geometry, project), 1e-6)
    # Through JSON so coordinates are lists, as read back from the database,
    # and a second run can see that nothing changed.
    return dict(json.loads(json.dumps(mapping(wgs84))))


def _cells(places: list[Place], outline: BaseGeometry) -> dict[str, BaseGeometry]:
    """Each place's Voronoi cell, clipped to the outline."""
    seeds = shapely.multipoints([(p.x, p.y) for p in places])
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=outline))
    result: dict[str, BaseGeometry] = {}
    for place in places:
        # voronoi_polygons does not promise the seeds' order: match by containment.
        point = shapely.Point(place.x, place.y)
        cell = next(c for c in cells if c.contains(point))
        result[place.name] = shapely.intersection(cell, outline)
    return result


def build_geography(places: dict[str, Place] | None = None) -> DemoGeography:
    """Outline and areas of demo Östersund."""
    places = places or read_places()
    points = shapely.multipoints([(p.x, p.y) for p in places.values()])
    outline = shapely.convex_hull(points).buffer(OUTLINE_BUFFER_M, quad_segs=8)
    districts = [p for p in places.values() if p.kind in CELL_KINDS]
    areas = [
        DemoArea(name, places[name].area_kind, 0, to_geojson(cell))
        for name, cell in _cells(districts, outline).items()
    ]
    for street in (p for p in places.values() if p.is_street):
        circle = shapely.Point(street.x, street.y).buffer(STREET_RADIUS_M, quad_segs=8)
        areas.append(DemoArea(street.name, street.area_kind, STREET_PRIORITY, to_geojson(circle)))
    return DemoGeography(places, outline, to_geojson(outline), areas)
