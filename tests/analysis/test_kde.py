import gzip
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.neighbors import KernelDensity

from trygg.analysis.grid import Grid
from trygg.analysis.kde import kernel_density, silverman_bandwidth

DATA = Path(__file__).resolve().parents[1] / "data"
GRID = Grid(x0=0.0, y0=0.0, cell=100.0, nx=50, ny=40)


def city(n=3_000, seed=2):
    """Uniform background plus two tight hot spots, in metres."""
    rng = np.random.default_rng(seed)
    third = n // 3
    x = np.concatenate([rng.uniform(0, 5_000, third), rng.normal(2_000, 150, third),
                        rng.normal(3_800, 80, n - 2 * third)])  # fmt: skip
    y = np.concatenate([rng.uniform(0, 4_000, third), rng.normal(1_500, 100, third),
                        rng.normal(2_900, 120, n - 2 * third)])  # fmt: skip
    return x, y


def exact_quartic(x, y, grid, h):
    """Direct sum of the quartic kernel at every cell centre, events per km²."""
    cx, cy = grid.centres()
    d2 = ((cx.ravel()[:, None] - x[None, :]) ** 2 + (cy.ravel()[:, None] - y[None, :]) ** 2) / h**2
    total = np.where(d2 < 1, 3 / math.pi * (1 - d2) ** 2, 0.0).sum(axis=1) / h**2
    return total.reshape(grid.shape) * 1e6


def exact_gaussian(x, y, grid, h):
    """scikit-learn's exact Gaussian KDE (a mean of kernels) times n, events per km²."""
    cx, cy = grid.centres()
    model = KernelDensity(bandwidth=h, kernel="gaussian").fit(np.column_stack([x, y]))
    log_density = model.score_samples(np.column_stack([cx.ravel(), cy.ravel()]))
    return np.exp(log_density).reshape(grid.shape) * x.size * 1e6


@pytest.mark.parametrize("h", [100.0, 200.0, 350.0])
def test_its_gaussian_is_within_one_percent_of_the_peak_of_sklearns_exact_kde(h):
    x, y = city()
    ours = kernel_density(x, y, GRID, bandwidth_m=h, kernel="gaussian").density
    exact = exact_gaussian(x, y, GRID, h)
    assert np.abs(ours - exact).max() < 0.01 * exact.max()


@pytest.mark.parametrize("h", [150.0, 200.0, 400.0])
def test_its_quartic_is_within_one_percent_of_the_peak_of_a_direct_sum(h):
    x, y = city()
    ours = kernel_density(x, y, GRID, bandwidth_m=h).density
    exact = exact_quartic(x, y, GRID, h)
    assert np.abs(ours - exact).max() < 0.01 * exact.max()


def west_yorkshire_points():
    from pyproj import Transformer

    with gzip.open(DATA / "police_uk_2018-07-west-yorkshire-street.csv.gz", "rt") as f:
        header = f.readline().rstrip("\n").split(",")
        lon_at, lat_at = header.index("Longitude"), header.index("Latitude")
        rows = [line.split(",") for line in f]
    coords = np.array([(r[lon_at], r[lat_at]) for r in rows if r[lon_at] and r[lat_at]], float)
    return Transformer.from_crs(4326, 27700, always_xy=True).transform(coords[:, 0], coords[:, 1])


def test_it_matches_the_exact_sum_on_real_crime_data():
    x, y = west_yorkshire_points()
    grid = Grid(x0=426_000, y0=430_000, cell=100.0, nx=60, ny=50)  # Leeds city centre
    near = (x > 425_000) & (x < 433_000) & (y > 429_000) & (y < 436_000)
    ours = kernel_density(x, y, grid, bandwidth_m=250.0).density
    exact = exact_quartic(x[near], y[near], grid, 250.0)
    assert exact.max() > 1_000  # hundreds of crimes a month per km² in the centre
    assert np.abs(ours - exact).max() < 0.01 * exact.max()


def test_it_keeps_the_mass_of_points_far_from_the_edge():
    x, y = city()
    inner = (x > 800) & (x < 4_200) & (y > 800) & (y < 3_200)
    result = kernel_density(x[inner], y[inner], GRID, bandwidth_m=200.0)
    assert result.density.sum() * GRID.cell_area_km2 == pytest.approx(inner.sum(), rel=0.01)


def test_it_divides_by_the_number_of_periods():
    x, y = city()
    once = kernel_density(x, y, GRID, bandwidth_m=200.0).density
    weekly = kernel_density(x, y, GRID, bandwidth_m=200.0, periods=4).density
    np.testing.assert_allclose(weekly * 4, once)


def test_it_corrects_for_the_edge_of_the_study_area():
    rng = np.random.default_rng(5)
    mask = np.zeros(GRID.shape, bool)
    mask[:, :25] = True  # the west half is the municipality
    x, y = rng.uniform(0, 2_500, 40_000), rng.uniform(0, 4_000, 40_000)
    plain = kernel_density(x, y, GRID, bandwidth_m=300.0, mask=mask)
    fixed = kernel_density(x, y, GRID, bandwidth_m=300.0, mask=mask, edge_correction=True)
    level = 40_000 / (2.5 * 4.0)  # true intensity per km²
    assert plain.density[20, 24] < 0.75 * level  # the uncorrected map fades at the border
    assert fixed.density[20, 24] == pytest.approx(level, rel=0.05)
    assert fixed.density[20, 10] == pytest.approx(level, rel=0.05)
    assert (fixed.density[:, 25:] == 0).all() and fixed.edge_corrected


def test_it_computes_the_spatial_silverman_bandwidth():
    x, y = city()
    dx, dy = x - x.mean(), y - y.mean()
    sd = math.sqrt((dx**2).mean() + (dy**2).mean())
    dm = np.median(np.hypot(dx, dy))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * x.size**-0.2
    assert silverman_bandwidth(x, y) == pytest.approx(expected)
    assert kernel_density(x, y, GRID).bandwidth_m == pytest.approx(expected)


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
@pytest.mark.parametrize("n", [0, 1, 2])
def test_it_handles_empty_and_tiny_inputs(kernel, n):
    x, y = np.full(n, 2_050.0), np.full(n, 1_050.0)
    result = kernel_density(x, y, GRID, kernel=kernel)
    assert np.isfinite(result.density).all() and (result.density >= 0).all()
    assert result.bandwidth_m == GRID.cell  # Silverman gives 0 here; one cell is the floor
    # The points sit on a cell centre, so that cell holds n·K(0)/h² (to the kernel sampling).
    peak = 3 / math.pi if kernel == "quartic" else 1 / (2 * math.pi)
    assert result.density[10, 20] == pytest.approx(n * peak / 100.0**2 * 1e6, rel=1e-3)


coords = st.lists(st.tuples(st.integers(0, 4_000), st.integers(0, 3_000)), max_size=40)


@settings(max_examples=25, deadline=None)
@given(coords, st.integers(-20, 20), st.integers(-20, 20), st.sampled_from(["quartic", "gaussian"]))
def test_it_moves_with_the_points_when_the_grid_moves_too(points, di, dj, kernel):
    x = np.array([p[0] for p in points], float)
    y = np.array([p[1] for p in points], float)
    moved = Grid(GRID.x0 + di * 100, GRID.y0 + dj * 100, 100.0, GRID.nx, GRID.ny)
    a = kernel_density(x, y, GRID, bandwidth_m=180.0, kernel=kernel).density
    b = kernel_density(x + di * 100, y + dj * 100, moved, bandwidth_m=180.0, kernel=kernel).density
    np.testing.assert_allclose(a, b, atol=1e-9 * max(a.max(), 1.0))
    assert np.isfinite(a).all()


@settings(max_examples=25, deadline=None)
@given(coords, st.randoms(use_true_random=False))
def test_it_ignores_the_order_of_the_points(points, random):
    shuffled = list(points)
    random.shuffle(shuffled)
    a = kernel_density([p[0] for p in points], [p[1] for p in points], GRID, bandwidth_m=200.0)
    b = kernel_density([p[0] for p in shuffled], [p[1] for p in shuffled], GRID, bandwidth_m=200.0)
    np.testing.assert_allclose(a.density, b.density, atol=1e-9 * max(a.density.max(), 1.0))
