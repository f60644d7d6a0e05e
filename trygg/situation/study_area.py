"""The analysis grid of a municipality: its extent in SWEREF 99 TM and the cells inside it."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from trygg.analysis.grid import Grid
from trygg.geo.lookup import geometry_to_sweref
from trygg.geo.projection import to_wgs84

# Cells of at least this size; larger where the municipality is large, so the
# grid stays near MAX_CELLS_PER_SIDE cells a side and the statistics stay fast.
MIN_CELL_M = 250.0
MAX_CELLS_PER_SIDE = 120


@dataclass(frozen=True)
class StudyArea:
    grid: Grid
    mask: np.ndarray  # True for cells whose centre lies in the municipality


_lock = threading.Lock()
_cache: dict[tuple[int, Any], StudyArea] = {}


def study_area(municipality: Any) -> StudyArea:
    """The grid over the municipality boundary (or its areas' extent when it has none)."""
    key = (municipality.pk, municipality.updated_at)
    with _lock:
        if key in _cache:
            return _cache[key]
    outline = _outline(municipality)
    xmin, ymin, xmax, ymax = outline.bounds
    side = max(xmax - xmin, ymax - ymin)
    cell = max(MIN_CELL_M, math.ceil(side / MAX_CELLS_PER_SIDE / 50) * 50)
    grid = Grid.from_extent(xmin, ymin, xmax, ymax, cell)
    cx, cy = grid.centres()
    mask = shapely.intersects_xy(outline, cx, cy)
    study = StudyArea(grid=grid, mask=np.asarray(mask, dtype=bool))
    with _lock:
        _cache[key] = study
    return study


def _outline(municipality: Any) -> Any:
    if municipality.boundary:
        return geometry_to_sweref(municipality.boundary)
    shapes = [geometry_to_sweref(g) for g in municipality.areas.values_list("geometry", flat=True)]
    if not shapes:
        # Nothing to draw a grid on: a 1 km square at the national grid's origin.
        return shapely.box(500_000, 6_500_000, 501_000, 6_501_000)
    return shapely.union_all(shapes)


def cell_polygon(x: float, y: float, size: float) -> list[list[float]]:
    """A SWEREF square (south-west corner x, y) as a closed WGS84 [lon, lat] ring."""
    xs = np.array([x, x + size, x + size, x, x])
    ys = np.array([y, y, y + size, y + size, y])
    lat, lon = to_wgs84(xs, ys)
    return [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]
