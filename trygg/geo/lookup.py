"""Point-in-area lookup: which area, and whether inside the municipality.

An index is built once per municipality from its areas (in SWEREF 99 TM) and
reused until an area changes. Points on a boundary count as inside (so a
point on the edge between two areas is never left without one); where areas
overlap, the one with the highest priority, then the lowest id, wins.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from trygg.geo.projection import to_sweref


def geometry_to_sweref(geojson: dict[str, Any]) -> BaseGeometry:
    """A GeoJSON geometry (WGS84 lon/lat) as a shapely geometry in SWEREF 99 TM."""
    geometry = shape(geojson)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = to_sweref(coords[:, 1], coords[:, 0])
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


@dataclass(frozen=True)
class AreaIndex:
    area_ids: np.ndarray  # ordered by preference: priority desc, then id
    tree: shapely.STRtree
    boundary: BaseGeometry | None

    @classmethod
    def build(
        cls, areas: list[tuple[int, int, dict[str, Any]]], boundary: dict[str, Any] | None
    ) -> AreaIndex:
        """From (id, priority, GeoJSON) triples and the municipality boundary."""
        ordered = sorted(areas, key=lambda a: (-a[1], a[0]))
        geometries = [geometry_to_sweref(g) for _, _, g in ordered]
        for geometry in geometries:
            shapely.prepare(geometry)
        outline = geometry_to_sweref(boundary) if boundary else None
        if outline is not None:
            shapely.prepare(outline)
        return cls(
            area_ids=np.array([a[0] for a in ordered], dtype=np.int64),
            tree=shapely.STRtree(geometries),
            boundary=outline,
        )

    def areas_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The area id of each point, or 0 where no area covers it."""
        result = np.zeros(len(x), dtype=np.int64)
        if len(x) == 0 or len(self.area_ids) == 0:
            return result
        x, y = np.asarray(x, float), np.asarray(y, float)
        point_idx, geom_idx = self.tree.query(shapely.points(x, y))
        # The exact test is done per area on its prepared polygon: a `predicate=`
        # in the query prepares only the query points, and testing a point against
        # an unprepared district of hundreds of vertices costs ~5× more.
        hit = np.zeros(len(point_idx), dtype=bool)
        for g in np.unique(geom_idx):
            pairs = np.flatnonzero(geom_idx == g)
            hit[pairs] = shapely.intersects_xy(
                self.tree.geometries[g], x[point_idx[pairs]], y[point_idx[pairs]]
            )
        point_idx, geom_idx = point_idx[hit], geom_idx[hit]
        # Keep, for each point, the preferred (lowest-index) geometry.
        best = np.full(len(x), len(self.area_ids), dtype=np.int64)
        np.minimum.at(best, point_idx, geom_idx)
        found = best < len(self.area_ids)
        result[found] = self.area_ids[best[found]]
        return result

    def inside_municipality(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """True where a point lies in or on the municipality boundary (all True if none)."""
        if self.boundary is None:
            return np.ones(len(x), dtype=bool)
        return shapely.intersects_xy(self.boundary, np.asarray(x, float), np.asarray(y, float))


_lock = threading.Lock()
_cache: dict[int, tuple[tuple[Any, ...], AreaIndex]] = {}


def areas_stamp(municipality: Any) -> tuple[int, Any]:
    """How many areas the municipality has, and when one last changed.

    Caches of anything drawn from the areas key on it: one small aggregate, no polygon read.
    """
    from django.db.models import Count, Max

    from trygg.geo.models import Area

    row = Area.objects.filter(municipality=municipality).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    return row["n"], row["latest"]


def area_index(municipality: Any) -> AreaIndex:
    """The cached index for a Municipality model instance, rebuilt when areas change."""
    from trygg.geo.models import Area

    stamp = (*areas_stamp(municipality), municipality.updated_at)
    with _lock:
        hit = _cache.get(municipality.pk)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    rows = Area.objects.filter(municipality=municipality).values_list("id", "priority", "geometry")
    index = AreaIndex.build([tuple(r) for r in rows], municipality.boundary)
    with _lock:
        _cache[municipality.pk] = (stamp, index)
    return index
