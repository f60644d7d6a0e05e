"""Binning of event points onto a regular square grid or onto H3 hexagons.

Coordinates for the square grid are SWEREF 99 TM metres (EPSG:3006); the H3
binning takes WGS84 latitude and longitude. No I/O, no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3  # type: ignore[import-untyped, unused-ignore]
import numpy as np
from h3.api import basic_int as h3_int  # type: ignore[import-untyped, unused-ignore]
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Grid:
    """A regular grid: `nx` columns east from `x0`, `ny` rows north from `y0`.

    Arrays on this grid have shape ``(ny, nx)``; row 0 is the southern edge.
    """

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int

    def __post_init__(self) -> None:
        if not (self.cell > 0 and self.nx >= 1 and self.ny >= 1):
            raise ValueError("a grid needs a positive cell size and at least one cell")

    @classmethod
    def from_extent(cls, xmin: float, ymin: float, xmax: float, ymax: float, cell: float) -> Grid:
        """The smallest grid of `cell`-metre cells anchored at (xmin, ymin) covering the extent."""
        nx = max(1, math.ceil((xmax - xmin) / cell))
        ny = max(1, math.ceil((ymax - ymin) / cell))
        return cls(x0=float(xmin), y0=float(ymin), cell=float(cell), nx=nx, ny=ny)

    @property
    def shape(self) -> tuple[int, int]:
        """(ny, nx), the shape of every array on this grid."""
        return (self.ny, self.nx)

    @property
    def cell_area_km2(self) -> float:
        """Area of one cell in square kilometres."""
        return self.cell * self.cell / 1e6

    def centres(self) -> tuple[FloatArray, FloatArray]:
        """Cell-centre x and y coordinates, each of shape (ny, nx)."""
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell
        ys = self.y0 + (np.arange(self.ny) + 0.5) * self.cell
        cx, cy = np.meshgrid(xs, ys)
        return cx, cy

    def locate(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.int64], BoolArray]:
        """Flat cell index of each point (row * nx + col) and whether it lies on the grid.

        Points off the grid get index 0 and ``False``; the right and top edges are
        open, so a point exactly on the far boundary is off the grid.
        """
        # Off-grid (and NaN) points are zeroed before the cast, so truncation acts as floor.
        u = (np.asarray(x, dtype=np.float64) - self.x0) / self.cell
        v = (np.asarray(y, dtype=np.float64) - self.y0) / self.cell
        inside = (u >= 0) & (u < self.nx) & (v >= 0) & (v < self.ny)
        u[~inside] = 0.0
        v[~inside] = 0.0
        flat = v.astype(np.int64) * self.nx + u.astype(np.int64)
        return flat, inside


@dataclass(frozen=True)
class GridCounts:
    """Event counts per cell.

    `counts` has shape ``grid.shape``; cells where `mask` is False lie outside the
    study area and hold 0, but they are *excluded*, not zero observations:
    downstream kernels ignore them. `dropped` counts points off the grid or in
    excluded cells.
    """

    grid: Grid
    counts: FloatArray
    mask: BoolArray
    dropped: int


def full_mask(grid: Grid) -> BoolArray:
    """A mask that keeps every cell of `grid`."""
    return np.ones(grid.shape, dtype=bool)


def bin_points(
    x: ArrayLike,
    y: ArrayLike,
    grid: Grid,
    *,
    mask: BoolArray | None = None,
    weights: ArrayLike | None = None,
) -> GridCounts:
    """Counts (or summed `weights`) of the points in each cell of `grid`."""
    keep = full_mask(grid) if mask is None else np.asarray(mask, dtype=bool)
    if keep.shape != grid.shape:
        raise ValueError(f"mask has shape {keep.shape}, grid has {grid.shape}")
    flat, inside = grid.locate(x, y)
    inside &= keep.ravel()[flat]
    w = None if weights is None else np.asarray(weights, dtype=np.float64)[inside]
    binned = np.bincount(flat[inside], weights=w, minlength=grid.nx * grid.ny)
    counts = binned.astype(np.float64).reshape(grid.shape)
    return GridCounts(grid=grid, counts=counts, mask=keep, dropped=int(inside.size - inside.sum()))


@dataclass(frozen=True)
class HexCounts:
    """Event counts per H3 cell: unique cell ids (sorted) and their counts."""

    resolution: int
    cells: NDArray[np.str_]
    counts: NDArray[np.int64]


def bin_h3(lat: ArrayLike, lon: ArrayLike, resolution: int) -> HexCounts:
    """Counts of WGS84 points per H3 cell at `resolution` (h3 v4 API), cells sorted.

    h3 has no vectorised call, so we call it once per *distinct* coordinate pair
    (incident data repeats addresses heavily) and through its integer API, which
    is faster than building strings; only the distinct cells become strings.
    """
    la = np.asarray(lat, dtype=np.float64).ravel()
    lo = np.asarray(lon, dtype=np.float64).ravel()
    if la.size == 0:
        return HexCounts(resolution, np.array([], dtype=np.str_), np.array([], dtype=np.int64))
    # A complex key sorts by latitude then longitude: a cheap way to find distinct pairs.
    places, per_place = np.unique(la + 1j * lo, return_counts=True)
    to_cell = h3_int.latlng_to_cell
    ids = np.fromiter(
        (
            to_cell(a, b, resolution)
            for a, b in zip(places.real.tolist(), places.imag.tolist(), strict=True)
        ),
        dtype=np.uint64,
        count=places.size,
    )
    cells, inverse = np.unique(ids, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=per_place, minlength=cells.size)
    names = np.array([h3.int_to_str(int(c)) for c in cells.tolist()], dtype=np.str_)
    # Hex strings of equal length sort as their integers do, so `names` is sorted too.
    return HexCounts(resolution, names, counts.astype(np.int64))
