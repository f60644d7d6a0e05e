"""Getis–Ord Gi* hot spots on a regular grid. Counts in, z-scores and classes out.

Binary weights including the cell itself (the "star"), neighbours given by a
stencil: queen contiguity of some radius in cells, or a distance band in
metres. On a grid every window sum is a correlation with the stencil, so the
whole statistic is two image filters instead of a sparse weights matrix.
Cells outside the study area (mask False) are neither observations nor
neighbours. The z-score equals PySAL's
``esda.G_Local(y, w, transform="B", star=True).Zs`` on the valid cells.

Which p-value decides matters more than the z. Crime counts per cell are
skewed (half the cells empty, a few with many reports), and there the normal
approximation of z is anti-conservative: with Benjamini–Hochberg it marks many
cells that a permutation test does not support. `permutations="exact"` gives
the conditional-randomisation p-value without Monte Carlo error, from the
exact null distribution of each window sum (see `_exact_tails`): the limit of
infinitely many permutations, deterministic, and cheap for count grids.

What the FDR decision guarantees: each exact p is a valid p-value for its
cell (P(p ≤ u) ≤ u when the counts are exchangeable over the cells), and
Benjamini–Hochberg on valid p-values keeps the false discovery rate at alpha
under independence or positive dependence (PRDS). Overlapping Gi* windows are
positively dependent, but PRDS is assumed for them, not proven; the tests
check the rate on skewed grids without hot spots instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage, signal, special  # type: ignore[import-untyped, unused-ignore]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

# Two-sided confidence levels of the hot/cold classes (ArcGIS Gi_Bin ±1/±2/±3).
CLASS_ALPHAS = (0.10, 0.05, 0.01)
# Above this many stencil cells an FFT beats a direct correlation.
_FFT_STENCIL_CELLS = 225


@dataclass(frozen=True)
class HotspotGrid:
    """Gi* per cell, all arrays of the grid's shape; excluded cells hold z 0, p 1, class 0.

    `p` is the p-value that decides significance: two-sided, from the
    permutations when `permutations` > 0 (2·(min(#sim ≥ obs, #sim ≤ obs) + 1)/(R + 1),
    capped at 1), from the exact conditional distribution when `inference` is
    "exact" (2·min(P(S ≥ s), P(S ≤ s)), capped at 1), else from the normal
    approximation (`p_norm`). `p_sim` is esda's folded one-sided pseudo
    p-value (for "exact": min(P(S ≥ s), P(S < s))), kept for comparison; the
    hot/cold direction then comes from the tail the observation falls in, not from z.
    `significant` is the Benjamini–Hochberg decision at `alpha` (raw p < alpha
    if `fdr` is False); `p_threshold` is the critical p that was used (BH's
    k·alpha/m), 0.0 when nothing passed. `hot_cold` is −3…3: the sign says hot
    or cold, the size 1/2/3 means significant at 90/95/99 % (each level with its
    own FDR).
    """

    z: FloatArray
    p: FloatArray
    p_norm: FloatArray
    p_sim: FloatArray | None
    significant: BoolArray
    hot_cold: NDArray[np.int8]
    mask: BoolArray
    alpha: float
    fdr: bool
    p_threshold: float
    permutations: int
    n_cells: int
    inference: str = "normal"  # normal, permutation or exact

    @property
    def none_significant(self) -> bool:
        """True when no cell passed the test at `alpha`."""
        return not bool(self.significant.any())


def queen_stencil(radius_cells: int = 1) -> BoolArray:
    """Square window of (2r+1)² cells: queen contiguity of order `radius_cells`, self included."""
    if radius_cells < 1:
        raise ValueError("radius_cells must be at least 1")
    side = 2 * radius_cells + 1
    return np.ones((side, side), dtype=bool)


def distance_stencil(distance_m: float, cell_m: float) -> BoolArray:
    """Cells whose centre lies within `distance_m` of the central cell's centre, self included."""
    radius = int(np.floor(distance_m / cell_m + 1e-9))
    offsets = np.arange(-radius, radius + 1, dtype=np.float64) * cell_m
    dist = np.hypot(offsets[:, None], offsets[None, :])
    # The tolerance keeps cells at exactly the band distance, as libpysal's DistanceBand does.
    return np.asarray(dist <= distance_m * (1 + 1e-9))


def window_sums(values: FloatArray, stencil: BoolArray) -> FloatArray:
    """Sum of `values` under the stencil centred on each cell (zeros beyond the edge)."""
    weights = stencil.astype(np.float64)
    if stencil.size > _FFT_STENCIL_CELLS:
        # Stencils are symmetric, so convolution equals correlation.
        out = np.asarray(signal.fftconvolve(values, weights, mode="same"))
        # FFT round-off (~1e-12) would break the exact ties between window sums of
        # counts that the permutation test compares, so integer input gives integer sums.
        return np.rint(out) if np.array_equal(values, np.rint(values)) else out
    if stencil.all():
        once = ndimage.correlate1d(values, weights[0], axis=0, mode="constant", cval=0.0)
        return np.asarray(ndimage.correlate1d(once, weights[0], axis=1, mode="constant"))
    return np.asarray(ndimage.correlate(values, weights, mode="constant", cval=0.0))


def benjamini_hochberg(p: ArrayLike, alpha: float) -> float:
    """The Benjamini–Hochberg critical value k·alpha/m; 0.0 when no p-value passes.

    k is the largest rank with p_(k) ≤ k·alpha/m; exactly the p-values ≤ the
    returned value are significant. Unlike ``esda.fdr`` it does not fall back to
    the Bonferroni bound alpha/m when nothing passes: then nothing is significant.
    """
    return _bh_critical(np.sort(np.asarray(p, dtype=np.float64).ravel()), alpha)


def _bh_critical(ordered: FloatArray, alpha: float) -> float:
    """`benjamini_hochberg` on p-values already sorted ascending."""
    m = ordered.size
    critical = alpha * np.arange(1, m + 1) / max(m, 1)
    passing = np.nonzero(ordered <= critical)[0]
    return float(critical[passing[-1]]) if passing.size else 0.0


def gi_star(
    counts: ArrayLike,
    *,
    mask: ArrayLike | None = None,
    radius_cells: int = 1,
    distance_m: float | None = None,
    cell_m: float | None = None,
    permutations: int | Literal["exact"] = 999,
    seed: int | np.random.Generator | None = None,
    alpha: float = 0.05,
    fdr: bool = True,
    hot_needs_events: bool = False,
) -> HotspotGrid:
    """Gi* hot spots of a (ny, nx) count grid; see `HotspotGrid` for what is returned.

    Neighbours are the queen window of `radius_cells`, or, when `distance_m` is
    given, the distance band on cells of `cell_m` metres. `permutations=0`
    gives the normal approximation only (fast, but poor for sparse counts).
    With R permutations no p-value falls below 2/(R + 1); under FDR over m
    cells a hot spot of k cells then needs 2/(R + 1) ≤ k·alpha/m, so large
    grids need many rounds. `permutations="exact"` has no such floor and no
    seed: it needs non-negative integer counts (see `_exact_tails`).

    `hot_needs_events`: a cell holding no event is never called hot (its p is
    set to 1 before FDR when its window sum lies in the upper tail); it can
    still be cold. Raising p-values keeps every p valid, so the FDR guarantee
    is unchanged; BH still counts the cell among the m tests.
    """
    grid = np.asarray(counts, dtype=np.float64)
    keep = np.ones(grid.shape, bool) if mask is None else np.asarray(mask, dtype=bool)
    if distance_m is not None:
        if cell_m is None:
            raise ValueError("a distance band needs cell_m")
        stencil = distance_stencil(distance_m, cell_m)
    else:
        stencil = queen_stencil(radius_cells)
    values = np.where(keep, grid, 0.0)
    sums = window_sums(values, stencil)[keep]
    card = np.rint(window_sums(keep.astype(np.float64), stencil))[keep]
    y = values[keep]
    z = _analytic_z(y, sums, card)
    p_norm = 2.0 * special.ndtr(-np.abs(z))
    p, p_sim, direction = p_norm, None, np.sign(z)
    if permutations == "exact" and y.size > 1:
        p_sim, p, direction = _exact_p(y, sums, card)
    elif permutations != "exact" and permutations > 0 and y.size > 1:
        rng = np.random.default_rng(seed)
        p_sim, p, direction = _permutation_p(y, sums, card, permutations, rng)
    if hot_needs_events:
        p = np.where((direction > 0) & (y <= 0), 1.0, p)
    rounds = 0 if permutations == "exact" else permutations
    result = _assemble(keep, z, p, p_norm, p_sim, direction, alpha, fdr, rounds)
    kind = "exact" if permutations == "exact" else ("permutation" if rounds > 0 else "normal")
    return replace(result, inference=kind)


def _analytic_z(y: FloatArray, sums: FloatArray, card: FloatArray) -> FloatArray:
    """Gi* z-scores (Ord & Getis 1995, binary weights with self); 0 where undefined."""
    n = y.size
    if n < 2:
        return np.zeros(n)
    mean = y.mean()
    # Population s.d. written as esda writes it, so that z agrees to rounding.
    sd = np.sqrt(max(float((y * y).mean() - mean * mean), 0.0))
    spread = np.sqrt(np.maximum(n * card - card * card, 0.0) / (n - 1))
    den = sd * spread
    # Constant grids (sd 0) and windows covering every cell (spread 0) carry no evidence.
    ok = den > 1e-12 * max(abs(float(mean)), 1.0)
    return np.where(ok, (sums - mean * card) / np.where(ok, den, 1.0), 0.0)


def _draw_ids(rng: np.random.Generator, n: int, k: int, rows: int) -> IntArray:
    """`rows` independent ordered draws of `k` distinct indices out of range(n)."""
    out = np.empty((rows, k), dtype=np.int64)
    for r in range(rows):
        out[r] = rng.choice(n, size=k, replace=False)
    return out


def _simulate(
    y: FloatArray, card: FloatArray, rounds: int, rng: np.random.Generator
) -> tuple[IntArray, FloatArray]:
    """Random ids and prefix sums of their values for `rounds` conditional randomisations.

    Conditional randomisation holds y_i and draws the k_i − 1 neighbours without
    replacement from the other n − 1 cells. One ordered draw of k distinct cells
    per round serves every cell: for cell i take the first k_i − 1 draws, and if
    i itself is among them, drop it and take draw k_i instead. That is exactly a
    uniform draw from the cells other than i, and it makes the simulated window
    sum y_i + P[k_i − 1] (P = prefix sums of the drawn values) for most cells and
    P[k_i] for the few "hits", so counting needs sorting, not a loop per cell.
    esda shares one set of random ids across cells in the same way.
    """
    k = int(min(card.max(), y.size))
    ids = _draw_ids(rng, y.size, k, rounds)
    prefix = np.zeros((rounds, k + 1))
    np.cumsum(y[ids], axis=1, out=prefix[:, 1:])
    return ids, prefix


def _count_beyond(
    y: FloatArray,
    sums: FloatArray,
    card: FloatArray,
    ids: IntArray,
    prefix: FloatArray,
    strict: bool,
) -> IntArray:
    """Per cell, how many simulated window sums are ≥ (or > if `strict`) the observed one."""
    rounds, k = ids.shape
    m = card.astype(np.int64) - 1
    count = np.zeros(y.size, dtype=np.int64)
    side: Literal["left", "right"] = "right" if strict else "left"
    for mm in np.unique(m):
        cells = np.nonzero(m == mm)[0]
        column = np.sort(prefix[:, mm])
        count[cells] = rounds - np.searchsorted(column, sums[cells] - y[cells], side=side)
    hit_rows, hit_pos = np.nonzero(np.arange(k)[None, :] < m[ids])
    cells = ids[hit_rows, hit_pos]
    old, new = y[cells] + prefix[hit_rows, m[cells]], prefix[hit_rows, m[cells] + 1]
    target = sums[cells]
    if strict:
        change = (new > target).astype(np.int64) - (old > target)
    else:
        change = (new >= target).astype(np.int64) - (old >= target)
    return count + np.bincount(cells, weights=change, minlength=y.size).astype(np.int64)


def _permutation_p(
    y: FloatArray, sums: FloatArray, card: FloatArray, rounds: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """esda's folded p_sim, a tie-aware two-sided p and the tail (+1 hot, −1 cold, 0 neither).

    esda folds with #{sim < obs} for the low tail, so ties count only upwards and a
    constant grid reads p = 1/(R+1). Counting ties in both tails, as here for the
    two-sided p, keeps zero-heavy weekly grids from producing spurious cold spots.
    """
    ids, prefix = _simulate(y, card, rounds, rng)
    at_least = _count_beyond(y, sums, card, ids, prefix, strict=False)
    at_most = rounds - _count_beyond(y, sums, card, ids, prefix, strict=True)
    folded = np.minimum(at_least, rounds - at_least)
    p_sim = (folded + 1.0) / (rounds + 1.0)
    two_sided = np.minimum(1.0, 2.0 * (np.minimum(at_least, at_most) + 1.0) / (rounds + 1.0))
    return p_sim, two_sided, np.sign(at_most - at_least).astype(np.float64)


def _exact_p(
    y: FloatArray, sums: FloatArray, card: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """`_permutation_p` with the exact tail probabilities in place of simulated counts."""
    at_least, at_most = _exact_tails(y, sums, card)
    below = np.maximum(1.0 - at_least, 0.0)  # P(S < s)
    p_sim = np.minimum(at_least, below)
    two_sided = np.minimum(1.0, 2.0 * np.minimum(at_least, at_most))
    return p_sim, two_sided, np.sign(at_most - at_least)


def _exact_tails(
    y: FloatArray, sums: FloatArray, card: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """P(S_i ≥ s_i) and P(S_i ≤ s_i) under conditional randomisation, exactly.

    The null of the permutation test: S_i = y_i + T, T the sum of j = k_i − 1
    values drawn without replacement from the other n − 1 cells. For integer
    counts the law of T is a polynomial in x: g_j[t] = P(a random j-subset of
    all n cells sums to t). It is built one distinct value at a time as a
    mixture, each step weighting "a of the j come from the new cells" by its
    hypergeometric probability, so every number stays a probability (no
    overflowing subset counts, errors ~1e-16 absolute). Taking cell i (value u)
    out of the population is a deflation, q_j = (n·g_j − j·x^u·q_{j−1}) / (n − j),
    and it holds for tail sums too, so each cell needs only j lookups in the
    tails of g. The factor j/(n − j) < 1 keeps rounding from growing: p-values
    are accurate to ~1e-13 absolute, far below any FDR threshold alpha/m. Cost:
    building g, ~(#distinct counts)·j·(sum of the j largest counts).
    """
    n = y.size
    counts = np.rint(y).astype(np.int64)
    if (counts < 0).any() or not np.array_equal(counts, y):
        raise ValueError('permutations="exact" needs non-negative integer counts')
    k = int(min(card.max(), n)) - 1
    width = int(np.sort(counts)[n - k :].sum()) + 1 if k > 0 else 1
    g = _subset_sum_law(counts, k, width)
    # upper[j, t] = P(T_j ≥ t), lower[j, t] = P(T_j ≤ t), t = 0..width − 1.
    upper = np.cumsum(g[:, ::-1], axis=1)[:, ::-1]
    lower = np.cumsum(g, axis=1)
    j_of = card.astype(np.int64) - 1
    target = np.rint(sums).astype(np.int64) - counts
    at_least = _deflated_tail(upper, j_of, target, counts, n, above=True)
    at_most = _deflated_tail(lower, j_of, target, counts, n, above=False)
    return np.clip(at_least, 0.0, 1.0), np.clip(at_most, 0.0, 1.0)


def _deflated_tail(
    tails: FloatArray, j_of: IntArray, target: IntArray, u: IntArray, n: int, above: bool
) -> FloatArray:
    """Per cell, P(T ≥ target) (`above`) or P(T ≤ target) without the cell itself in the draw.

    Runs the deflation recurrence up the chain of thresholds target − (j − h)·u
    for h = 0..j: Q_h(t) = (n·G_h(t) − h·Q_{h−1}(t − u)) / (n − h).
    """
    width = tails.shape[1]

    def table(h: int, t: IntArray) -> FloatArray:
        inside = tails[h, np.clip(t, 0, width - 1)]
        if above:  # P(T ≥ t) is 1 for t ≤ 0 and 0 beyond the largest sum
            return np.where(t <= 0, 1.0, np.where(t >= width, 0.0, inside))
        return np.where(t < 0, 0.0, np.where(t >= width, 1.0, inside))

    t0 = target - j_of * u
    q = (t0 <= 0).astype(np.float64) if above else (t0 >= 0).astype(np.float64)
    for h in range(1, int(j_of.max(initial=0)) + 1):
        live = h <= j_of
        t = target - (j_of - h) * u
        step = (n * table(h, t) - h * q) / (n - h)
        q = np.where(live, step, q)
    return q


def _subset_sum_law(counts: IntArray, k: int, width: int) -> FloatArray:
    """g[j, t] = P(sum of a uniformly random j-subset of `counts` = t), j = 0..k."""
    g = np.zeros((k + 1, width))
    g[0, 0] = 1.0
    seen, reach = 0, 1  # cells mixed in so far; g is zero from column `reach` on
    values, mult = np.unique(counts, return_counts=True)
    for v, m in zip(values.tolist(), mult.tolist(), strict=True):
        total = seen + m
        grown = min(width, reach + min(k, m) * v)
        new = np.zeros_like(g)
        for j in range(min(k, total) + 1):
            for a in range(max(0, j - seen), min(j, m) + 1):
                # Hypergeometric: a of the j drawn come from the m new cells (exact integers).
                w = math.comb(m, a) * math.comb(seen, j - a) / math.comb(total, j)
                shift = a * v
                if shift < grown:
                    new[j, shift:grown] += w * g[j - a, : grown - shift]
        g, seen, reach = new, total, grown
    return g


def _assemble(
    keep: BoolArray,
    z: FloatArray,
    p: FloatArray,
    p_norm: FloatArray,
    p_sim: FloatArray | None,
    direction: FloatArray,
    alpha: float,
    fdr: bool,
    permutations: int,
) -> HotspotGrid:
    """Significance decisions and classes, spread back onto the full grid."""
    ordered = np.sort(p) if fdr else p
    limits = {a: (_bh_critical(ordered, a) if fdr else a) for a in {*CLASS_ALPHAS, alpha}}

    def passes(level: float) -> BoolArray:
        return np.asarray(p <= limits[level]) if fdr else np.asarray(p < level)

    levels = sum(passes(level).astype(np.int8) for level in CLASS_ALPHAS)
    classes = (np.asarray(levels, dtype=np.int8) * direction).astype(np.int8)

    def spread(values: NDArray[Any], fill: float) -> NDArray[Any]:
        out = np.full(keep.shape, fill, dtype=values.dtype)
        out[keep] = values
        return out

    significant = passes(alpha)
    return HotspotGrid(
        z=spread(z, 0.0),
        p=spread(p, 1.0),
        p_norm=spread(p_norm, 1.0),
        p_sim=None if p_sim is None else spread(p_sim, 1.0),
        significant=spread(significant & (direction != 0), False),
        hot_cold=spread(classes * (direction != 0), 0).astype(np.int8),
        mask=keep,
        alpha=alpha,
        fdr=fdr,
        p_threshold=limits[alpha] if significant.any() else 0.0,
        permutations=permutations,
        n_cells=int(keep.sum()),
    )
