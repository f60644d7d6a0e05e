"""Is a count rising or falling against its baseline? Exact tests that stay honest for small counts.

The current count c over `current_periods` and the baseline count b over
`baseline_periods` are compared as Poisson rates. Conditioning on the total
N = c + b turns the question into a binomial one (c ~ Bin(N, π)), which gives
an exact test and an exact (Clopper–Pearson) interval for the rate ratio; the
E-test of Krishnamoorthy & Thomson (2004) is the more powerful unconditional
alternative.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

Flag = Literal["rising", "falling", "stable", "too_few"]
Alternative = Literal["two-sided", "greater", "less"]

# "stable" is only claimed when the interval rules out both a halving and a doubling;
# otherwise, without a significant change, the honest answer is "too few to tell".
STABLE_RATIO_BOUNDS = (0.5, 2.0)


@dataclass(frozen=True)
class Trend:
    """Current count against its baseline.

    `expected` is the baseline rate scaled to the current span; `rate_ratio` is
    current / expected (``math.inf`` if the baseline is 0 but the current count
    is not; 1.0 when both are 0). `ci_low`, `ci_high` is the exact interval of
    the ratio at `confidence`; `p_exact` the two-sided conditional binomial
    p-value and `p_etest` the two-sided E-test p-value. `flag` is "rising" or
    "falling" when `p_exact` < 1 − confidence, "stable" when the interval lies
    within `STABLE_RATIO_BOUNDS`, else "too_few".
    """

    current: int
    baseline: int
    current_periods: float
    baseline_periods: float
    expected: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_exact: float
    p_etest: float
    confidence: float
    flag: Flag


def compare_counts(
    current: int,
    baseline: int,
    *,
    current_periods: float = 1.0,
    baseline_periods: float = 1.0,
    confidence: float = 0.95,
) -> Trend:
    """Trend of `current` against `baseline` (e.g. the previous 4 weeks, or this week last year)."""
    c, b = int(current), int(baseline)
    if c < 0 or b < 0 or current_periods <= 0 or baseline_periods <= 0:
        raise ValueError("counts must be non-negative and periods positive")
    scale = current_periods / baseline_periods
    expected = b * scale
    low, high = _ratio_interval(c, b, scale, confidence)
    p_exact = _conditional_p(c, b, scale)
    p_etest = e_test(c, b, current_periods, baseline_periods)
    ratio = c / expected if expected > 0 else (math.inf if c > 0 else 1.0)
    flag = _flag(c + b, ratio, low, high, p_exact, 1.0 - confidence)
    return Trend(
        c, b, current_periods, baseline_periods, expected, ratio, low, high, p_exact, p_etest,
        confidence, flag,
    )  # fmt: skip


def compare_with_previous(counts: Sequence[int], k: int = 4, confidence: float = 0.95) -> Trend:
    """Trend of the last count in `counts` against the sum of the `k` before it."""
    if k < 1 or len(counts) < k + 1:
        raise ValueError(f"need the current count and {k} baseline periods")
    baseline = sum(int(v) for v in counts[-k - 1 : -1])
    return compare_counts(int(counts[-1]), baseline, baseline_periods=k, confidence=confidence)


def _ratio_interval(c: int, b: int, scale: float, confidence: float) -> tuple[float, float]:
    """Clopper–Pearson interval for π = c/N turned into a rate ratio π/(1−π)/scale."""
    n, tail = c + b, (1.0 - confidence) / 2.0
    if n == 0:
        return 0.0, math.inf
    lo = float(stats.beta.ppf(tail, c, n - c + 1)) if c > 0 else 0.0
    hi = float(stats.beta.ppf(1.0 - tail, c + 1, n - c)) if c < n else 1.0
    return lo / (1.0 - lo) / scale, (hi / (1.0 - hi) / scale if hi < 1.0 else math.inf)


def _conditional_p(c: int, b: int, scale: float) -> float:
    """Two-sided exact p-value of c ~ Bin(c + b, scale/(1 + scale)), as R's poisson.test."""
    if c + b == 0:
        return 1.0
    return float(stats.binomtest(c, c + b, scale / (1.0 + scale)).pvalue)


def _flag(total: int, ratio: float, low: float, high: float, p: float, alpha: float) -> Flag:
    if total > 0 and p < alpha:
        return "rising" if ratio > 1.0 else "falling"
    if total > 0 and STABLE_RATIO_BOUNDS[0] <= low and high <= STABLE_RATIO_BOUNDS[1]:
        return "stable"
    return "too_few"


def e_test(
    k1: int,
    k2: int,
    n1: float = 1.0,
    n2: float = 1.0,
    d: float = 0.0,
    alternative: Alternative = "two-sided",
) -> float:
    """E-test p-value for H0: k1/n1 − k2/n2 = d (Krishnamoorthy & Thomson 2004).

    Sums the Poisson probabilities, under the rates estimated with H0 imposed, of
    every outcome whose Wald statistic is at least as extreme as the observed one.
    Outcomes k1 further than ~8 s.d. from its mean carry < 1e-15 of the mass and
    are left out. For d = 0 (every trend comparison) the statistic falls as k2
    grows, so each row's extreme outcomes are two tails found by bisection and
    summed with the Poisson cdf: time and memory grow with √(mean), not with the
    product of the counts. Otherwise the grid is summed in blocks of bounded size.
    """
    lam2 = max((k1 + k2) / (n1 + n2) - d * n1 / (n1 + n2), 0.0)
    mean1, mean2 = n1 * (lam2 + d), n2 * lam2
    observed = float(_wald(np.array([float(k1)]), np.array([float(k2)]), n1, n2, d)[0, 0])
    x1 = np.arange(_lower(mean1), _upper(mean1) + 1, dtype=np.float64)
    weights = stats.poisson.pmf(x1, mean1)
    if d == 0.0:
        mass = _extreme_mass_by_rows(x1, mean2, n1, n2, observed, alternative)
        return float(min(1.0, (weights * mass).sum()))
    x2 = np.arange(_upper(mean2) + 1, dtype=np.float64)
    pmf2 = stats.poisson.pmf(x2, mean2)
    total = 0.0
    step = max(1, _BLOCK_CELLS // x2.size)
    for at in range(0, x1.size, step):
        t = _wald(x1[at : at + step], x2, n1, n2, d)
        extreme = _is_extreme(t, observed, alternative)
        total += float(weights[at : at + step] @ np.where(extreme, pmf2[None, :], 0.0).sum(axis=1))
    return float(min(1.0, total))


# Largest block of the outcome grid summed at once when d ≠ 0 (8 MB per float array).
_BLOCK_CELLS = 1_000_000


def _is_extreme(t: np.ndarray, observed: float, alternative: Alternative) -> np.ndarray:
    if alternative == "greater":
        return np.asarray(t >= observed - 1e-12)
    if alternative == "less":
        return np.asarray(t <= observed + 1e-12)
    return np.asarray(np.abs(t) >= abs(observed) - 1e-12)


def _extreme_mass_by_rows(
    x1: np.ndarray, mean2: float, n1: float, n2: float, observed: float, alternative: Alternative
) -> np.ndarray:
    """Per k1 in `x1`, the Poisson(mean2) mass of the k2 whose statistic is as extreme (d = 0).

    With d = 0 the statistic is non-increasing in k2 (its derivative has the sign
    of −(k1/n1² + k1/(2·n1·n2) + k2/(2·n2²))), so "t ≥ c" is k2 ≤ a(k1) and
    "t ≤ −c" is k2 ≥ b(k1).
    """
    top = _upper(mean2)
    c = abs(observed) - 1e-12
    if alternative == "two-sided" and c <= 0:
        return np.ones(x1.size)
    high = observed - 1e-12 if alternative == "greater" else c
    low = observed + 1e-12 if alternative == "less" else -c
    mass = np.zeros(x1.size)
    if alternative != "less":
        last = _bisect(x1, top, n1, n2, lambda t: t >= high)  # largest k2 with t ≥ high
        mass += stats.poisson.cdf(last, mean2)
    if alternative != "greater":
        first = _bisect(x1, top, n1, n2, lambda t: t > low) + 1  # smallest k2 with t ≤ low
        mass += stats.poisson.sf(first - 1, mean2)
    return mass


def _bisect(
    x1: np.ndarray, top: int, n1: float, n2: float, holds: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """Per row, the largest k2 in 0..top where `holds` (true on a prefix of k2); −1 if none."""
    lo = np.full(x1.size, -1, dtype=np.int64)
    hi = np.full(x1.size, top + 1, dtype=np.int64)
    while (hi - lo > 1).any():
        mid = (lo + hi) // 2
        a, b = x1, mid.astype(np.float64)
        var = a / (n1 * n1) + b / (n2 * n2)
        t = np.where(var > 0, (a / n1 - b / n2) / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
        active = hi - lo > 1
        ok = holds(t) & active
        lo = np.where(ok, mid, lo)
        hi = np.where(active & ~ok, mid, hi)
    return lo


def _wald(x1: np.ndarray, x2: np.ndarray, n1: float, n2: float, d: float) -> np.ndarray:
    """The E-test statistic on the outer grid of outcomes; 0 where its variance is 0."""
    a, b = x1[:, None], x2[None, :]
    var = a / (n1 * n1) + b / (n2 * n2)
    safe = np.where(var > 0, var, 1.0)
    return np.where(var > 0, (a / n1 - b / n2 - d) / np.sqrt(safe), 0.0)


def _upper(mean: float) -> int:
    """A count beyond which the Poisson tail is negligible (< 1e-15)."""
    return int(stats.poisson.isf(1e-15, mean)) + 5 if mean > 0 else 0


def _lower(mean: float) -> int:
    """A count below which the Poisson tail is negligible (< 1e-15)."""
    return max(int(stats.poisson.ppf(1e-15, mean)) - 5, 0) if mean > 0 else 0


@dataclass(frozen=True)
class TrendTable:
    """`compare_counts` for whole arrays at once (e.g. area × category tables).

    Every array has the shape of the input; `flag` holds the same words as
    `Trend.flag`, and each element equals what `compare_counts` returns for it
    (the E-test is left out: it costs a sum per cell and decides no flag).
    """

    current: NDArray[np.int64]
    baseline: NDArray[np.int64]
    expected: NDArray[np.float64]
    rate_ratio: NDArray[np.float64]
    ci_low: NDArray[np.float64]
    ci_high: NDArray[np.float64]
    p_exact: NDArray[np.float64]
    flag: NDArray[np.str_]
    confidence: float


def compare_table(
    current: ArrayLike,
    baseline: ArrayLike,
    *,
    current_periods: float = 1.0,
    baseline_periods: float = 1.0,
    confidence: float = 0.95,
) -> TrendTable:
    """Element-wise trends of `current` against `baseline`; see `TrendTable`."""
    c = np.asarray(current, dtype=np.int64)
    b = np.asarray(baseline, dtype=np.int64)
    if c.shape != b.shape or (c < 0).any() or (b < 0).any():
        raise ValueError("counts must be non-negative arrays of one shape")
    if current_periods <= 0 or baseline_periods <= 0:
        raise ValueError("periods must be positive")
    scale = current_periods / baseline_periods
    expected = (b * scale).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, c / expected, np.where(c > 0, np.inf, 1.0))
    low, high = _ratio_intervals(c, b, scale, confidence)
    p = _conditional_p_many(c, b, scale / (1.0 + scale))
    alpha = 1.0 - confidence
    total = c + b
    flag = np.where(
        (total > 0) & (p < alpha),
        np.where(ratio > 1.0, "rising", "falling"),
        np.where(
            (total > 0) & (low >= STABLE_RATIO_BOUNDS[0]) & (high <= STABLE_RATIO_BOUNDS[1]),
            "stable",
            "too_few",
        ),
    )
    return TrendTable(c, b, expected, ratio, low, high, p, flag, confidence)


def _ratio_intervals(
    c: NDArray[np.int64], b: NDArray[np.int64], scale: float, confidence: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    n, tail = c + b, (1.0 - confidence) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(c > 0, stats.beta.ppf(tail, c, n - c + 1), 0.0)
        hi = np.where(c < n, stats.beta.ppf(1.0 - tail, c + 1, n - c), 1.0)
        low = np.where(n > 0, lo / (1.0 - lo) / scale, 0.0)
        high = np.where((n > 0) & (hi < 1.0), hi / (1.0 - hi) / scale, np.inf)
    return np.asarray(low, np.float64), np.asarray(high, np.float64)


def _conditional_p_many(
    c: NDArray[np.int64], b: NDArray[np.int64], prob: float
) -> NDArray[np.float64]:
    """Two-sided exact binomial p-values as scipy's binomtest ("minlike"), vectorised.

    The outcomes no likelier than the observed one form two tails; the tail on
    the observed side starts at c, the other tail's edge is found by bisection
    on the unimodal pmf, as binomtest does for one value.
    """
    n = c + b
    d = stats.binom.pmf(c, n, prob) * (1 + 1e-7)
    below = c < n * prob  # observed in the lower tail: search the upper one
    lo = np.where(below, np.ceil(n * prob), 0).astype(np.int64)
    hi = np.where(below, n, np.floor(n * prob)).astype(np.int64)
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    # Find, on the far side of the mode, the first k with pmf(k) <= d.
    for _ in range(int(np.ceil(np.log2(max(int(n.max(initial=0)), 1) + 1))) + 2):
        mid = (lo + hi) // 2
        small = stats.binom.pmf(mid, n, prob) <= d
        go_low = np.where(below, small, ~small)
        hi = np.where(go_low, mid, hi)
        lo = np.where(go_low, lo, mid + 1)
    edge = lo
    upper_p = np.where(below, stats.binom.sf(edge - 1, n, prob), stats.binom.sf(c - 1, n, prob))
    lower_p = np.where(below, stats.binom.cdf(c, n, prob), stats.binom.cdf(edge - 1, n, prob))
    p = np.where(n == 0, 1.0, np.minimum(1.0, upper_p + lower_p))
    return np.asarray(p, np.float64)
