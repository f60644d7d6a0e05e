"""The lägesbild as one plain value: what the page, its map and charts, the PDF,
the exports and the API all show. Built from the daily rollup and one period's
raw points, with every statistic from trygg.analysis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from trygg.analysis.gistar import gi_star
from trygg.analysis.grid import bin_points
from trygg.analysis.kde import kernel_density
from trygg.analysis.timeofweek import time_of_week
from trygg.analysis.trend import TrendTable, compare_table
from trygg.situation import queries
from trygg.situation.periods import Period
from trygg.situation.study_area import StudyArea, study_area

BASELINE_PERIODS = 4
TREND_WEEKS = 52
RISING_TOP = 10
# The hot spots' p-value is the exact permutation (conditional randomisation) p of Gi*:
# weekly counts are too skewed for the normal one. Exact means no seed: same data, same map.
HOTSPOT_INFERENCE = "permutation_exact"
HOTSPOT_ALPHA = 0.05  # Benjamini–Hochberg false discovery rate
DENSITY_BANDWIDTH_M = 300.0
NO_BASELINE = "no_baseline"


@dataclass(frozen=True)
class Comparison:
    """One count against its baseline, from `trygg.analysis.trend`."""

    current: int
    baseline_mean: float  # per period of the current length
    last_year: int
    ratio: float  # current / baseline mean
    ratio_low: float
    ratio_high: float
    p: float
    flag: str  # rising, falling, stable, too_few, no_baseline
    last_year_flag: str


@dataclass(frozen=True)
class GroupLine:
    code: str
    name: str
    colour: str
    comparison: Comparison


@dataclass(frozen=True)
class AreaLine:
    area_id: int  # 0: outside every area
    name: str
    total: Comparison
    cells: dict[str, Comparison]  # by group code


@dataclass(frozen=True)
class Rising:
    area_id: int
    area_name: str
    group: str
    group_name: str
    current: int
    expected: float
    ratio: float
    p: float


@dataclass(frozen=True)
class HotspotCell:
    x: float  # SWEREF 99 TM south-west corner
    y: float
    size_m: float
    z: float
    p: float  # exact permutation p, two-sided (the normal p of z is not used)
    level: int  # -3..3: cold/hot at 90/95/99 %
    count: int


@dataclass(frozen=True)
class Picture:
    municipality_code: str
    municipality_name: str
    is_demo: bool
    period: Period
    baseline: list[Period]
    last_year: Period
    categories: tuple[str, ...]
    groups: list[GroupLine]
    total: Comparison
    areas: list[AreaLine]
    rising: list[Rising]
    trend_weeks: list[str]
    trend: dict[str, list[int]]  # group code -> weekly counts, oldest first
    time_of_week: list[list[float]]  # 7 x 24, Monday first
    time_of_week_events: int
    hotspots: list[HotspotCell]
    hotspots_tested: bool
    density: list[tuple[float, float, float, float]]  # x, y, size, events/km² per week
    density_peak: float
    grid_cell_m: float

    @property
    def quiet(self) -> Comparison:
        """What an area without a report in any window compared shows (see `quiet_comparison`)."""
        return quiet_comparison(self.total.flag, self.total.last_year_flag)


def quiet_comparison(flag: str = "too_few", last_year_flag: str = "too_few") -> Comparison:
    """No report in any window compared: nothing to flag, as the analysis says.

    `flag` and `last_year_flag` are the whole picture's: where it has no baseline
    (or no last year) at all, neither has the quiet area; else there are too few.
    """
    return Comparison(
        0, 0.0, 0, 1.0, 0.0, math.inf, 1.0, _too_few_or_none(flag), _too_few_or_none(last_year_flag)
    )


def _too_few_or_none(flag: str) -> str:
    return NO_BASELINE if flag == NO_BASELINE else "too_few"


def build_picture(
    municipality: Any,
    period: Period,
    categories: tuple[str, ...] = (),
    *,
    public_only: bool = False,
) -> Picture:
    """The situational picture of `municipality` for `period`, limited to `categories`.

    `public_only` counts only reports shared as public aggregate and leaves out
    everything drawn from single events (hot spots, density, time of week).
    """
    taxonomy = queries.Taxonomy.load()
    ids = taxonomy.incident_ids(categories)
    counts = _Counts.fetch(municipality.pk, period, ids, taxonomy, public_only)
    groups = [g for g in taxonomy.groups if not categories or g.pk in _groups_of(ids, taxonomy)]
    events = (
        queries.PeriodEvents.empty()
        if public_only
        else queries.period_events(municipality.pk, period.start, period.end, ids)
    )
    tow = time_of_week(events.start, events.end)
    study = study_area(municipality)
    hotspots, density, peak = _hotspots_and_density(events, study, period)
    area_names = dict(municipality.areas.values_list("id", "name"))
    areas = counts.area_lines(area_names)
    return Picture(
        municipality_code=municipality.code,
        municipality_name=municipality.name,
        is_demo=municipality.is_demo,
        period=period,
        baseline=period.previous(BASELINE_PERIODS),
        last_year=period.same_last_year(),
        categories=categories,
        groups=[
            GroupLine(g.code, g.name, g.colour, counts.group_comparison(g.code)) for g in groups
        ],
        total=counts.total_comparison(),
        areas=areas,
        rising=_rising(areas, {g.code: g.name for g in groups}),
        trend_weeks=counts.trend_weeks,
        trend={g.code: counts.trend.get(g.code, [0] * TREND_WEEKS) for g in groups},
        time_of_week=tow.matrix.round(3).tolist(),
        time_of_week_events=tow.n_events,
        hotspots=hotspots,
        hotspots_tested=bool(events.x.size),
        density=density,
        density_peak=peak,
        grid_cell_m=study.grid.cell,
    )


def _groups_of(ids: list[int], taxonomy: queries.Taxonomy) -> set[int]:
    codes = {taxonomy.group_of[i] for i in ids}
    return {g.pk for g in taxonomy.groups if g.code in codes}


ALL = "*"  # the key of a total over areas or over groups


@dataclass
class _Counts:
    """The rollup's numbers for one picture, with every comparison computed at once."""

    group_codes: list[str]
    comparisons: dict[tuple[int | str, str], Comparison]
    trend_weeks: list[str]
    trend: dict[str, list[int]]

    @classmethod
    def fetch(
        cls,
        municipality_id: int,
        period: Period,
        ids: list[int],
        taxonomy: queries.Taxonomy,
        public_only: bool = False,
    ) -> _Counts:
        def window(start: date, end: date) -> dict[tuple[int | str, str], int]:
            raw = queries.window_counts(municipality_id, start, end, ids, public_only=public_only)
            return _with_totals(raw, taxonomy)

        baseline = period.previous(BASELINE_PERIODS)
        last_year = period.same_last_year()
        current = window(period.start, period.end)
        before = window(baseline[-1].start, period.start)
        year_ago = window(last_year.start, last_year.end)
        baseline_days = (period.start - baseline[-1].start).days
        comparisons = _compare(
            current, before, year_ago, period.days, baseline_days, last_year.days
        )
        # Before the first report there is no history, only silence: never call
        # a count "rising" against a baseline the system did not see.
        first = queries.first_day(municipality_id)
        if first is None or baseline[-1].start < first:
            comparisons = {k: replace(v, flag=NO_BASELINE) for k, v in comparisons.items()}
        if first is None or last_year.start < first:
            comparisons = {
                k: replace(v, last_year_flag=NO_BASELINE) for k, v in comparisons.items()
            }
        weeks, trend = _weekly_trend(municipality_id, period, ids, taxonomy, public_only)
        return cls([g.code for g in taxonomy.groups], comparisons, weeks, trend)

    def group_comparison(self, group: str) -> Comparison:
        return self.comparisons.get((ALL, group), _NOTHING)

    def total_comparison(self) -> Comparison:
        return self.comparisons.get((ALL, ALL), _NOTHING)

    def area_lines(self, names: dict[int, str]) -> list[AreaLine]:
        """One line per area with any count in any window, busiest first; unnamed areas last."""
        area_ids = sorted({a for a, _ in self.comparisons if a != ALL}, key=str)
        lines = []
        for area in area_ids:
            assert isinstance(area, int)
            cells = {
                g: self.comparisons[(area, g)]
                for g in self.group_codes
                if (area, g) in self.comparisons
            }
            lines.append(AreaLine(area, names.get(area, ""), self.comparisons[(area, ALL)], cells))
        return sorted(lines, key=lambda line: (line.area_id == 0, -line.total.current, line.name))


_NOTHING = quiet_comparison()


def _with_totals(
    raw: dict[tuple[int, int], int], taxonomy: queries.Taxonomy
) -> dict[tuple[int | str, str], int]:
    """Counts per (area, group), plus totals per area, per group and overall."""
    out: dict[tuple[int | str, str], int] = {}
    for (area, category), n in raw.items():
        group = taxonomy.group_of[category]
        for key in ((area, group), (area, ALL), (ALL, group), (ALL, ALL)):
            out[key] = out.get(key, 0) + n
    return out


def _compare(
    current: dict[tuple[int | str, str], int],
    before: dict[tuple[int | str, str], int],
    year_ago: dict[tuple[int | str, str], int],
    days: int,
    baseline_days: int,
    last_year_days: int,
) -> dict[tuple[int | str, str], Comparison]:
    keys = sorted(set(current) | set(before) | set(year_ago), key=str)
    c = np.array([current.get(k, 0) for k in keys], dtype=np.int64)
    b = np.array([before.get(k, 0) for k in keys], dtype=np.int64)
    y = np.array([year_ago.get(k, 0) for k in keys], dtype=np.int64)
    vs_base = compare_table(c, b, current_periods=days, baseline_periods=baseline_days)
    vs_year = compare_table(c, y, current_periods=days, baseline_periods=last_year_days)
    return {k: _comparison(vs_base, vs_year, i) for i, k in enumerate(keys)}


def _comparison(vs_base: TrendTable, vs_year: TrendTable, i: int) -> Comparison:
    return Comparison(
        current=int(vs_base.current[i]),
        baseline_mean=round(float(vs_base.expected[i]), 2),
        last_year=int(vs_year.baseline[i]),
        ratio=float(vs_base.rate_ratio[i]),
        ratio_low=float(vs_base.ci_low[i]),
        ratio_high=float(vs_base.ci_high[i]),
        p=float(vs_base.p_exact[i]),
        flag=str(vs_base.flag[i]),
        last_year_flag=str(vs_year.flag[i]),
    )


def counted_until(period: Period) -> date:
    """The first day no count of the period's picture reads (exclusive end).

    The period's end, or later: the trend's last ISO week runs to its Sunday,
    past a month or custom period that ends midweek. The picture cache drops
    a picture on a write before this day.
    """
    last_monday = period.last_day - timedelta(days=period.last_day.weekday())
    return max(period.end, last_monday + timedelta(weeks=1))


def _weekly_trend(
    municipality_id: int,
    period: Period,
    ids: list[int],
    taxonomy: queries.Taxonomy,
    public_only: bool,
) -> tuple[list[str], dict[str, list[int]]]:
    """Counts per ISO week and group for the 52 weeks ending with the period's last week."""
    end = counted_until(period)
    start = end - timedelta(weeks=TREND_WEEKS)
    weeks = [_week_key(start + timedelta(weeks=k)) for k in range(TREND_WEEKS)]
    series: dict[str, np.ndarray] = {}
    for day, category, n in queries.daily_by_category(
        municipality_id, start, end, ids, public_only=public_only
    ):
        group = taxonomy.group_of[category]
        series.setdefault(group, np.zeros(TREND_WEEKS, dtype=np.int64))[
            (day - start).days // 7
        ] += n
    return weeks, {g: [int(v) for v in s] for g, s in series.items()}


def _week_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _rising(areas: list[AreaLine], group_names: dict[str, str]) -> list[Rising]:
    """Area–group pairs that rose more than chance, the clearest first."""
    found = [
        Rising(
            area.area_id,
            area.name,
            group,
            group_names.get(group, group),
            cell.current,
            cell.baseline_mean,
            cell.ratio,
            cell.p,
        )
        for area in areas
        for group, cell in area.cells.items()
        if cell.flag == "rising"
    ]
    return sorted(found, key=lambda r: (r.p, -(r.current - r.expected)))[:RISING_TOP]


def _hotspots_and_density(
    events: queries.PeriodEvents, study: StudyArea, period: Period
) -> tuple[list[HotspotCell], list[tuple[float, float, float, float]], float]:
    grid, mask = study.grid, study.mask
    if events.x.size == 0:
        return [], [], 0.0
    counts = bin_points(events.x, events.y, grid, mask=mask).counts
    # A cell with no report is never drawn hot: the hot spot is where the reports are.
    result = gi_star(
        counts,
        mask=mask,
        radius_cells=1,
        permutations="exact",
        alpha=HOTSPOT_ALPHA,
        hot_needs_events=True,
    )
    rows, cols = np.nonzero(result.significant & (result.hot_cold != 0))
    hotspots = [
        HotspotCell(
            x=grid.x0 + c * grid.cell,
            y=grid.y0 + r * grid.cell,
            size_m=grid.cell,
            z=round(float(result.z[r, c]), 3),
            p=float(result.p[r, c]),
            level=int(result.hot_cold[r, c]),
            count=int(counts[r, c]),
        )
        for r, c in zip(rows, cols, strict=True)
    ]
    weeks = period.days / 7
    density = kernel_density(
        events.x,
        events.y,
        grid,
        bandwidth_m=max(DENSITY_BANDWIDTH_M, grid.cell),
        mask=mask,
        periods=weeks,
    ).density
    peak = float(density.max())
    rows, cols = np.nonzero(density > 0.05 * peak) if peak > 0 else ((), ())
    cells = [
        (
            grid.x0 + c * grid.cell,
            grid.y0 + r * grid.cell,
            grid.cell,
            round(float(density[r, c]), 2),
        )
        for r, c in zip(rows, cols, strict=True)
    ]
    return hotspots, cells, round(peak, 2)
