"""WGS84 (EPSG:4326) ⇄ SWEREF 99 TM (EPSG:3006), vectorised."""

from __future__ import annotations

from functools import cache

import numpy as np
from pyproj import Transformer


@cache
def _to_sweref() -> Transformer:
    # always_xy: lon, lat in; easting (x), northing (y) out, in metres.
    return Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def to_sweref(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Easting and northing in metres for arrays of latitudes and longitudes."""
    x, y = _to_sweref().transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)


def to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes for arrays of SWEREF 99 TM eastings and northings."""
    lon, lat = _to_wgs84().transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lat), np.asarray(lon)
