"""Benchmarks of the grid kernels (Gi*, KDE, binning, time of week); see analysis.py.

python bench/analysis.py --json --only gistar
python bench/analysis.py --json --only kde
python bench/analysis.py --json --only all_grid

Data: a synthetic 20 km × 20 km city in SWEREF 99 TM metres (seed 42), as in
the research notes: 15 % uniform background, 35 % broad urban density
(σ 4 km), 50 % around 60 hot spots (lognormal radius, median 120 m, Zipf-like
weights); 100 m cells → a 200 × 200 grid.
"""

from __future__ import annotations

import math
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from trygg.analysis.gistar import gi_star
from trygg.analysis.grid import Grid, bin_h3, bin_points
from trygg.analysis.kde import kernel_density
from trygg.analysis.timeofweek import time_of_week

ORIGIN = (670_000.0, 6_570_000.0)
GRID = Grid(x0=ORIGIN[0], y0=ORIGIN[1], cell=100.0, nx=200, ny=200)
PERMUTATIONS = 999
KDE_BANDWIDTH = 200.0
KDE_REFERENCE_CELLS = 400  # of 40,000: sklearn's exact KDE on all of them takes ~2 minutes


def synthetic_city(n: int, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """x, y of `n` events in a 20 km square city (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_uniform, n_broad = int(0.15 * n), int(0.35 * n)
    n_hot = n - n_uniform - n_broad
    centres = rng.uniform(2_000, 18_000, (60, 2))
    weights = 1.0 / np.arange(1, 61)
    which = rng.choice(60, n_hot, p=weights / weights.sum())
    radius = rng.lognormal(np.log(120.0), 0.6, 60)[which, None]
    xy = np.vstack(
        [
            rng.uniform(0, 20_000, (n_uniform, 2)),
            np.clip(rng.normal(10_000, 4_000, (n_broad, 2)), 0, 19_999),
            centres[which] + rng.normal(0, 1, (n_hot, 2)) * radius,
        ]
    )
    return xy[:, 0] + ORIGIN[0], xy[:, 1] + ORIGIN[1]


def synthetic_times(n: int, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """Start and end epoch seconds over two years; 20 % are overnight windows of 1–14 hours."""
    rng = np.random.default_rng(seed)
    start = rng.integers(1_700_000_000, 1_700_000_000 + 730 * 86_400, n)
    end = np.where(rng.random(n) < 0.2, start + rng.integers(3_600, 14 * 3_600, n), start)
    return start, end


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of `repeat` runs after one warm-up run, and the last result."""
    result = fn()
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def timed_once(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak traced allocation (numpy reports to tracemalloc) of one untimed run."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def row(name: str, ours: float, reference: float, diff: float, mem: float, **extra: Any) -> dict:
    return {
        "bench": name,
        "ours_s": round(ours, 5),
        "reference_s": round(reference, 4),
        "ratio": round(reference / ours, 1),
        "max_abs_diff": float(f"{diff:.3g}"),
        "peak_mem_mb": mem,
        **extra,
    }


def esda_g_local(counts: np.ndarray, w: Any, permutations: int) -> Any:
    import esda

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(
            counts.ravel(), w, transform="B", star=True, permutations=permutations, seed=1
        )


def bench_gistar_analytic_queen() -> dict:
    """Binning 100k points + Gi* (queen) vs esda G_Local on lat2W weights, permutations=0."""
    from libpysal.weights import lat2W

    x, y = synthetic_city(100_000)

    def ours() -> Any:
        return gi_star(bin_points(x, y, GRID).counts, permutations=0)

    counts = bin_points(x, y, GRID).counts
    weights_s, w = timed_once(lambda: lat2W(GRID.ny, GRID.nx, rook=False))
    ours_s, result = timed(ours)
    reference_s, ref = timed(lambda: esda_g_local(counts, w, 0), repeat=2)
    diff = np.abs(result.z.ravel() - ref.Zs).max()
    note = "esda time excludes building lat2W weights (reference_weights_s)"
    name = "gistar_analytic_queen_100k_200x200"
    return row(name, ours_s, reference_s, diff, peak_mb(ours),
               reference_weights_s=round(weights_s, 3), reference_note=note)  # fmt: skip


def bench_gistar_analytic_distance() -> dict:
    """The same with a 300 m distance band (29 cells) vs libpysal DistanceBand weights."""
    from libpysal.weights import DistanceBand

    x, y = synthetic_city(100_000)
    counts = bin_points(x, y, GRID).counts
    cx, cy = GRID.centres()
    build = lambda: DistanceBand(  # noqa: E731
        np.column_stack([cx.ravel(), cy.ravel()]), threshold=300.0, silence_warnings=True
    )
    weights_s, w = timed_once(build)

    def ours() -> Any:
        return gi_star(
            bin_points(x, y, GRID).counts, distance_m=300.0, cell_m=GRID.cell, permutations=0
        )

    ours_s, result = timed(ours)
    reference_s, ref = timed(lambda: esda_g_local(counts, w, 0), repeat=2)
    diff = np.abs(result.z.ravel() - ref.Zs).max()
    note = "esda time excludes building DistanceBand weights (reference_weights_s)"
    name = "gistar_analytic_dist300_100k_200x200"
    return row(name, ours_s, reference_s, diff, peak_mb(ours),
               reference_weights_s=round(weights_s, 3), reference_note=note)  # fmt: skip


def bench_gistar_permutations() -> dict:
    """Gi* with 999 conditional permutations vs esda G_Local(permutations=999), queen, 40k cells."""
    from libpysal.weights import lat2W

    x, y = synthetic_city(100_000)
    counts = bin_points(x, y, GRID).counts
    w = lat2W(GRID.ny, GRID.nx, rook=False)

    def ours() -> Any:
        return gi_star(counts, permutations=PERMUTATIONS, seed=1)

    ours_s, result = timed(ours)
    reference_s, ref = timed_once(lambda: esda_g_local(counts, w, PERMUTATIONS))
    gap = np.abs(result.p_sim.ravel() - ref.p_sim)
    agree = float(((result.p_sim.ravel() < 0.01) == (ref.p_sim < 0.01)).mean())
    note = (
        "esda run once (numba not installed: its numpy path); max_abs_diff is |p_sim ours - "
        "esda|, Monte Carlo noise between two independent 999-draw runs"
    )
    return row("gistar_perm999_queen_200x200", ours_s, reference_s, gap.max(), peak_mb(ours),
               mean_abs_diff=round(float(gap.mean()), 4), share_same_p_sim_lt_0_01=agree,
               reference_note=note)  # fmt: skip


def bench_gistar_inference(n: int, weeks: float) -> dict:
    """Which cells each inference marks hot or cold (BH at 5 %), and what the exact p costs.

    `n` events of the synthetic city thinned to one period of `weeks` weeks of a
    two-year history: the sparse, skewed grid the weekly picture works on.
    """
    from libpysal.weights import lat2W
    from scipy import stats

    x, y = synthetic_city(n)
    counts = bin_points(x, y, GRID).counts
    exact_s, exact = timed(lambda: gi_star(counts, permutations="exact"))
    normal = gi_star(counts, permutations=0)
    mc_s, mc = timed(lambda: gi_star(counts, permutations=PERMUTATIONS, seed=1), repeat=1)
    reference_s, ref = timed_once(
        lambda: esda_g_local(counts, lat2W(GRID.ny, GRID.nx, rook=False), PERMUTATIONS)
    )
    gap = np.abs(exact.p_sim.ravel() - ref.p_sim)
    normal_cells = normal.significant
    return row(
        f"gistar_inference_{label(n)}_{weeks:g}weeks_200x200", exact_s, reference_s, gap.max(),
        peak_mb(lambda: gi_star(counts, permutations="exact")),
        events=n, empty_share=round(float((counts == 0).mean()), 3),
        skewness=round(float(stats.skew(counts.ravel())), 1),
        cells_normal_bh=int(normal_cells.sum()), cells_exact_bh=int(exact.significant.sum()),
        cells_both=int((normal_cells & exact.significant).sum()),
        cells_perm999_bh=int(mc.significant.sum()), perm999_s=round(mc_s, 3),
        exact_min_p=float(f"{exact.p[exact.mask].min():.3g}"),
        reference_note=(
            "reference: esda G_Local(permutations=999) on the same grid (its numpy path, "
            "weights not timed); max_abs_diff is |exact p_sim - esda p_sim|, esda's "
            "Monte Carlo error. 999 permutations cannot pass BH over 40,000 cells "
            "(floor 2/1000 > 0.05/40000): cells_perm999_bh is 0 by construction."
        ),
    )  # fmt: skip


def label(n: int) -> str:
    return f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"


def bench_gistar_inference_week() -> dict:
    """A week of a city with 100k events in two years: ~1,000 events on 40,000 cells."""
    return bench_gistar_inference(1_000, 1)


def bench_gistar_inference_year() -> dict:
    """A year of the same city: 50,000 events."""
    return bench_gistar_inference(50_000, 52)


def bench_kde_gaussian() -> dict:
    """Gaussian KDE, h = 200 m, 100k points → 200 × 200 cells vs sklearn KernelDensity (exact)."""
    from sklearn.neighbors import KernelDensity

    x, y = synthetic_city(100_000)

    def ours() -> Any:
        return kernel_density(x, y, GRID, bandwidth_m=KDE_BANDWIDTH, kernel="gaussian")

    ours_s, result = timed(ours)
    cx, cy = GRID.centres()
    rng = np.random.default_rng(0)
    pick = rng.choice(cx.size, KDE_REFERENCE_CELLS - 1, replace=False)
    pick = np.append(pick, np.argmax(result.density))  # always check the peak itself
    model = KernelDensity(bandwidth=KDE_BANDWIDTH).fit(np.column_stack([x, y]))
    query = np.column_stack([cx.ravel()[pick], cy.ravel()[pick]])
    subset_s, log_density = timed_once(lambda: model.score_samples(query))
    exact = np.exp(log_density) * x.size * 1e6
    diff = np.abs(result.density.ravel()[pick] - exact).max()
    scale = cx.size / pick.size
    return row("kde_gaussian_h200_100k_200x200", ours_s, subset_s * scale, diff, peak_mb(ours),
               max_diff_pct_of_peak=round(100 * diff / exact.max(), 3),
               reference_note=f"sklearn exact (rtol=0) timed on {pick.size} of {cx.size} cells "
               f"incl. the peak, scaled ×{scale:.0f}; diff measured on those cells")  # fmt: skip


def h3_binning(decimals: int) -> dict:
    """H3 resolution-9 counts of 100k WGS84 points vs one h3 call per point into a Counter."""
    from collections import Counter

    import h3

    rng = np.random.default_rng(42)
    lat = np.round(rng.normal(63.18, 0.02, 100_000), decimals)
    lon = np.round(rng.normal(14.64, 0.05, 100_000), decimals)

    def reference() -> Counter[str]:
        pairs = zip(lat.tolist(), lon.tolist(), strict=True)
        return Counter(h3.latlng_to_cell(a, b, 9) for a, b in pairs)

    ours_s, result = timed(lambda: bin_h3(lat, lon, 9))
    reference_s, ref = timed(reference, repeat=1)
    same = dict(zip(result.cells.tolist(), result.counts.tolist(), strict=True)) == ref
    distinct = int(np.unique(lat + 1j * lon).size)
    return row(f"h3_res9_100k_{decimals}_decimals", ours_s, reference_s,
               0.0 if same else math.inf, peak_mb(lambda: bin_h3(lat, lon, 9)),
               distinct_points=distinct)  # fmt: skip


def bench_h3_binning_distinct() -> dict:
    """Coordinates to 4 decimals (~10 m): almost every point is a distinct place."""
    return h3_binning(4)


def bench_h3_binning_repeated() -> dict:
    """Coordinates to 3 decimals (~100 m): places repeat, as geocoded addresses do."""
    return h3_binning(3)


def bench_all_grid_kernels_1m() -> dict:
    """Everything grid-shaped on 1,000,000 events: binning, Gi* (analytic and 999
    permutations), quartic and Gaussian KDE, and the time-of-week matrix."""
    x, y = synthetic_city(1_000_000)
    start, end = synthetic_times(1_000_000)

    def ours() -> Any:
        counts = bin_points(x, y, GRID).counts
        return (
            gi_star(counts, permutations=0),
            gi_star(counts, permutations=PERMUTATIONS, seed=1),
            kernel_density(x, y, GRID, bandwidth_m=KDE_BANDWIDTH),
            kernel_density(x, y, GRID, bandwidth_m=KDE_BANDWIDTH, kernel="gaussian"),
            time_of_week(start, end),
        )

    ours_s, _ = timed(ours)
    parts = {
        "bin_s": lambda: bin_points(x, y, GRID),
        "kde_quartic_s": lambda: kernel_density(x, y, GRID, bandwidth_m=KDE_BANDWIDTH),
        "time_of_week_s": lambda: time_of_week(start, end),
    }
    split = {name: round(timed(fn)[0], 4) for name, fn in parts.items()}
    return {"bench": "all_grid_kernels_1m", "ours_s": round(ours_s, 4), "target_s": 1.0,
            "peak_mem_mb": peak_mb(ours), **split}  # fmt: skip


BENCHES: list[Callable[[], dict]] = [
    bench_gistar_analytic_queen,
    bench_gistar_analytic_distance,
    bench_gistar_permutations,
    bench_gistar_inference_week,
    bench_gistar_inference_year,
    bench_kde_gaussian,
    bench_h3_binning_distinct,
    bench_h3_binning_repeated,
    bench_all_grid_kernels_1m,
]
