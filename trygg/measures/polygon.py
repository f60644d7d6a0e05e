"""A measure's treated-area polygon: read from what a person typed, and checked.

A coordinator draws the polygon on the map or types it (GeoJSON, or one
"lat, lon" corner a line, which works without a pointer). What is stored is
a GeoJSON Polygon in WGS84 lon/lat, one closed ring, coordinates rounded to
6 decimals (about 10 cm). The rules (`checked`) are the actions'; reading
text (`parse_text`) is the form's.
"""

from __future__ import annotations

import json
import math
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import Polygon

from trygg.geo.lookup import geometry_to_sweref
from trygg.partners.models import Municipality

# GeoJSON counts the first corner twice (the ring is closed), so 4 positions
# are a triangle. 200 is far more than a hand-drawn block needs, and keeps the
# polygon small enough to travel with every saved evaluation.
MIN_POSITIONS = 4
MAX_POSITIONS = 200
# A treated area is a street, a square, a block or a neighbourhood; a polygon
# larger than this is a mistake (lat and lon swapped, a stray corner).
MAX_AREA_KM2 = 100.0
DECIMALS = 6


class PolygonProblem(ValueError):
    """Why a polygon cannot be a measure's treated area, in the reader's language."""


def checked(polygon: Any, municipality: Municipality) -> dict[str, Any]:
    """The polygon as stored (rounded, 2D), or PolygonProblem saying what is wrong."""
    ring = _ring_of(polygon)
    if ring[0] != ring[-1]:
        raise PolygonProblem(_("The polygon is not closed: the last corner must repeat the first."))
    if not MIN_POSITIONS <= len(ring) <= MAX_POSITIONS:
        raise PolygonProblem(
            _("A polygon has from %(min)d to %(max)d corners.")
            % {"min": MIN_POSITIONS - 1, "max": MAX_POSITIONS - 1}
        )
    try:
        valid = Polygon(ring).is_valid
    except (GEOSException, ValueError):
        valid = False
    if not valid:
        raise PolygonProblem(_("The polygon's edges cross each other or it has no area."))
    stored = {"type": "Polygon", "coordinates": [ring]}
    _check_place(geometry_to_sweref(stored), municipality)
    return stored


def _ring_of(polygon: Any) -> list[list[float]]:
    """The one ring of a GeoJSON Polygon as [lon, lat] pairs, rounded; the shape checked."""
    if not isinstance(polygon, dict) or polygon.get("type") != "Polygon":
        raise PolygonProblem(_("The treated area must be one polygon (GeoJSON type Polygon)."))
    rings = polygon.get("coordinates")
    if not isinstance(rings, list) or len(rings) != 1 or not isinstance(rings[0], list):
        raise PolygonProblem(_("The polygon must have exactly one outline and no holes."))
    ring = []
    for position in rings[0]:
        if not isinstance(position, list | tuple) or len(position) not in (2, 3):
            raise PolygonProblem(_("Every corner needs a longitude and a latitude."))
        lon, lat = (_degrees(v) for v in position[:2])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise PolygonProblem(_("The corners must be in degrees of latitude and longitude."))
        ring.append([round(lon, DECIMALS), round(lat, DECIMALS)])
    if not ring:
        raise PolygonProblem(_("The polygon has no corners."))
    return ring


def _degrees(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PolygonProblem(_("Every corner needs a longitude and a latitude."))
    return float(value)


def _check_place(shape: Any, municipality: Municipality) -> None:
    """Inside or overlapping the municipality, and not larger than a treated area can be."""
    outline = outline_of(municipality)
    if not outline.is_empty and not shape.intersects(outline):
        raise PolygonProblem(_("The polygon lies outside the municipality."))
    if shape.area / 1e6 > MAX_AREA_KM2:
        raise PolygonProblem(
            _("The polygon covers more than %(km2)d km²: draw the treated area itself.")
            % {"km2": MAX_AREA_KM2}
        )


def outline_of(municipality: Municipality) -> Any:
    """The municipality in SWEREF 99 TM: its boundary, or the union of its areas without one."""
    boundary = Municipality.objects.filter(pk=municipality.pk).values_list("boundary", flat=True)
    outline = boundary.first()
    if outline:
        return geometry_to_sweref(outline)
    shapes = municipality.areas.values_list("geometry", flat=True)
    return shapely.union_all([geometry_to_sweref(g) for g in shapes])


def parse_text(text: str) -> dict[str, Any] | None:
    """A GeoJSON Polygon (or a Feature of one), or "lat, lon" lines, as a Polygon; None if empty.

    Lines list the corners; the ring is closed here, so the first need not be
    repeated. Only the shape of the text is read: `checked` judges the polygon.
    """
    text = text.strip()
    if not text:
        return None
    if text.startswith("{"):
        return _parse_geojson(text)
    ring = [_corner(line) for line in text.splitlines() if line.strip()]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _parse_geojson(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise PolygonProblem(_("The text is not valid GeoJSON.")) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        data = features[0] if len(features) == 1 else None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict):
        raise PolygonProblem(_("The treated area must be one polygon (GeoJSON type Polygon)."))
    return data


def _corner(line: str) -> list[float]:
    """One "lat, lon" line as [lon, lat]. Decimal commas work: "63,16; 14,61" or "63,16 14,61"."""
    line = line.strip()
    if ";" in line:
        parts = line.split(";")
    elif len(line.split()) == 2:
        parts = line.split()
    else:
        parts = line.split(",")
    try:
        lat, lon = (float(p.strip().rstrip(",").replace(",", ".")) for p in parts)
    except ValueError:
        raise PolygonProblem(
            _("Write one corner a line: latitude, longitude (“%(line)s” is not).")
            % {"line": line[:40]}
        ) from None
    return [lon, lat]


def as_lines(polygon: dict[str, Any] | None) -> str:
    """The stored polygon as the form's "lat, lon" lines, without the repeated first corner."""
    if not polygon:
        return ""
    ring = polygon["coordinates"][0][:-1]
    return "\n".join(f"{lat:.6f}, {lon:.6f}" for lon, lat in ring)
