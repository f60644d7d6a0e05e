"""Emerging clusters: Kulldorff's prospective space-time permutation scan statistic.

Kulldorff et al. 2005 (PLoS Med 2(3):e59), the model SaTScan calls "space-time
permutation". Counts per (cell, day) in, clusters out; no population needed.

- Candidate cylinders: a circle around each cell's centroid, grown through its
  nearest cells, times a window of the last 1..L days (prospective: every
  window ends on the last day). A circle never splits cells at equal distance
  from its centre (it is a circle of a radius, as in SaTScan), holds at most
  `max_neighbours` cells and at most `max_fraction` of all cases.
- Expected count of a cylinder A: μ_A = (cases in the circle over all days) ×
  (cases in all cells on the window's days) / C.
- Statistic: the Poisson generalised likelihood ratio for c_A > μ_A,
  LLR = c log(c/μ) + (C − c) log((C − c)/(C − μ)), 0 otherwise.
- Inference: R replicates that shuffle the day labels of the individual cases
  (keeping every cell's and every day's total); p = (#{replicate max ≥ LLR} + 1)
  / (R + 1), for secondary clusters too (SaTScan's conservative rule).
- Recurrence interval: in a prospective analysis repeated every day, a cluster
  this strong arises by chance once every 1/p analyses, so RI = 1/p days (SaTScan
  reports the same, in days or years, for daily analyses). With R = 999 the
  smallest p is 0.001 and the largest RI 1,000 days.

Speed: because the permutation keeps both margins, every cylinder's μ is the
same in all replicates, so μ, log μ and log(C − μ) are computed once. A
replicate then needs the observed counts only: a reverse cumulative sum over
the last L days per cell, a cumulative sum along each centre's neighbour order,
and LLR = T[c] − c·α − β with T[c] = c log c + (C − c) log(C − c) a lookup table
and α, β fixed per cylinder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Rng = np.random.Generator | int | None


@dataclass(frozen=True)
class SpaceTimeCluster:
    """One cylinder: cells within `radius_m` of cell `centre`, days start_day..end_day.

    Days are column indices of the counts array (end_day is always the last).
    `p` and `recurrence_interval_days` come from the Monte Carlo replicates.
    """

    centre: int
    centre_xy: tuple[float, float]
    radius_m: float
    cells: tuple[int, ...]
    start_day: int
    end_day: int
    observed: int
    expected: float
    llr: float
    p: float
    recurrence_interval_days: float


@dataclass(frozen=True)
class ScanResult:
    """The most likely cluster first, then secondary clusters sharing no cell with it
    or with each other, by decreasing LLR; `replicate_max_llr` is the null sample."""

    clusters: tuple[SpaceTimeCluster, ...]
    total_cases: int
    max_days: int
    replicates: int
    replicate_max_llr: FloatArray


@dataclass(frozen=True)
class _Rank:
    """The valid circles through the k-th nearest cell: their centres and, per
    (centre, window length), μ and the LLR coefficients α = log μ − log(C − μ)
    and β = C · log(C − μ). Arrays have shape (len(centres), L)."""

    k: int
    centres: npt.NDArray[np.intp]
    mu: FloatArray
    alpha: FloatArray
    beta: FloatArray


@dataclass(frozen=True)
class _Cylinders:
    """Everything about the candidate cylinders that the permutations do not change.

    `mu` has shape (K, n_centres, L): neighbour rank k, centre, window length
    l + 1; it is inf for cylinders that are not candidates. On a grid most
    ranks split a distance tie, so only the valid ones are kept in `ranks`.
    """

    neighbours: npt.NDArray[np.intp]  # (n_centres, K), nearest first (itself)
    radius: FloatArray  # (n_centres, K)
    mu: FloatArray
    ranks: tuple[_Rank, ...]
    table: FloatArray  # T[c] = c log c + (C − c) log(C − c), c = 0..C


def space_time_scan(
    counts: npt.ArrayLike,
    coords: npt.ArrayLike,
    *,
    max_fraction: float = 0.5,
    max_neighbours: int = 30,
    max_radius: float | None = None,
    max_days: int | None = None,
    replicates: int = 999,
    rng: Rng = None,
    max_clusters: int = 5,
) -> ScanResult:
    """Scan `counts` (cells × days) for clusters emerging up to the last day.

    `coords` are the cells' centroids in metres; `max_days` defaults to half the
    days (SaTScan's default maximum temporal size). Returns a `ScanResult`; with
    no cases, or no cylinder above its expectation, `clusters` is empty.
    """
    matrix, points = _check_input(counts, coords)
    n_days = matrix.shape[1]
    window = max(1, n_days // 2) if max_days is None else min(max_days, n_days)
    total = int(matrix.sum())
    if total == 0 or window < 1:
        return ScanResult((), total, window, replicates, np.zeros(replicates))
    cyl = _cylinders(matrix, points, window, max_fraction, max_neighbours, max_radius)
    llr, observed = _observed_llr(_recent(matrix, window), cyl)
    generator = np.random.default_rng(rng)
    null = np.array(
        [_max_llr(recent, cyl) for recent in _replicates(matrix, window, replicates, generator)]
    )
    clusters = _pick_clusters(llr, observed, cyl, points, n_days, null, max_clusters)
    return ScanResult(tuple(clusters), total, window, replicates, null)


def _check_input(counts: npt.ArrayLike, coords: npt.ArrayLike) -> tuple[IntArray, FloatArray]:
    matrix = np.asarray(counts)
    if matrix.ndim != 2:
        raise ValueError("counts must be a 2-D array of cells × days")
    if matrix.size and (matrix.min() < 0 or not np.array_equal(matrix, np.round(matrix))):
        raise ValueError("counts must be non-negative whole numbers")
    points = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
    if len(points) != matrix.shape[0]:
        raise ValueError(f"{matrix.shape[0]} cells in counts but {len(points)} centroids")
    if not np.isfinite(points).all():
        raise ValueError("centroids must be finite")
    return matrix.astype(np.int64), points


def _recent(matrix: IntArray, window: int) -> IntArray:
    """Cases per cell in the last 1..window days: shape (cells, window)."""
    recent: IntArray = np.cumsum(matrix[:, ::-1][:, :window], axis=1)
    return recent


def _circles(
    points: FloatArray, max_neighbours: int
) -> tuple[npt.NDArray[np.intp], FloatArray, npt.NDArray[np.bool_]]:
    """Each cell's nearest cells (itself first), their distances, and whether the
    circle through the k-th one is a true circle (does not split a distance tie)."""
    k = min(max_neighbours, len(points))
    # One more neighbour than used, to see whether the last circle splits a tie.
    reach = min(k + 1, len(points))
    dist, idx = cKDTree(points).query(points, k=reach)
    dist, idx = dist.reshape(len(points), reach), idx.reshape(len(points), reach)
    # Put the centre first even if another cell shares its centroid.
    rows = np.arange(len(points))
    is_own = idx == rows[:, None]
    # (Only if more than `reach` cells share its centroid is it missing; then
    # all distances are 0 and any slot will do.)
    own = np.where(is_own.any(axis=1), np.argmax(is_own, axis=1), reach - 1)
    idx[rows, own], idx[rows, 0] = idx[rows, 0], rows
    closed = np.ones((len(points), k), dtype=bool)
    if reach > k:
        closed = dist[:, :k] < dist[:, 1 : k + 1]
    else:
        closed[:, :-1] = dist[:, : k - 1] < dist[:, 1:k]
    return idx[:, :k].astype(np.intp), dist[:, :k], closed


def _cylinders(
    matrix: IntArray,
    points: FloatArray,
    window: int,
    max_fraction: float,
    max_neighbours: int,
    max_radius: float | None,
) -> _Cylinders:
    total = int(matrix.sum())
    neighbours, radius, valid = _circles(points, max_neighbours)
    in_circle = np.cumsum(matrix.sum(axis=1)[neighbours], axis=1)  # (centres, K)
    valid &= in_circle <= max_fraction * total
    if max_radius is not None:
        valid &= radius <= max_radius
    on_days = np.cumsum(matrix.sum(axis=0)[::-1][:window])  # (L,)
    mu = in_circle.T[:, :, None] * on_days[None, None, :] / total  # (K, centres, L)
    # μ = 0 means the cylinder can never hold a case in any replicate either.
    usable = valid.T[:, :, None] & (mu > 0) & (mu < total)
    mu = np.where(usable, mu, np.inf)
    ranks = tuple(_rank(k, mu[k], total) for k in range(len(mu)) if usable[k].any())
    c = np.arange(total + 1, dtype=np.float64)
    table = _xlogx(c) + _xlogx(total - c)
    return _Cylinders(neighbours, radius, mu, ranks, table)


def _rank(k: int, mu: FloatArray, total: int) -> _Rank:
    centres = np.flatnonzero(np.isfinite(mu).any(axis=1))
    usable = np.isfinite(mu[centres])
    safe = np.where(usable, mu[centres], 1.0)
    log_rest = np.log(total - safe)
    alpha = np.where(usable, np.log(safe) - log_rest, 0.0)
    return _Rank(k, centres, mu[centres], alpha, np.where(usable, total * log_rest, 0.0))


def _xlogx(x: FloatArray) -> FloatArray:
    out: FloatArray = x * np.log(np.where(x > 0, x, 1.0))
    return out


def _slices(recent: IntArray, cyl: _Cylinders) -> Iterator[tuple[_Rank, IntArray, FloatArray]]:
    """Per valid rank: the cases in each of its cylinders and their LLR."""
    inside = np.zeros((cyl.neighbours.shape[0], recent.shape[1]), dtype=recent.dtype)
    done = 0
    for rank in cyl.ranks:
        for k in range(done, rank.k + 1):
            inside += recent[cyl.neighbours[:, k]]
        done = rank.k + 1
        cases = inside[rank.centres]
        llr = cyl.table[cases] - cases * rank.alpha - rank.beta
        # Only an excess counts; rounding may also leave -1e-12 at c = μ.
        np.putmask(llr, cases <= rank.mu, 0.0)
        yield rank, cases, llr


def _max_llr(recent: IntArray, cyl: _Cylinders) -> float:
    return max((float(llr.max()) for _, _, llr in _slices(recent, cyl)), default=0.0)


def _observed_llr(recent: IntArray, cyl: _Cylinders) -> tuple[FloatArray, IntArray]:
    """LLR and case count of every cylinder, shape (K, centres, L); 0 if not a candidate."""
    llr = np.zeros(cyl.mu.shape)
    cases = np.zeros(cyl.mu.shape, dtype=np.int64)
    for rank, c, values in _slices(recent, cyl):
        llr[rank.k, rank.centres] = values
        cases[rank.k, rank.centres] = c
    return llr, cases


def _replicates(
    matrix: IntArray, window: int, replicates: int, rng: np.random.Generator
) -> Iterator[IntArray]:
    """`_recent` of each replicate, in which the day labels of the cases are shuffled."""
    n_cells, n_days = matrix.shape
    flat = np.repeat(np.arange(matrix.size), matrix.ravel())
    cell, day = np.divmod(flat, n_days)
    for _ in range(replicates):
        shuffled = rng.permutation(day)
        late = shuffled >= n_days - window
        # Column 0 is the last day, as in `_recent`.
        back = n_days - 1 - shuffled[late]
        counts = np.bincount(cell[late] * window + back, minlength=n_cells * window)
        yield np.cumsum(counts.reshape(n_cells, window), axis=1)


def _pick_clusters(
    llr: FloatArray,
    observed: IntArray,
    cyl: _Cylinders,
    points: FloatArray,
    n_days: int,
    null: FloatArray,
    max_clusters: int,
) -> list[SpaceTimeCluster]:
    """The best cylinder, then the best sharing no cell with those already chosen."""
    llr = llr.copy()
    clusters: list[SpaceTimeCluster] = []
    while len(clusters) < max_clusters and llr.size and llr.max() > 0:
        k, centre, l_index = np.unravel_index(int(np.argmax(llr)), llr.shape)
        cells = cyl.neighbours[centre, : k + 1]
        p = float((np.count_nonzero(null >= llr[k, centre, l_index]) + 1) / (len(null) + 1))
        clusters.append(
            SpaceTimeCluster(
                centre=int(centre),
                centre_xy=(float(points[centre, 0]), float(points[centre, 1])),
                radius_m=float(cyl.radius[centre, k]),
                cells=tuple(sorted(int(c) for c in cells)),
                start_day=n_days - 1 - int(l_index),
                end_day=n_days - 1,
                observed=int(observed[k, centre, l_index]),
                expected=float(cyl.mu[k, centre, l_index]),
                llr=float(llr[k, centre, l_index]),
                p=p,
                recurrence_interval_days=1.0 / p,
            )
        )
        # A circle overlaps once it reaches its first chosen cell.
        hit = np.isin(cyl.neighbours, cells)
        first = np.where(hit.any(axis=1), np.argmax(hit, axis=1), hit.shape[1])
        llr[np.arange(llr.shape[0])[:, None] >= first[None, :]] = 0.0
    return clusters
