"""Near-repeat analysis: Knox tests of space-time interaction between events.

Two entry points, both taking event coordinates in metres (`xy`, shape (n, 2))
and event times in days (`t`, shape (n,), floats allowed):

- `near_repeat` builds the banded table of Ratcliffe's Near Repeat Calculator
  (NRC): a "same location" row, `spatial_bands` distance bands, a "beyond"
  row, and `temporal_bands` time-lag bands plus a "beyond" column, with the
  Monte Carlo expected counts, Knox ratios and p-values per cell.
- `knox_test` is the classic single-threshold Knox test (as pointpats' `Knox`).

Band convention (the NRC off-by-one, fixed). NRC labels its bands "1 to 100"
and "101 to 200" metres, "0 to 7" and "8 to 14" days, but bins right-open:
"1 to 100" holds (0, 100), "101 to 200" holds [100, 200), "0 to 7" holds lags
[0, 7) and "8 to 14" holds [7, 14). A pair 7 days apart is reported as "8 to
14 days" and short-lag effects look longer-lived than they are (Davies'
"Inconsistency with Near Repeat Calculator" notebook; Steenbeek's NearRepeat
vignette). Here bands are right-closed so that they hold what NRC's labels
say: same location d = 0, then (0, b], (b, 2b], …, and > k·b; lags [0, b],
(b, 2b], …, > k·b. `nrc_compat=True` switches to NRC's right-open bins, to
reproduce its tables; the labels always state the interval actually used.

Null model (as NRC): event times are exchangeable over the fixed locations.
Replicate r permutes the times with `rng.permutation(n)`, drawn in order, so a
caller holding the same generator can reproduce every replicate.

Speed: all pairs closer than the largest spatial band are found once with a
KD-tree; a replicate only re-bins their time lags (O(close pairs)). The beyond
row needs no pairs at all: the multiset of all pairwise lags does not change
under a permutation of times, so its counts are the all-pairs lag counts
(sorted times, O(n log n)) minus the near rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree  # type: ignore[import-untyped]
from scipy.stats import poisson  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Metric = Literal["euclidean", "manhattan"]
Rng = np.random.Generator | np.random.RandomState | int | None

# Relative slack on the KD-tree search radius: the tree computes distances its
# own way, so pairs on a band edge could be missed by a last-bit difference.
# Every pair is then classified by `_distances` alone.
_RADIUS_SLACK = 1e-9


@dataclass(frozen=True)
class NearRepeatTable:
    """An NRC-style Knox table. Every array has shape (rows, columns).

    Rows: "same location", the spatial bands, "beyond"; columns: the temporal
    bands, "beyond". `expected` is the mean count over the permutations,
    `knox_ratio` observed / expected (0 where both are 0, inf where only the
    expected count is 0), `p` = (#{replicates ≥ observed} + 1) / (R + 1).
    """

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    spatial_edges: tuple[float, ...]
    temporal_edges: tuple[float, ...]
    observed: IntArray
    expected: FloatArray
    knox_ratio: FloatArray
    p: FloatArray
    permutations: int
    n_events: int
    n_pairs: int
    nrc_compat: bool


@dataclass(frozen=True)
class KnoxResult:
    """The global Knox test at one distance `delta` and one lag `tau`.

    `observed` and `expected` are 2×2 tables [[close in both, close in space
    only], [close in time only, neither]] as in pointpats; `expected_close` =
    NS·NT/pairs; `p_poisson` = P(X ≥ observed) for X ~ Poisson(expected_close);
    `p_sim` = (#{replicates ≥ observed} + 1) / (R + 1).
    """

    close_pairs: int
    space_pairs: int
    time_pairs: int
    n_pairs: int
    observed: IntArray
    expected: FloatArray
    expected_close: float
    p_poisson: float
    p_sim: float
    permutations: int


def near_repeat(
    xy: npt.ArrayLike,
    t: npt.ArrayLike,
    *,
    spatial_bandwidth: float,
    spatial_bands: int,
    temporal_bandwidth: float,
    temporal_bands: int,
    permutations: int = 99,
    rng: Rng = None,
    metric: Metric = "euclidean",
    nrc_compat: bool = False,
) -> NearRepeatTable:
    """The NRC-style Knox table of event pairs by distance band and time-lag band.

    Returns a `NearRepeatTable` of shape (spatial_bands + 2, temporal_bands + 1).
    `rng` seeds the permutations (a Generator, a legacy RandomState, or a seed).
    """
    points, times = _check_events(xy, t)
    s_edges = _edges(spatial_bandwidth, spatial_bands)
    t_edges = _edges(temporal_bandwidth, temporal_bands)
    side: Side = "right" if nrc_compat else "left"
    pairs = _near_pairs(points, s_edges, side, temporal_bands + 1, metric)
    lag_totals = _lag_band_totals(times, t_edges, side)
    observed = _table(times, pairs, t_edges, side, lag_totals)
    sims = [
        _table(perm, pairs, t_edges, side, lag_totals)
        for perm in _shuffled(times, permutations, rng)
    ]
    expected, ratio, p = _monte_carlo(observed, sims, permutations)
    return NearRepeatTable(
        row_labels=_row_labels(s_edges, nrc_compat),
        column_labels=_column_labels(t_edges, nrc_compat),
        spatial_edges=tuple(float(e) for e in s_edges),
        temporal_edges=tuple(float(e) for e in t_edges),
        observed=observed,
        expected=expected,
        knox_ratio=ratio,
        p=p,
        permutations=permutations,
        n_events=len(times),
        n_pairs=len(times) * (len(times) - 1) // 2,
        nrc_compat=nrc_compat,
    )


def knox_test(
    xy: npt.ArrayLike,
    t: npt.ArrayLike,
    *,
    delta: float,
    tau: float,
    permutations: int = 99,
    rng: Rng = None,
    metric: Metric = "euclidean",
) -> KnoxResult:
    """The global Knox test: pairs within `delta` metres and `tau` days of each other.

    Both thresholds are inclusive (as pointpats). Returns a `KnoxResult`.
    """
    points, times = _check_events(xy, t)
    if not (delta >= 0 and tau >= 0):
        raise ValueError("delta and tau must be non-negative")
    i, j, d = _close_pairs(points, delta, metric)
    i, j = i[d <= delta], j[d <= delta]
    n_pairs = len(times) * (len(times) - 1) // 2
    ns, nt = len(i), _pairs_within(np.sort(times), tau, closed=True)
    nst = int(np.count_nonzero(np.abs(times[i] - times[j]) <= tau))
    sims = np.array(
        [np.count_nonzero(np.abs(p[i] - p[j]) <= tau) for p in _shuffled(times, permutations, rng)],
        dtype=np.int64,
    )
    expected_close = ns * nt / n_pairs if n_pairs else 0.0
    observed = np.array([[nst, ns - nst], [nt - nst, n_pairs - ns - nt + nst]], dtype=np.int64)
    e_space, e_time = ns - expected_close, nt - expected_close
    expected = np.array([[expected_close, e_space], [e_time, n_pairs - ns - e_time]])
    return KnoxResult(
        close_pairs=nst,
        space_pairs=ns,
        time_pairs=nt,
        n_pairs=n_pairs,
        observed=observed,
        expected=expected,
        expected_close=expected_close,
        p_poisson=_poisson_at_least(nst, expected_close),
        p_sim=float((np.count_nonzero(sims >= nst) + 1) / (permutations + 1)),
        permutations=permutations,
    )


Side = Literal["left", "right"]


@dataclass(frozen=True)
class _NearPairs:
    """Pairs closer than the last spatial edge, with the flat index of their row."""

    i: npt.NDArray[np.intp]
    j: npt.NDArray[np.intp]
    cell_base: npt.NDArray[np.intp]  # row * n_columns; a pair's cell is this + its column
    n_rows: int
    n_columns: int


def _check_events(xy: npt.ArrayLike, t: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    points = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    times = np.asarray(t, dtype=np.float64).reshape(-1)
    if len(points) != len(times):
        raise ValueError(f"{len(points)} coordinates but {len(times)} times")
    if not (np.isfinite(points).all() and np.isfinite(times).all()):
        raise ValueError("coordinates and times must be finite")
    return points, times


def _edges(bandwidth: float, bands: int) -> FloatArray:
    if not (np.isfinite(bandwidth) and bandwidth > 0) or bands < 1:
        raise ValueError("bandwidths must be positive and band counts at least 1")
    return bandwidth * np.arange(1, bands + 1, dtype=np.float64)


def _distances(
    points: FloatArray, i: npt.NDArray[np.intp], j: npt.NDArray[np.intp], metric: Metric
) -> FloatArray:
    """Pair distances by one fixed formula, so that band edges are decided identically
    here, in the tests' naive loops and in any reimplementation."""
    dx: FloatArray = points[i, 0] - points[j, 0]
    dy: FloatArray = points[i, 1] - points[j, 1]
    if metric == "manhattan":
        manhattan: FloatArray = np.abs(dx) + np.abs(dy)
        return manhattan
    euclidean: FloatArray = np.sqrt(dx * dx + dy * dy)
    return euclidean


def _close_pairs(
    points: FloatArray, radius: float, metric: Metric
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]:
    """Index pairs (i < j) at most about `radius` apart, and their distances."""
    if len(points) < 2:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0)
    p = 1.0 if metric == "manhattan" else 2.0
    found = cKDTree(points).query_pairs(radius * (1 + _RADIUS_SLACK), p=p, output_type="ndarray")
    i, j = found[:, 0].astype(np.intp), found[:, 1].astype(np.intp)
    return i, j, _distances(points, i, j, metric)


def _near_pairs(
    points: FloatArray, s_edges: FloatArray, side: Side, n_columns: int, metric: Metric
) -> _NearPairs:
    i, j, d = _close_pairs(points, float(s_edges[-1]), metric)
    # Row 0 is "same location", rows 1..k the bands, row k + 1 "beyond".
    rows = np.searchsorted(s_edges, d, side=side) + 1
    rows[d == 0] = 0
    near = rows <= len(s_edges)
    base = (rows[near] * n_columns).astype(np.intp)
    return _NearPairs(i[near], j[near], base, len(s_edges) + 1, n_columns)


def _table(
    times: FloatArray, pairs: _NearPairs, t_edges: FloatArray, side: Side, lag_totals: IntArray
) -> IntArray:
    """The full table for one assignment of times to locations."""
    lags = np.abs(times[pairs.i] - times[pairs.j])
    cells = pairs.cell_base + np.searchsorted(t_edges, lags, side=side)
    size = pairs.n_rows * pairs.n_columns
    near = np.bincount(cells, minlength=size).reshape(pairs.n_rows, pairs.n_columns)
    beyond = lag_totals - near.sum(axis=0)
    return np.vstack([near, beyond[None, :]]).astype(np.int64)


def _lag_band_totals(times: FloatArray, t_edges: FloatArray, side: Side) -> IntArray:
    """Number of all pairs per time-lag band (the last entry: beyond the last edge)."""
    ordered = np.sort(times)
    closed = side == "left"
    within = [_pairs_within(ordered, float(e), closed) for e in t_edges]
    n = len(times)
    cumulative = np.array([*within, n * (n - 1) // 2], dtype=np.int64)
    return np.diff(cumulative, prepend=0)


def _pairs_within(ordered: FloatArray, lag: float, closed: bool) -> int:
    """Number of pairs of sorted times whose difference is ≤ `lag` (< if not closed).

    The difference is computed as the later minus the earlier time, exactly as
    `_table` does, so the two always agree on a pair that sits on an edge.
    """
    n = len(ordered)
    first = np.arange(n) + 1
    side: Side = "right" if closed else "left"
    stop = np.maximum(np.searchsorted(ordered, ordered + lag, side=side), first)
    # searchsorted compared t_j with fl(t_i + lag), not fl(t_j - t_i) with lag;
    # the two can differ in the last bit, so move each stop to the exact edge.
    # The predicate is monotone in j, so this ends after a step or two.
    while True:
        last_in = ordered[stop - 1] - ordered
        back = (stop > first) & ~_inside(last_in, lag, closed)
        next_in = ordered[np.minimum(stop, n - 1)] - ordered
        forward = (stop < n) & _inside(next_in, lag, closed)
        if not (back.any() or forward.any()):
            return int((stop - first).sum())
        stop = stop - back + forward


def _inside(lags: FloatArray, lag: float, closed: bool) -> npt.NDArray[np.bool_]:
    return lags <= lag if closed else lags < lag


def _shuffled(times: FloatArray, permutations: int, rng: Rng) -> list[FloatArray]:
    """The permuted time arrays: replicate r is `times[rng.permutation(n)]`."""
    if permutations < 0:
        raise ValueError("permutations must be non-negative")
    if isinstance(rng, np.random.Generator | np.random.RandomState):
        gen: np.random.Generator | np.random.RandomState = rng
    else:
        gen = np.random.default_rng(rng)
    return [times[gen.permutation(len(times))] for _ in range(permutations)]


def _monte_carlo(
    observed: IntArray, sims: list[IntArray], permutations: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean expected table, Knox ratio and rank p-value per cell."""
    stack = np.array(sims, dtype=np.int64).reshape(permutations, *observed.shape)
    expected = stack.mean(axis=0) if permutations else np.zeros(observed.shape)
    at_least = (stack >= observed).sum(axis=0)
    p = (at_least + 1) / (permutations + 1)
    # Where no replicate had a pair in a cell the ratio has no finite value:
    # 0 if the cell is empty too, inf if observed pairs beat every replicate.
    fallback = np.where(observed > 0, np.inf, 0.0)
    ratio = np.divide(observed, expected, out=fallback, where=expected > 0)
    return expected, ratio, p.astype(np.float64)


def _poisson_at_least(k: int, mean: float) -> float:
    """P(X ≥ k) for X ~ Poisson(mean); pointpats reports P(X > k) instead."""
    if mean <= 0:
        return 1.0 if k <= 0 else 0.0
    return float(poisson.sf(k - 1, mean))


def _row_labels(edges: FloatArray, nrc_compat: bool) -> tuple[str, ...]:
    lows = [0.0, *edges[:-1]]
    if nrc_compat:
        bands = [f"[{a:g}, {b:g}) m" for a, b in zip(lows, edges, strict=True)]
        bands[0] = f"(0, {edges[0]:g}) m"
        return ("same location", *bands, f"≥ {edges[-1]:g} m")
    bands = [f"({a:g}, {b:g}] m" for a, b in zip(lows, edges, strict=True)]
    return ("same location", *bands, f"> {edges[-1]:g} m")


def _column_labels(edges: FloatArray, nrc_compat: bool) -> tuple[str, ...]:
    lows = [0.0, *edges[:-1]]
    if nrc_compat:
        bands = [f"[{a:g}, {b:g}) d" for a, b in zip(lows, edges, strict=True)]
        return (*bands, f"≥ {edges[-1]:g} d")
    bands = [f"({a:g}, {b:g}] d" for a, b in zip(lows, edges, strict=True)]
    bands[0] = f"[0, {edges[0]:g}] d"
    return (*bands, f"> {edges[-1]:g} d")
