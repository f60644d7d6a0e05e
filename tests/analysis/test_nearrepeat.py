"""Near-repeat Knox tables against a naive all-pairs loop, pointpats and real NRC output."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.analysis.nearrepeat import knox_test, near_repeat

DATA = Path(__file__).resolve().parents[1] / "data"
NRC = DATA / "nrc_validation"

# The repository's autouse fixtures are function-scoped; these properties do
# not touch them, so hypothesis may reuse them across examples.
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def naive_table(xy, t, s_edges, t_edges, *, closed, metric, perm=None):
    """The table by a plain loop over all n(n-1)/2 pairs (the NRC / R NearRepeat way)."""
    times = t if perm is None else t[perm]
    table = np.zeros((len(s_edges) + 2, len(t_edges) + 1), dtype=np.int64)
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            dx, dy = xy[i, 0] - xy[j, 0], xy[i, 1] - xy[j, 1]
            d = abs(dx) + abs(dy) if metric == "manhattan" else math.sqrt(dx * dx + dy * dy)
            row = 0 if d == 0 else 1 + band_of(d, s_edges, closed)
            table[row, band_of(abs(times[i] - times[j]), t_edges, closed)] += 1
    return table


def band_of(value, edges, closed):
    for k, edge in enumerate(edges):
        if (value <= edge) if closed else (value < edge):
            return k
    return len(edges)


def naive_near_repeat(xy, t, bandwidths, bands, *, permutations, seed, closed, metric):
    s_edges = [bandwidths[0] * k for k in range(1, bands[0] + 1)]
    t_edges = [bandwidths[1] * k for k in range(1, bands[1] + 1)]
    observed = naive_table(xy, t, s_edges, t_edges, closed=closed, metric=metric)
    rng = np.random.default_rng(seed)
    sims = np.array(
        [
            naive_table(
                xy, t, s_edges, t_edges, closed=closed, metric=metric, perm=rng.permutation(len(t))
            )
            for _ in range(permutations)
        ]
    )
    expected = sims.mean(axis=0)
    p = ((sims >= observed).sum(axis=0) + 1) / (permutations + 1)
    return observed, expected, p


def random_events(seed, n, *, lattice):
    rng = np.random.default_rng(seed)
    if lattice:
        # Integer metres and days put many pairs exactly on band edges
        # (3-4-5 triangles: 50 m apart at (30, 40)).
        xy = rng.integers(0, 25, size=(n, 2)) * 10.0
        t = rng.integers(0, 30, size=n).astype(float)
    else:
        xy = rng.uniform(0, 400, size=(n, 2))
        t = rng.uniform(0, 40, size=n)
    return xy, t


class TestNearRepeatAgainstNaiveLoop:
    @pytest.mark.parametrize("lattice", [True, False])
    @pytest.mark.parametrize("nrc_compat", [False, True])
    @pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
    def test_it_gives_bit_identical_tables(self, lattice, nrc_compat, metric):
        xy, t = random_events(7, 90, lattice=lattice)
        ours = near_repeat(
            xy, t, spatial_bandwidth=50, spatial_bands=3, temporal_bandwidth=5,
            temporal_bands=3, permutations=9, rng=np.random.default_rng(11),
            metric=metric, nrc_compat=nrc_compat,
        )  # fmt: skip
        observed, expected, p = naive_near_repeat(
            xy, t, (50, 5), (3, 3), permutations=9, seed=11, closed=not nrc_compat, metric=metric
        )
        np.testing.assert_array_equal(ours.observed, observed)
        np.testing.assert_array_equal(ours.expected, expected)
        np.testing.assert_array_equal(ours.p, p)

    def test_it_finds_pairs_on_every_edge_of_a_lattice(self):
        xy, t = random_events(7, 90, lattice=True)
        d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
        off_axis = np.abs(xy[:, None, 0] - xy[None, :, 0]) == 30
        assert (d[off_axis] == 50).any() and np.isin([100.0, 150.0], d).all()
        assert np.isin([5.0, 10.0, 15.0], np.abs(t[:, None] - t[None, :])).all()


class TestBandConvention:
    def test_it_puts_a_lag_of_exactly_one_bandwidth_in_the_first_band(self):
        xy = [[0.0, 0.0], [50.0, 0.0]]
        ours = near_repeat(xy, [0.0, 7.0], **BANDS_100_7, permutations=0)
        nrc = near_repeat(xy, [0.0, 7.0], **BANDS_100_7, permutations=0, nrc_compat=True)
        assert ours.observed[1, 0] == 1 and ours.column_labels[0] == "[0, 7] d"
        # NRC labels this column "8 to 14" days but counts the 7-day pair in it.
        assert nrc.observed[1, 1] == 1 and nrc.column_labels[1] == "[7, 14) d"

    def test_it_puts_a_distance_of_exactly_one_bandwidth_in_the_first_band(self):
        xy = [[0.0, 0.0], [60.0, 80.0]]
        ours = near_repeat(xy, [0.0, 1.0], **BANDS_100_7, permutations=0)
        nrc = near_repeat(xy, [0.0, 1.0], **BANDS_100_7, permutations=0, nrc_compat=True)
        assert ours.observed[1, 0] == 1 and ours.row_labels[1] == "(0, 100] m"
        assert nrc.observed[2, 0] == 1 and nrc.row_labels[2] == "[100, 200) m"

    def test_it_counts_identical_coordinates_as_same_location(self):
        ours = near_repeat([[5.0, 5.0], [5.0, 5.0]], [1.0, 30.0], **BANDS_100_7, permutations=3)
        assert ours.observed[0, 3] == 1 and ours.row_labels[0] == "same location"


BANDS_100_7 = {
    "spatial_bandwidth": 100,
    "spatial_bands": 3,
    "temporal_bandwidth": 7,
    "temporal_bands": 3,
}


def read_burkitt():
    import libpysal

    table = libpysal.io.open(str(DATA / "burkitt" / "burkitt.dbf"))
    columns = [table.header.index(c) for c in ("X", "Y", "T")]
    rows = np.array([[row[c] for c in columns] for row in table.read()], dtype=float)
    table.close()
    return rows[:, :2], rows[:, 2]


class TestKnoxOnBurkitt:
    """Oracle values from pointpats' own tests (tests/test_spacetime.py)."""

    def test_it_counts_13_close_pairs_and_the_pointpats_table(self):
        xy, t = read_burkitt()
        result = knox_test(xy, t, delta=20, tau=5, permutations=0)
        assert result.close_pairs == 13
        np.testing.assert_array_equal(result.observed, [[13, 3416], [39, 14110]])
        np.testing.assert_allclose(
            result.expected,
            [[1.01438161e01, 3.41885618e03], [4.1856139e01, 1.41071438e04]],
            rtol=1e-5,
        )

    def test_it_reports_p_poisson_as_at_least_observed(self):
        from scipy.stats import poisson

        xy, t = read_burkitt()
        result = knox_test(xy, t, delta=20, tau=5, permutations=0)
        # pointpats reports P(X > 13) = 0.14624558197140414; we report P(X ≥ 13).
        pointpats_p = result.p_poisson - poisson.pmf(13, result.expected_close)
        assert pointpats_p == pytest.approx(0.14624558197140414, rel=1e-12)

    def test_it_reproduces_pointpats_p_sim_with_its_legacy_seed(self):
        xy, t = read_burkitt()
        result = knox_test(xy, t, delta=20, tau=5, rng=np.random.RandomState(12345))
        assert result.p_sim == 0.21

    def test_it_agrees_with_the_installed_pointpats_knox(self):
        from pointpats import Knox

        xy, t = read_burkitt()
        theirs = Knox(xy, t[:, None], delta=20, tau=5, permutations=0)
        ours = knox_test(xy, t, delta=20, tau=5, permutations=0)
        assert ours.close_pairs == theirs.statistic_
        np.testing.assert_array_equal(ours.observed, theirs.observed)
        np.testing.assert_allclose(ours.expected, theirs.expected, rtol=1e-12)

    def test_it_equals_the_near_repeat_table_with_one_band(self):
        xy, t = read_burkitt()
        table = near_repeat(
            xy, t, spatial_bandwidth=20, spatial_bands=1, temporal_bandwidth=5,
            temporal_bands=1, permutations=0,
        )  # fmt: skip
        assert table.observed[:2, 0].sum() == 13


def read_nrc_run(stem):
    """Events as NRC read them, its parameters, and its observed and mean tables."""
    rows = [line.strip().split(",") for line in (NRC / f"{stem}.csv").read_text().splitlines()]
    # NRC evidently keeps coordinates in single precision: one arson pair is
    # 399.96 m apart in double precision and 400.0 m in single, and NRC counts
    # it in the band beyond 400 m.
    xy = np.array([[float(r[0]), float(r[1])] for r in rows], dtype=np.float32)
    t = np.array([dt.date.fromisoformat(r[2]).toordinal() for r in rows], dtype=float)
    summary = re.sub(r"<[^>]*>|\s+", " ", next(NRC.glob(f"{stem}_NRsummary_*.htm")).read_text())
    numbers = re.search(
        r"Iterations requested: (\d+) Spatial bandwidth: (\d+) Number of spatial bands: (\d+) "
        r"Temporal bandwidth: (\d+) Number of temporal bands: (\d+)",
        summary,
    )
    assert numbers is not None
    iterations, s_bw, s_bands, t_bw, t_bands = (int(g) for g in numbers.groups())
    verbose = next(NRC.glob(f"{stem}_NRverbose_*.csv")).read_text().splitlines()
    shape = (s_bands + 2, t_bands + 1)
    start = verbose.index("Observed frequencies distribution") + 3
    observed = [
        [int(c or 0) for c in line.split(",")[2:-1]] for line in verbose[start:][: shape[0]]
    ]
    means = np.zeros(shape)
    for k, line in enumerate(verbose):
        if found := re.match(r"Row (\d+) Column (\d+)", line):
            r, c = int(found[1]) - 1, int(found[2]) - 1
            means[r, c] = float(verbose[k + 6].split(",")[1])
    params = {
        "spatial_bandwidth": s_bw,
        "spatial_bands": s_bands,
        "temporal_bandwidth": t_bw,
        "temporal_bands": t_bands,
    }
    return xy, t, params, iterations, np.array(observed), means


@pytest.mark.parametrize("stem", ["steenbeek_chicago_arson", "steenbeek_chicago_be_month1"])
class TestAgainstTheNearRepeatCalculator:
    def test_it_reproduces_the_observed_table_in_nrc_compat_mode(self, stem):
        xy, t, params, _, observed, _ = read_nrc_run(stem)
        ours = near_repeat(xy, t, **params, permutations=0, metric="manhattan", nrc_compat=True)
        np.testing.assert_array_equal(ours.observed, observed)

    def test_it_differs_from_nrc_only_by_the_band_edges(self, stem):
        xy, t, params, _, observed, _ = read_nrc_run(stem)
        ours = near_repeat(xy, t, **params, permutations=0, metric="manhattan")
        assert ours.observed.sum() == observed.sum() == len(t) * (len(t) - 1) // 2
        assert not np.array_equal(ours.observed, observed)

    def test_its_expected_counts_agree_with_nrc_within_monte_carlo_error(self, stem):
        xy, t, params, iterations, _, means = read_nrc_run(stem)
        ours = near_repeat(
            xy, t, **params, permutations=99, rng=5, metric="manhattan", nrc_compat=True
        )
        # Both are means of permutation counts; for a Poisson-like cell the
        # standard error of NRC's mean is about sqrt(mean / iterations).
        tolerance = 5 * np.sqrt((means + 1) / iterations)
        assert (np.abs(ours.expected - means) <= tolerance).all()


class TestProperties:
    @PROPERTY
    @given(
        events=st.lists(
            st.tuples(st.integers(0, 3000), st.integers(0, 3000), st.integers(0, 60)),
            max_size=40,
        ),
        shift=st.tuples(
            st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6), st.integers(-(10**4), 10**4)
        ),
    )
    def test_it_is_invariant_to_translation(self, events, shift):
        xy, t = as_arrays(events)
        moved = near_repeat(xy + shift[:2], t + shift[2], **BANDS_100_7, permutations=5, rng=3)
        table = near_repeat(xy, t, **BANDS_100_7, permutations=5, rng=3)
        np.testing.assert_array_equal(moved.observed, table.observed)
        np.testing.assert_array_equal(moved.expected, table.expected)
        np.testing.assert_array_equal(moved.p, table.p)

    @PROPERTY
    @given(
        events=st.lists(
            st.tuples(st.floats(0, 2000), st.floats(0, 2000), st.floats(0, 60)), max_size=40
        ),
        seed=st.integers(0, 1000),
    )
    def test_it_does_not_depend_on_the_order_of_events(self, events, seed):
        xy, t = as_arrays(events)
        order = np.random.default_rng(seed).permutation(len(t))
        table = near_repeat(xy, t, **BANDS_100_7, permutations=0)
        shuffled = near_repeat(xy[order], t[order], **BANDS_100_7, permutations=0)
        np.testing.assert_array_equal(shuffled.observed, table.observed)
        knox = knox_test(xy, t, delta=100, tau=7, permutations=0)
        reordered = knox_test(xy[order], t[order], delta=100, tau=7, permutations=0)
        np.testing.assert_array_equal(reordered.observed, knox.observed)

    @PROPERTY
    @given(
        events=st.lists(
            st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(-1e4, 1e4)),
            max_size=30,
        ),
        nrc_compat=st.booleans(),
    )
    def test_it_keeps_the_margins_and_never_gives_nan(self, events, nrc_compat):
        xy, t = as_arrays(events)
        table = near_repeat(xy, t, **BANDS_100_7, permutations=7, rng=1, nrc_compat=nrc_compat)
        n = len(t)
        assert table.observed.sum() == n * (n - 1) // 2 == table.n_pairs
        # Permuting times keeps every pair's distance and the multiset of lags.
        np.testing.assert_allclose(table.expected.sum(axis=1), table.observed.sum(axis=1))
        np.testing.assert_allclose(table.expected.sum(axis=0), table.observed.sum(axis=0))
        for values in (table.expected, table.knox_ratio, table.p):
            assert not np.isnan(values).any()
        assert ((table.p > 0) & (table.p <= 1)).all()


def as_arrays(events):
    array = np.array(events, dtype=float).reshape(-1, 3)
    return array[:, :2], array[:, 2]


class TestDegenerateInput:
    @pytest.mark.parametrize("n", [0, 1])
    def test_it_gives_an_empty_table_for_fewer_than_two_events(self, n):
        table = near_repeat(np.zeros((n, 2)), np.zeros(n), **BANDS_100_7, permutations=9)
        assert table.observed.shape == (5, 4) and table.observed.sum() == 0
        assert (table.p == 1).all() and (table.knox_ratio == 0).all()
        knox = knox_test(np.zeros((n, 2)), np.zeros(n), delta=100, tau=7)
        assert knox.close_pairs == 0 and knox.p_sim == 1 and knox.p_poisson == 1

    def test_it_refuses_coordinates_that_are_not_finite(self):
        with pytest.raises(ValueError, match="finite"):
            near_repeat([[0, np.nan]], [0], **BANDS_100_7)

    def test_it_refuses_mismatched_lengths(self):
        with pytest.raises(ValueError, match="times"):
            knox_test([[0, 0], [1, 1]], [0], delta=1, tau=1)
