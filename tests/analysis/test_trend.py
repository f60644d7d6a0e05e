import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.analysis.trend import compare_counts, compare_with_previous, e_test


def test_it_reproduces_rs_poisson_test_for_two_rates():
    # R: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878)), the example in R's help page.
    trend = compare_counts(11, 21, current_periods=800, baseline_periods=3011)
    assert trend.rate_ratio == pytest.approx(1.971488, abs=1e-6)
    assert trend.p_exact == pytest.approx(0.07967, abs=1e-5)
    assert trend.ci_low == pytest.approx(0.8584264, abs=1e-7)
    assert trend.ci_high == pytest.approx(4.2772659, abs=1e-7)
    assert trend.expected == pytest.approx(21 * 800 / 3011)  # baseline rate over the current span


def test_it_reproduces_the_published_e_test_value():
    # ptools::e_test(6, 2) = 0.1749 (two-sided); one-sided it is half, as the null is symmetric.
    assert e_test(6, 2) == pytest.approx(0.1749, abs=5e-5)
    assert e_test(6, 2, alternative="greater") == pytest.approx(0.1749 / 2, abs=5e-5)
    assert e_test(2, 6, alternative="less") == pytest.approx(0.1749 / 2, abs=5e-5)


def test_its_e_test_is_more_powerful_than_the_conditional_test_for_equal_spans():
    # Krishnamoorthy & Thomson's point: the E-test rejects more often at the same level.
    assert e_test(12, 3) < compare_counts(12, 3).p_exact


def test_it_flags_a_clear_rise_as_rising():
    trend = compare_with_previous([5, 6, 4, 5, 15], k=4)
    assert trend.flag == "rising" and trend.rate_ratio == 3.0 and trend.p_exact < 0.05


def test_it_flags_a_clear_fall_as_falling():
    assert compare_counts(10, 160, baseline_periods=4).flag == "falling"


def test_it_calls_a_well_measured_steady_count_stable():
    trend = compare_counts(40, 160, baseline_periods=4)
    assert trend.flag == "stable" and trend.rate_ratio == 1.0
    assert trend.ci_low >= 0.5 and trend.ci_high <= 2.0


def test_it_admits_a_doubling_of_small_numbers_is_too_few_to_tell():
    # 4 this week against 2 a week before: +100 %, yet entirely within chance.
    trend = compare_counts(4, 8, baseline_periods=4)
    assert trend.rate_ratio == 2.0 and trend.flag == "too_few"


def test_it_compares_with_the_same_period_last_year():
    trend = compare_counts(30, 12)
    assert trend.baseline_periods == 1 and trend.flag == "rising"


def test_it_handles_nothing_now_and_nothing_before():
    trend = compare_counts(0, 0)
    assert trend.flag == "too_few" and trend.p_exact == 1.0 and trend.rate_ratio == 1.0
    assert trend.p_etest == 1.0


def test_it_gives_an_infinite_ratio_when_the_baseline_is_empty():
    trend = compare_counts(9, 0)
    assert trend.rate_ratio == math.inf and trend.flag == "rising"


def test_it_refuses_negative_counts_and_too_short_series():
    with pytest.raises(ValueError):
        compare_counts(-1, 3)
    with pytest.raises(ValueError):
        compare_with_previous([1, 2], k=4)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 60), st.integers(0, 240), st.integers(1, 8))
def test_it_never_returns_nan_and_keeps_the_ratio_inside_its_interval(current, baseline, k):
    trend = compare_counts(current, baseline, baseline_periods=k)
    values = (trend.rate_ratio, trend.ci_low, trend.ci_high, trend.p_exact, trend.p_etest)
    assert not any(math.isnan(v) for v in values)
    assert 0 <= trend.p_exact <= 1 and 0 <= trend.p_etest <= 1
    if current + baseline > 0 and baseline > 0:
        assert trend.ci_low <= trend.rate_ratio <= trend.ci_high
    assert trend.flag in {"rising", "falling", "stable", "too_few"}


def e_test_on_the_full_grid(k1, k2, n1=1.0, n2=1.0, d=0.0, alternative="two-sided"):
    """The E-test as first written: every outcome pair (k1, k2) up to a 1e-15 tail, summed."""
    from scipy import stats

    lam2 = max((k1 + k2) / (n1 + n2) - d * n1 / (n1 + n2), 0.0)
    mean1, mean2 = n1 * (lam2 + d), n2 * lam2

    def upper(mean):
        return int(stats.poisson.isf(1e-15, mean)) + 5 if mean > 0 else 0

    def wald(a, b):
        var = a / n1**2 + b / n2**2
        return np.where(var > 0, (a / n1 - b / n2 - d) / np.sqrt(np.where(var > 0, var, 1)), 0)

    x1 = np.arange(upper(mean1) + 1.0)[:, None]
    x2 = np.arange(upper(mean2) + 1.0)[None, :]
    t, observed = wald(x1, x2), float(wald(np.float64(k1), np.float64(k2)))
    extreme = {
        "greater": t >= observed - 1e-12,
        "less": t <= observed + 1e-12,
        "two-sided": np.abs(t) >= abs(observed) - 1e-12,
    }[alternative]
    joint = stats.poisson.pmf(x1, mean1) * stats.poisson.pmf(x2, mean2)
    return min(1.0, float(joint[extreme].sum()))


@pytest.mark.parametrize(
    "args",
    [(6, 2), (2, 6), (0, 0), (0, 5), (5, 0), (12, 3), (40, 10, 1, 4), (1, 30, 1, 4),
     (3, 7, 2, 1), (300, 250), (1_200, 1_000, 1, 4), (900, 3_000, 1, 4)],
)  # fmt: skip
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_its_bounded_e_test_equals_the_full_grid(args, alternative):
    # The same probabilities, summed by row with the Poisson cdf instead of cell by cell, both
    # leaving out < 1e-15 of tails. They agree to rounding: scipy's pmf at counts ~1e3 is
    # exact to ~count·log(count)·eps ≈ 1e-12 relative, hence rel=1e-10.
    got = e_test(*args, alternative=alternative)
    want = e_test_on_the_full_grid(*args, alternative=alternative)
    assert got == pytest.approx(want, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("args", [(6, 2, 1, 1, 0.5), (20, 30, 1, 2, -3.0), (2, 9, 1, 1, 2.0)])
def test_its_e_test_with_a_margin_sums_the_grid_in_blocks_with_the_same_result(args):
    assert e_test(*args) == pytest.approx(e_test_on_the_full_grid(*args), abs=1e-12)


def test_it_compares_large_counts_without_a_grid_of_their_product():
    # 20,000 against 80,000 over four periods exhausted 24 GB as a dense grid of outcomes.
    same = compare_counts(20_000, 80_000, baseline_periods=4)
    assert same.p_etest == pytest.approx(1.0) and same.flag == "stable"
    # Where both counts are large the E-test p is the normal one of its Wald statistic; the
    # difference is of the order skewness/√count (~0.7 % here), so 2 % is a safe bound.
    for current in (19_700, 20_300, 20_400, 20_600):
        wald = (current - 20_000) / math.sqrt(current + 80_000 / 16)
        normal = math.erfc(abs(wald) / math.sqrt(2))
        trend = compare_counts(current, 80_000, baseline_periods=4)
        assert trend.p_etest == pytest.approx(normal, rel=0.02)
