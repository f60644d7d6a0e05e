from collections import Counter

import h3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.analysis.grid import Grid, bin_h3, bin_points

GRID = Grid(x0=670_000.0, y0=6_570_000.0, cell=100.0, nx=20, ny=15)


def random_points(n, seed=0, grid=GRID):
    rng = np.random.default_rng(seed)
    x = rng.uniform(grid.x0 - 200, grid.x0 + grid.nx * grid.cell + 200, n)
    y = rng.uniform(grid.y0 - 200, grid.y0 + grid.ny * grid.cell + 200, n)
    return x, y


def test_it_counts_points_per_cell_like_histogram2d():
    x, y = random_points(5_000)
    binned = bin_points(x, y, GRID)
    edges_x = GRID.x0 + np.arange(GRID.nx + 1) * GRID.cell
    edges_y = GRID.y0 + np.arange(GRID.ny + 1) * GRID.cell
    expected, _, _ = np.histogram2d(y, x, bins=[edges_y, edges_x])
    assert binned.counts.shape == (GRID.ny, GRID.nx)
    np.testing.assert_array_equal(binned.counts, expected)
    assert binned.dropped == 5_000 - expected.sum()


def test_it_puts_row_zero_at_the_southern_edge():
    binned = bin_points([GRID.x0 + 150], [GRID.y0 + 50], GRID)
    assert binned.counts[0, 1] == 1 and binned.counts.sum() == 1


def test_it_excludes_cells_outside_the_mask_and_counts_their_points_as_dropped():
    x, y = random_points(2_000, seed=1)
    mask = np.ones(GRID.shape, bool)
    mask[:, :5] = False
    full, masked = bin_points(x, y, GRID), bin_points(x, y, GRID, mask=mask)
    assert (masked.counts[:, :5] == 0).all()
    np.testing.assert_array_equal(masked.counts[:, 5:], full.counts[:, 5:])
    assert masked.dropped == full.dropped + full.counts[:, :5].sum()
    assert masked.mask is not None and not masked.mask[:, :5].any()


def test_it_sums_weights_when_given():
    binned = bin_points([670_050, 670_060, 670_150], [6_570_050] * 3, GRID, weights=[2, 0.5, 1])
    assert binned.counts[0, 0] == 2.5 and binned.counts[0, 1] == 1


def test_it_builds_the_smallest_grid_covering_an_extent():
    grid = Grid.from_extent(0, 0, 1_050, 400, 100)
    assert (grid.nx, grid.ny) == (11, 4)
    cx, cy = grid.centres()
    assert cx[0, 0] == 50 and cy[-1, 0] == 350


def test_it_refuses_a_mask_of_the_wrong_shape():
    with pytest.raises(ValueError):
        bin_points([0], [0], GRID, mask=np.ones((2, 2), bool))


def test_it_returns_zeros_for_no_points():
    binned = bin_points([], [], GRID)
    assert binned.counts.sum() == 0 and binned.dropped == 0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-100, 2_100), st.integers(-100, 1_600)), max_size=50),
    st.integers(-50, 50),
    st.integers(-50, 50),
)
def test_it_gives_the_same_counts_when_points_and_grid_move_together(points, dx, dy):
    # Integer metres and whole-cell shifts keep every comparison exact in floating point.
    x = np.array([p[0] for p in points], float) + GRID.x0
    y = np.array([p[1] for p in points], float) + GRID.y0
    moved = Grid(GRID.x0 + dx * 100, GRID.y0 + dy * 100, 100.0, GRID.nx, GRID.ny)
    a = bin_points(x, y, GRID)
    b = bin_points(x + dx * 100, y + dy * 100, moved)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.dropped == b.dropped


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 300), st.randoms(use_true_random=False))
def test_it_ignores_the_order_of_the_points(n, random):
    x, y = random_points(n, seed=n)
    order = list(range(n))
    random.shuffle(order)
    a, b = bin_points(x, y, GRID), bin_points(x[order], y[order], GRID)
    np.testing.assert_array_equal(a.counts, b.counts)


def test_it_counts_h3_cells_like_one_call_per_point():
    rng = np.random.default_rng(3)
    lat = np.round(rng.uniform(63.15, 63.22, 3_000), 4)  # Östersund; rounding repeats places
    lon = np.round(rng.uniform(14.55, 14.75, 3_000), 4)
    hexes = bin_h3(lat, lon, 9)
    naive = Counter(h3.latlng_to_cell(a, b, 9) for a, b in zip(lat, lon, strict=True))
    assert dict(zip(hexes.cells.tolist(), hexes.counts.tolist(), strict=True)) == naive
    assert list(hexes.cells) == sorted(naive)


def test_it_returns_no_h3_cells_for_no_points():
    hexes = bin_h3([], [], 8)
    assert hexes.cells.size == 0 and hexes.counts.size == 0
