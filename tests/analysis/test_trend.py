import math

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
