"""Shape of the situational picture in JSON (django-ninja / pydantic)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from trygg.measures.schemas import MeasuresSlotOut
from trygg.policeevents.schemas import PoliceEventsSlotOut


class SituationParams(Schema):
    municipality: str | None = Field(None, description="Code; default: your only municipality")
    period: str | None = Field(None, description="Period key", examples=["2026-W47"])
    from_: str | None = Field(None, alias="from", description="First day, YYYY-MM-DD")
    to: str | None = Field(None, description="Last day (inclusive), YYYY-MM-DD")
    category: str | None = Field(None, description="Category codes, comma-separated")


class PeriodOut(Schema):
    key: str = Field(examples=["2026-W47"])
    kind: str = Field(description="week, weeks, month, tertial, year or custom")
    first_day: str
    last_day: str
    days: int


class ComparisonOut(Schema):
    current: int = Field(description="Reports in the period")
    baseline_mean: float = Field(description="Mean of the previous 4 periods, per period")
    last_year: int = Field(description="Reports in the same period last year")
    ratio: float | None = Field(description="current / baseline_mean; null when unbounded")
    ratio_low: float | None = Field(description="95 % exact interval of the ratio")
    ratio_high: float | None
    p: float = Field(description="Exact conditional test against the baseline, two-sided")
    flag: str = Field(description="rising, falling, stable, too_few or no_baseline")
    last_year_flag: str
    mark: str = Field(
        description="The page's mark of the change against the baseline (docs/lagesbild.md): "
        "rising, falling, stable, no_clear_change, too_few or no_baseline"
    )


class GroupOut(ComparisonOut):
    code: str
    name: str
    colour: str


class AreaOut(Schema):
    id: int | None = Field(description="null for reports outside every area")
    name: str
    total: ComparisonOut
    groups: dict[str, ComparisonOut]


class RisingOut(Schema):
    area_id: int
    area_name: str
    group: str
    group_name: str
    current: int
    expected: float
    ratio: float | None
    p: float


class HotspotOut(Schema):
    x: float = Field(description="SWEREF 99 TM easting of the cell's south-west corner")
    y: float
    size_m: float
    z: float = Field(description="Getis-Ord Gi* z-score (queen neighbours, the cell included)")
    p: float = Field(
        description="Exact permutation p-value of Gi* (conditional randomisation), two-sided"
    )
    level: int = Field(
        description="-3..3: cold or hot at 90/95/99 % after FDR (Benjamini-Hochberg) "
        "on the permutation p; a cell with no report is never hot"
    )
    count: int


class HotspotsOut(Schema):
    tested: bool
    cell_m: float
    inference: str = Field(
        description="How p is computed: permutation_exact (the exact conditional "
        "randomisation distribution, i.e. the limit of infinitely many permutations)"
    )
    fdr_alpha: float = Field(description="False discovery rate of the hot and cold cells")
    cells: list[HotspotOut]


class SituationOut(Schema):
    municipality: dict[str, Any]
    period: PeriodOut
    baseline_periods: list[str]
    last_year_period: str
    categories: list[str]
    total: ComparisonOut
    groups: list[GroupOut]
    areas: list[AreaOut]
    rising: list[RisingOut]
    trend: dict[str, Any] = Field(description="weeks: 52 ISO weeks; groups: counts per week")
    time_of_week: dict[str, Any] = Field(description="matrix: 7 × 24, Monday first, local time")
    hotspots: HotspotsOut
    density: dict[str, Any]
    assessment: str
    measures: MeasuresSlotOut | None = Field(
        None, description="Open and overdue measures you may see, as of today"
    )
    police_events: PoliceEventsSlotOut | None = Field(
        None,
        description="The police's public notices for the municipality per type and week: "
        "context at municipality level, not counted in the partners' statistics",
    )
