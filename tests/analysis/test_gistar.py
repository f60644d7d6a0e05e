import gzip
from pathlib import Path

import esda
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from libpysal.weights import DistanceBand, W, lat2W

from trygg.analysis.gistar import benjamini_hochberg, distance_stencil, gi_star
from trygg.analysis.grid import Grid, bin_points

DATA = Path(__file__).resolve().parents[1] / "data"


def random_grid(seed=0, shape=(25, 30), lam=1.5):
    return np.random.default_rng(seed).poisson(lam, shape).astype(float)


def clustered_grid(seed=0, shape=(25, 30)):
    counts = random_grid(seed, shape, lam=0.7)
    counts[5:9, 6:10] += 6  # a hot spot
    counts[15:, 20:] = 0  # a quiet corner
    return counts


def esda_z(counts, w):
    return esda.G_Local(counts.ravel(), w, transform="B", star=True, permutations=0).Zs


def centres(shape, cell=100.0):
    cy, cx = np.mgrid[0 : shape[0], 0 : shape[1]]
    return np.column_stack([(cx.ravel() + 0.5) * cell, (cy.ravel() + 0.5) * cell])


def masked_weights(mask, radius):
    """libpysal weights among the valid cells only: queen window of `radius`, self excluded."""
    rows, cols = np.nonzero(mask)
    index = {(r, c): i for i, (r, c) in enumerate(zip(rows, cols, strict=True))}
    neighbours = {
        i: [
            index[(r + dr, c + dc)]
            for dr in range(-radius, radius + 1)
            for dc in range(-radius, radius + 1)
            if (dr, dc) != (0, 0) and (r + dr, c + dc) in index
        ]
        for (r, c), i in index.items()
    }
    return W(neighbours, silence_warnings=True)


@pytest.mark.parametrize("make", [random_grid, clustered_grid])
def test_it_gives_esdas_z_with_queen_contiguity(make):
    counts = make()
    z = gi_star(counts, permutations=0).z
    np.testing.assert_allclose(
        z.ravel(), esda_z(counts, lat2W(*counts.shape, rook=False)), atol=1e-9
    )


@pytest.mark.parametrize("make", [random_grid, clustered_grid])
@pytest.mark.parametrize("band", [150.0, 300.0, 520.0])
def test_it_gives_esdas_z_with_a_distance_band(make, band):
    counts = make(seed=4)
    w = DistanceBand(centres(counts.shape), threshold=band, binary=True, silence_warnings=True)
    z = gi_star(counts, distance_m=band, cell_m=100.0, permutations=0).z
    np.testing.assert_allclose(z.ravel(), esda_z(counts, w), atol=1e-9)


def test_it_uses_the_fft_path_for_a_wide_band_with_the_same_result():
    counts = clustered_grid(seed=5)
    assert distance_stencil(1_000.0, 100.0).size > 225
    w = DistanceBand(centres(counts.shape), threshold=1_000.0, binary=True, silence_warnings=True)
    z = gi_star(counts, distance_m=1_000.0, cell_m=100.0, permutations=0).z
    np.testing.assert_allclose(z.ravel(), esda_z(counts, w), atol=1e-9)


def test_it_keeps_exact_ties_in_permutations_with_a_wide_band():
    # On a constant grid every simulated sum ties with the observed one: nothing is significant.
    result = gi_star(np.full((20, 20), 2.0), distance_m=1_000.0, cell_m=100.0, permutations=99)
    assert (result.p == 1).all() and (result.hot_cold == 0).all()


@pytest.mark.parametrize("radius", [1, 2])
def test_it_counts_only_valid_cells_as_observations_and_neighbours(radius):
    counts = clustered_grid(seed=6)
    rows, cols = np.mgrid[0 : counts.shape[0], 0 : counts.shape[1]]
    mask = (rows - 12) ** 2 + (cols - 14) ** 2 < 11**2  # a round municipality
    counts[~mask] = 99  # must be ignored
    result = gi_star(counts, mask=mask, radius_cells=radius, permutations=0)
    expected = esda_z(counts[mask], masked_weights(mask, radius))
    np.testing.assert_allclose(result.z[mask], expected, atol=1e-9)
    assert (result.z[~mask] == 0).all() and (result.p[~mask] == 1).all()
    assert result.n_cells == mask.sum()


def west_yorkshire_grid(cell=500.0):
    """Real street-level crime of July 2018 on a British National Grid raster."""
    from pyproj import Transformer

    with gzip.open(DATA / "police_uk_2018-07-west-yorkshire-street.csv.gz", "rt") as f:
        header = f.readline().rstrip("\n").split(",")
        lon_at, lat_at = header.index("Longitude"), header.index("Latitude")
        rows = [line.split(",") for line in f]
    coords = np.array([(r[lon_at], r[lat_at]) for r in rows if r[lon_at] and r[lat_at]], float)
    x, y = Transformer.from_crs(4326, 27700, always_xy=True).transform(coords[:, 0], coords[:, 1])
    keep = (x > 400_000) & (x < 440_000) & (y > 420_000) & (y < 445_000)  # Leeds and Bradford
    counts, _, _ = np.histogram2d(
        y[keep],
        x[keep],
        bins=[np.arange(420_000, 445_001, cell), np.arange(400_000, 440_001, cell)],
    )
    return counts


def test_it_gives_esdas_z_on_real_crime_data():
    counts = west_yorkshire_grid()
    z = gi_star(counts, permutations=0).z
    np.testing.assert_allclose(
        z.ravel(), esda_z(counts, lat2W(*counts.shape, rook=False)), atol=1e-9
    )
    assert z.max() > 10  # city centres are real hot spots


def test_its_permutation_p_values_agree_with_esdas_within_monte_carlo_error():
    counts = clustered_grid(seed=7, shape=(30, 40))
    w = lat2W(*counts.shape, rook=False)
    rounds = 999
    ref = esda.G_Local(counts.ravel(), w, transform="B", star=True, permutations=rounds, seed=11)
    ours = np.mean(
        [gi_star(counts, permutations=rounds, seed=s).p_sim.ravel() for s in range(4)], axis=0
    )
    # Binomial s.e. of the difference of esda's single run and the mean of our four runs.
    se = np.sqrt(ref.p_sim * (1 - ref.p_sim) / rounds * (1 + 1 / 4))
    gap = np.abs(ours - ref.p_sim)
    assert (gap <= 4.5 * se + 2 / rounds).all()
    assert abs(gap.mean()) < 0.01
    np.testing.assert_array_equal((ours < 0.5) & (ref.p_sim < 0.01), ref.p_sim < 0.01)


def naive_conditional_randomisation(counts, rounds, rng):
    """Textbook loop: hold y_i, draw its k_i − 1 neighbours from the other cells."""
    y = counts.ravel()
    w = lat2W(*counts.shape, rook=False)
    larger = np.zeros(y.size)
    for i in range(y.size):
        k = len(w.neighbors[i])
        observed = y[i] + y[w.neighbors[i]].sum()
        others = np.delete(y, i)
        sims = [y[i] + rng.choice(others, k, replace=False).sum() for _ in range(rounds)]
        larger[i] = (np.array(sims) >= observed).sum()
    low = (rounds - larger) < larger
    return (np.where(low, rounds - larger, larger) + 1) / (rounds + 1)


def test_its_permutation_p_values_match_a_naive_conditional_randomisation():
    counts = clustered_grid(seed=8, shape=(8, 9))
    rounds = 2_000
    naive = naive_conditional_randomisation(counts, rounds, np.random.default_rng(0))
    ours = gi_star(counts, permutations=rounds, seed=1).p_sim.ravel()
    se = np.sqrt(naive * (1 - naive) / rounds * 2)
    assert (np.abs(ours - naive) <= 4.5 * se + 2 / rounds).all()


def test_its_permutations_repeat_with_the_same_seed():
    counts = clustered_grid(seed=9)
    a = gi_star(counts, permutations=99, seed=3).p_sim
    b = gi_star(counts, permutations=99, seed=np.random.default_rng(3)).p_sim
    np.testing.assert_array_equal(a, b)


def test_it_finds_the_planted_hot_spot_and_classes_it_at_99_percent():
    result = gi_star(clustered_grid(), permutations=0)
    assert result.hot_cold[6:8, 7:9].min() == 3
    assert result.significant[6:8, 7:9].all()
    assert not result.none_significant and 0 < result.p_threshold <= 0.05
    assert result.hot_cold.min() >= -3 and result.hot_cold.max() <= 3


def test_it_finds_the_planted_hot_spot_with_permutations_too():
    # 999 rounds cannot give p below 2/1000, too coarse for FDR over 750 cells.
    assert gi_star(clustered_grid(), permutations=999, seed=0).none_significant
    result = gi_star(clustered_grid(), permutations=9_999, seed=0)
    assert result.significant[6:8, 7:9].all()
    assert (result.hot_cold[6:8, 7:9] >= 2).all()


def test_it_takes_the_normal_p_value_two_sided():
    result = gi_star(clustered_grid(), permutations=0)
    w = lat2W(25, 30, rook=False)
    ref = esda.G_Local(clustered_grid().ravel(), w, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(result.p.ravel(), 2 * ref.p_norm, atol=1e-12)


def test_its_fdr_threshold_matches_esda_when_something_passes():
    p = np.concatenate([np.random.default_rng(1).uniform(0, 1, 500), [1e-5, 1e-4, 2e-4, 1e-3]])
    assert benjamini_hochberg(p, 0.05) == pytest.approx(esda.fdr(p, 0.05))
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005], 0.05) == 0.05
    assert benjamini_hochberg([0.01, 0.2, 0.03, 0.005], 0.05) == pytest.approx(0.0375)


def test_its_fdr_says_none_significant_instead_of_falling_back_to_bonferroni():
    p = np.array([0.2, 0.3, 0.5, 0.04 / 4 + 0.001])
    assert benjamini_hochberg(p, 0.01) == 0.0
    result = gi_star(random_grid(seed=2, shape=(10, 10)), fdr=True, alpha=1e-6)
    assert result.none_significant and result.p_threshold == 0.0


def test_without_fdr_it_uses_the_raw_p_value():
    counts = clustered_grid()
    raw, corrected = gi_star(counts, fdr=False, permutations=0), gi_star(counts, permutations=0)
    assert raw.significant.sum() >= corrected.significant.sum()
    np.testing.assert_array_equal(raw.significant, raw.p < 0.05)


@pytest.mark.parametrize("permutations", [0, 99])
@pytest.mark.parametrize(
    "counts",
    [np.zeros((6, 7)), np.full((6, 7), 3.0), np.eye(6, 7), np.zeros((1, 1)), np.ones((1, 2))],
)
def test_it_gives_sensible_results_for_degenerate_grids(counts, permutations):
    result = gi_star(counts, permutations=permutations, seed=0)
    for values in (result.z, result.p, result.p_norm):
        assert np.isfinite(values).all()
    assert ((result.p >= 0) & (result.p <= 1)).all()
    if counts.std() == 0:
        assert (result.z == 0).all() and result.none_significant


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 12), st.integers(1, 12)), elements=st.integers(0, 9)),
    st.integers(1, 3),
)
def test_it_mirrors_with_the_grid_and_never_returns_nan(counts, radius):
    counts = counts.astype(float)
    result = gi_star(counts, radius_cells=radius, permutations=19, seed=0)
    flipped = gi_star(counts[::-1, ::-1], radius_cells=radius, permutations=0)
    assert np.isfinite(result.z).all() and np.isfinite(result.p).all()
    assert ((result.p > 0) & (result.p <= 1)).all()
    np.testing.assert_allclose(flipped.z[::-1, ::-1], result.z, atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 1_000), st.integers(-3, 3), st.integers(-3, 3))
def test_it_moves_with_the_pattern_inside_a_zero_border(seed, dr, dc):
    inner = random_grid(seed, (8, 8))
    a, b = np.zeros((20, 20)), np.zeros((20, 20))
    a[6:14, 6:14] = inner
    b[6 + dr : 14 + dr, 6 + dc : 14 + dc] = inner
    za, zb = gi_star(a, permutations=0).z, gi_star(b, permutations=0).z
    # Away from the grid's edge every cell has the same number of neighbours in both.
    np.testing.assert_allclose(za[5:15, 5:15], zb[5 + dr : 15 + dr, 5 + dc : 15 + dc], atol=1e-9)


def test_it_runs_999_conditional_permutations_by_default():
    result = gi_star(clustered_grid(), seed=0)
    assert result.permutations == 999 and result.p_sim is not None
    assert result.p.min() == pytest.approx(2 / 1_000)


GRID = Grid(x0=0.0, y0=0.0, cell=100.0, nx=12, ny=10)
points = st.lists(st.tuples(st.integers(0, 1_199), st.integers(0, 999)), max_size=60)


@settings(max_examples=30, deadline=None)
@given(points, st.integers(-20, 20), st.integers(-20, 20), st.randoms(use_true_random=False))
def test_it_gives_the_same_map_for_moved_or_reordered_points(pts, di, dj, random):
    x = np.array([p[0] for p in pts], float)
    y = np.array([p[1] for p in pts], float)
    moved = Grid(di * 100.0, dj * 100.0, 100.0, GRID.nx, GRID.ny)
    order = list(range(len(pts)))
    random.shuffle(order)
    a = gi_star(bin_points(x, y, GRID).counts, permutations=99, seed=5)
    b = gi_star(bin_points(x + di * 100, y + dj * 100, moved).counts, permutations=99, seed=5)
    c = gi_star(bin_points(x[order], y[order], GRID).counts, permutations=99, seed=5)
    for other in (b, c):
        np.testing.assert_array_equal(a.z, other.z)
        np.testing.assert_array_equal(a.p, other.p)
        np.testing.assert_array_equal(a.hot_cold, other.hot_cold)
    assert np.isfinite(a.z).all() and np.isfinite(a.p).all()
    if len(pts) <= 1:  # no events or a single event: nothing to call a hot spot
        assert a.none_significant


# --- the exact permutation p-value ("exact": conditional randomisation without Monte Carlo) ---


def enumerated_p(counts, mask=None, radius=1):
    """Two-sided conditional-randomisation p by listing every neighbour set (tiny grids only)."""
    from itertools import combinations

    keep = np.ones(counts.shape, bool) if mask is None else mask
    y = counts[keep]
    index = {rc: i for i, rc in enumerate(zip(*np.nonzero(keep), strict=True))}
    p = np.ones(y.size)
    for (r, c), i in index.items():
        near = [
            index[(r + dr, c + dc)]
            for dr in range(-radius, radius + 1)
            for dc in range(-radius, radius + 1)
            if (dr, dc) != (0, 0) and (r + dr, c + dc) in index
        ]
        observed = y[i] + y[near].sum()
        others = np.delete(y, i)
        sims = np.array([y[i] + sum(s) for s in combinations(others, len(near))])
        p[i] = min(1.0, 2 * min((sims >= observed).mean(), (sims <= observed).mean()))
    return p


@pytest.mark.parametrize("seed", range(4))
def test_its_exact_p_equals_listing_every_permutation(seed):
    rng = np.random.default_rng(seed)
    counts = rng.negative_binomial(0.4, 0.15, (3, 4)).astype(float)
    result = gi_star(counts, permutations="exact")
    np.testing.assert_allclose(result.p.ravel(), enumerated_p(counts), atol=1e-12)
    assert result.inference == "exact" and result.permutations == 0


def test_its_exact_p_respects_the_mask_and_a_wider_window():
    counts = np.random.default_rng(5).poisson(2.0, (4, 4)).astype(float)
    mask = np.ones((4, 4), bool)
    mask[0, :2] = mask[3, 3] = False
    counts[~mask] = 50  # must be ignored
    result = gi_star(counts, mask=mask, radius_cells=2, permutations="exact")
    np.testing.assert_allclose(result.p[mask], enumerated_p(counts, mask, radius=2), atol=1e-12)


def test_its_exact_p_agrees_with_a_naive_permutation_loop():
    # An independent reference: the textbook loop with random draws, within Monte Carlo error.
    counts = clustered_grid(seed=8, shape=(6, 7))
    rounds = 4_000
    naive = naive_conditional_randomisation(counts, rounds, np.random.default_rng(0))
    exact = gi_star(counts, permutations="exact").p_sim.ravel()
    se = np.sqrt(exact * (1 - exact) / rounds)
    assert (np.abs(naive - exact) <= 4.5 * se + 1 / rounds).all()


def test_its_exact_p_needs_counts():
    with pytest.raises(ValueError, match="integer counts"):
        gi_star(np.full((3, 3), 0.5), permutations="exact")


def test_its_exact_p_finds_the_planted_hot_spot_below_any_permutation_floor():
    result = gi_star(clustered_grid(), permutations="exact")
    assert result.significant[6:8, 7:9].all() and (result.hot_cold[6:8, 7:9] == 3).all()
    # 9,999 permutations cannot go below 2e-4; the exact p can.
    assert result.p[6:8, 7:9].max() < 1e-6
    again = gi_star(clustered_grid(), permutations="exact")
    np.testing.assert_array_equal(result.p, again.p)  # no seed: the same data, the same map


@pytest.mark.parametrize("permutations", [0, "exact"])
@pytest.mark.parametrize(
    "counts", [np.zeros((6, 7)), np.full((6, 7), 3.0), np.eye(6, 7), np.zeros((1, 1))]
)
def test_its_exact_p_is_sensible_for_degenerate_grids(counts, permutations):
    result = gi_star(counts, permutations=permutations)
    assert np.isfinite(result.p).all() and ((result.p >= 0) & (result.p <= 1)).all()
    if counts.std() == 0:
        assert result.none_significant


def skewed_null_grid(seed, shape=(40, 40)):
    """Crime-like counts with no hot spot at all: iid Poisson counts with lognormal rates
    (about 60 % empty cells, skewness 5–20), so every hot spot found is a false one."""
    rng = np.random.default_rng(seed)
    return rng.poisson(np.exp(rng.normal(-1.0, 1.5, shape))).astype(float)


def null_fdr(seed_count, **options):
    """False discovery rate over the replicates: every discovery is false, so FDP is 0 or 1."""
    found = [gi_star(skewed_null_grid(s), **options).significant.any() for s in range(seed_count)]
    return float(np.mean(found))


def test_the_null_grids_are_as_skewed_as_crime_counts():
    from scipy import stats

    grids = [skewed_null_grid(s).ravel() for s in range(20)]
    assert 0.5 < np.mean([(g == 0).mean() for g in grids]) < 0.7
    assert 7 < np.median([stats.skew(g) for g in grids]) < 13


@pytest.mark.slow
def test_on_skewed_counts_without_hot_spots_only_the_exact_p_keeps_the_fdr():
    replicates = 200  # ~2.5 s; over 600 replicates the exact p's rate is 0.022
    assert null_fdr(replicates, permutations=0) > 0.5  # the normal p: false hot spots nearly always
    assert null_fdr(replicates, permutations="exact") <= 0.05


def test_an_empty_cell_is_hot_through_its_neighbours_unless_hot_needs_events():
    counts = np.random.default_rng(3).poisson(0.3, (20, 20)).astype(float)
    counts[9:12, 9:12] = 6.0
    counts[10, 10] = 0.0  # an empty cell inside a busy ring
    free = gi_star(counts, permutations="exact")
    assert free.significant[10, 10] and free.hot_cold[10, 10] > 0
    assert free.p[10, 10] == free.p.min()  # its window is the most extreme of all
    ruled = gi_star(counts, permutations="exact", hot_needs_events=True)
    assert not ruled.significant[10, 10] and ruled.p[10, 10] == 1.0
    assert ruled.significant[9:12, 9:12].sum() >= 4  # the ring stays hot
    np.testing.assert_array_equal(ruled.z, free.z)


def test_an_empty_cell_can_still_be_cold():
    counts = np.full((12, 12), 5.0)
    counts[5:8, 5:8] = 0.0  # a quiet block in a busy town
    result = gi_star(counts, permutations="exact", hot_needs_events=True, fdr=False)
    assert result.hot_cold[6, 6] < 0 and result.significant[6, 6]


def test_on_real_crime_data_the_exact_p_keeps_a_small_part_of_the_normal_hot_spots():
    # Leeds and Bradford, July 2018, 250 m cells: 70 % empty, skewness 11.
    counts = west_yorkshire_grid(cell=250.0)
    normal = gi_star(counts, permutations=0)
    exact = gi_star(counts, permutations="exact", hot_needs_events=True)
    assert normal.significant.sum() == 978 and exact.significant.sum() == 26
    assert not (exact.significant & ~normal.significant).any()
    assert (normal.significant & (normal.hot_cold > 0) & (counts == 0)).sum() == 63  # empty
    assert not ((exact.hot_cold > 0) & (counts == 0)).any()
    assert (exact.hot_cold[exact.significant] > 0).all()  # the city centres
