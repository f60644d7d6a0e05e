"""compare_table must give, cell by cell, exactly what compare_counts gives."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.analysis.trend import compare_counts, compare_table


def assert_same(table, i, single):
    assert table.flag.flat[i] == single.flag
    for name in ("expected", "rate_ratio", "ci_low", "ci_high", "p_exact"):
        got, want = float(getattr(table, name).flat[i]), getattr(single, name)
        assert got == want or math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), name


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 1200)), min_size=1, max_size=30),
    current_periods=st.sampled_from([1.0, 7.0, 14.0, 30.0]),
    baseline_periods=st.sampled_from([1.0, 4.0, 28.0, 122.0]),
    confidence=st.sampled_from([0.9, 0.95, 0.99]),
)
def test_each_cell_equals_compare_counts(pairs, current_periods, baseline_periods, confidence):
    current, baseline = (np.array(v) for v in zip(*pairs, strict=True))
    table = compare_table(
        current,
        baseline,
        current_periods=current_periods,
        baseline_periods=baseline_periods,
        confidence=confidence,
    )
    for i, (c, b) in enumerate(pairs):
        single = compare_counts(
            c,
            b,
            current_periods=current_periods,
            baseline_periods=baseline_periods,
            confidence=confidence,
        )
        assert_same(table, i, single)


def test_it_keeps_the_shape_of_a_two_dimensional_table():
    rng = np.random.default_rng(7)
    current, baseline = rng.poisson(5, (20, 12)), rng.poisson(20, (20, 12))
    table = compare_table(current, baseline, current_periods=7, baseline_periods=28)
    assert table.p_exact.shape == (20, 12) and table.flag.shape == (20, 12)
    assert not np.isnan(table.p_exact).any()


def test_it_handles_an_empty_table_and_all_zero_cells():
    assert compare_table([], []).p_exact.shape == (0,)
    zeros = compare_table([0, 0], [0, 0])
    assert list(zeros.flag) == ["too_few", "too_few"] and list(zeros.p_exact) == [1.0, 1.0]
