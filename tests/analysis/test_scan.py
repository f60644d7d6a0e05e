"""The space-time permutation scan against hand arithmetic and a naive loop over cylinders."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from trygg.analysis.scan import space_time_scan


def grid(width, height, step=100.0):
    xs, ys = np.meshgrid(np.arange(width), np.arange(height))
    return np.c_[xs.ravel(), ys.ravel()] * step


def naive_best(counts, coords, *, max_fraction=0.5, max_neighbours=30, max_days):
    """Every circle (all cells within a radius) × every window ending on the last day."""
    n_cells, n_days = counts.shape
    total = counts.sum()
    best = (0.0, None)
    for centre in range(n_cells):
        dist = np.hypot(*(coords - coords[centre]).T)
        for radius in np.unique(dist):
            cells = np.flatnonzero(dist <= radius)
            in_circle = counts[cells].sum()
            if len(cells) > max_neighbours or in_circle > max_fraction * total:
                continue
            for length in range(1, max_days + 1):
                c = counts[cells, n_days - length :].sum()
                mu = in_circle * counts[:, n_days - length :].sum() / total
                if c > mu:
                    llr = c * math.log(c / mu)
                    if c < total:
                        llr += (total - c) * math.log((total - c) / (total - mu))
                    if llr > best[0]:
                        best = (llr, (tuple(int(z) for z in cells), n_days - length, c, mu))
    return best


class TestByHand:
    def test_it_finds_the_cylinder_computed_by_hand(self):
        # Three cells 100 m apart on a line; four cases in cell 0 on the last day.
        counts = np.array([[0, 0, 4], [1, 1, 0], [1, 1, 0]])
        coords = [[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]]
        result = space_time_scan(counts, coords, max_days=2, replicates=99, rng=1)
        # C = 8; circle {0} holds 4 cases, the last day 4: μ = 4·4/8 = 2, c = 4.
        # LLR = 4 log(4/2) + 4 log(4/6) = 4 log(4/3). The two-day window gives
        # μ = 4·6/8 = 3 and only 4 log(16/15); every other cylinder has c ≤ μ,
        # or holds more than half of all cases ({0, 1}), or splits the tie
        # around cell 1 ({1, 0} without 2).
        best = result.clusters[0]
        assert best.llr == pytest.approx(4 * math.log(4 / 3), rel=1e-12)
        assert (best.cells, best.start_day, best.end_day) == ((0,), 2, 2)
        assert (best.observed, best.expected, best.radius_m) == (4, 2.0, 0.0)
        assert len(result.clusters) == 1
        assert best.recurrence_interval_days == pytest.approx(1 / best.p)

    def test_it_computes_p_as_the_rank_among_replicates(self):
        counts = np.array([[0, 0, 4], [1, 1, 0], [1, 1, 0]])
        result = space_time_scan(counts, [[0, 0], [100, 0], [200, 0]], max_days=2, rng=3)
        best = result.clusters[0]
        at_least = np.count_nonzero(result.replicate_max_llr >= best.llr)
        assert best.p == (at_least + 1) / 1000 and result.replicates == 999


class TestAgainstNaiveLoop:
    @pytest.mark.parametrize("seed", range(4))
    @pytest.mark.parametrize("layout", ["grid", "scattered"])
    def test_it_finds_the_same_best_cylinder(self, seed, layout):
        rng = np.random.default_rng(seed)
        coords = grid(6, 5) if layout == "grid" else rng.uniform(0, 1000, (30, 2))
        counts = rng.poisson(rng.uniform(0.1, 1.0, (30, 1)), (30, 12))
        result = space_time_scan(counts, coords, max_days=5, max_neighbours=9, replicates=0)
        llr, (cells, start, observed, expected) = naive_best(
            counts, coords, max_days=5, max_neighbours=9
        )
        best = result.clusters[0]
        assert best.llr == pytest.approx(llr, rel=1e-9)
        assert (best.cells, best.start_day, best.observed) == (cells, start, observed)
        assert best.expected == pytest.approx(expected, rel=1e-12)

    def test_its_secondary_clusters_share_no_cell(self):
        rng = np.random.default_rng(9)
        counts = rng.poisson(0.5, (30, 12))
        result = space_time_scan(counts, grid(6, 5), max_days=5, replicates=0, max_clusters=10)
        cells = [c for cluster in result.clusters for c in cluster.cells]
        assert len(cells) == len(set(cells))
        llrs = [cluster.llr for cluster in result.clusters]
        assert llrs == sorted(llrs, reverse=True) and len(llrs) > 1


def with_cluster(seed, *, extra):
    rng = np.random.default_rng(seed)
    counts = rng.poisson(0.3, (100, 20))
    block = [44, 45, 54, 55]  # a 2×2 block in the middle of a 10×10 grid
    counts[block, -3:] += extra
    return counts, block


class TestPower:
    def test_it_finds_an_injected_emerging_cluster(self):
        counts, block = with_cluster(4, extra=2)
        result = space_time_scan(counts, grid(10, 10), max_days=7, replicates=99, rng=4)
        best = result.clusters[0]
        assert best.p <= 0.05
        assert len(set(best.cells) & set(block)) >= 3
        assert len(best.cells) <= 9 and best.start_day >= 15


def null_counts(rng):
    # Cells and days differ in level, but there is no space-time interaction.
    cell_rate = rng.gamma(2.0, 0.5, 64)
    day_rate = rng.uniform(0.5, 1.5, 14)
    return rng.poisson(0.4 * cell_rate[:, None] * day_rate[None, :])


@pytest.mark.slow
def test_it_keeps_false_alarms_at_the_nominal_level():
    rng = np.random.default_rng(20261125)
    coords = grid(8, 8)
    rejections = 0
    for _ in range(200):
        result = space_time_scan(null_counts(rng), coords, max_days=7, replicates=99, rng=rng)
        rejections += bool(result.clusters) and result.clusters[0].p <= 0.05
    assert rejections / 200 <= 0.06


class TestDegenerateInput:
    @pytest.mark.parametrize(
        "counts, coords",
        [
            (np.zeros((30, 12), dtype=int), grid(6, 5)),
            (np.zeros((0, 0), dtype=int), np.zeros((0, 2))),
            (np.zeros((4, 0), dtype=int), grid(2, 2)),
            (np.array([[0, 3, 1]]), [[0.0, 0.0]]),
        ],
    )
    def test_it_finds_no_cluster_without_an_excess(self, counts, coords):
        result = space_time_scan(counts, coords, replicates=9, rng=1)
        assert result.clusters == ()
        assert not np.isnan(result.replicate_max_llr).any()

    def test_it_refuses_negative_counts(self):
        with pytest.raises(ValueError, match="non-negative"):
            space_time_scan([[1, -1]], [[0, 0]])

    def test_it_refuses_a_centroid_count_that_does_not_match(self):
        with pytest.raises(ValueError, match="centroids"):
            space_time_scan(np.ones((3, 4)), grid(2, 1))

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        counts=arrays(
            np.int64, st.tuples(st.integers(1, 9), st.integers(1, 8)), elements=st.integers(0, 5)
        )
    )
    def test_it_never_gives_nan_or_a_negative_llr(self, counts):
        coords = np.c_[np.arange(len(counts)) % 3, np.arange(len(counts)) // 3] * 100.0
        result = space_time_scan(counts, coords, replicates=5, rng=0)
        for cluster in result.clusters:
            assert cluster.llr > 0 and 0 < cluster.p <= 1
            assert cluster.observed > cluster.expected
        assert (result.replicate_max_llr >= 0).all()
