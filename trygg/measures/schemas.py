"""Shape of measure JSON in and out (django-ninja / pydantic)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema

Status = Literal["proposed", "decided", "ongoing", "done", "cancelled"]
Light = Literal["green", "yellow", "red"]
Kind = Literal[
    "situational", "police_presence", "adult_presence", "social_outreach", "information",
    "inspection", "other",
]  # fmt: skip


# A database id: larger numbers cannot name a row, and SQLite cannot even compare them (a 500).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Named(Schema):
    id: int
    name: str


class CellIn(Schema):
    x: float = Field(description="SWEREF 99 TM easting of the cell's west edge")
    y: float = Field(description="SWEREF 99 TM northing of the cell's south edge")
    size: float = Field(gt=0, description="Side in metres")


class PolygonIn(Schema):
    """A GeoJSON Polygon in WGS84: one closed ring of [longitude, latitude] positions."""

    type: Literal["Polygon"]
    coordinates: list[list[list[float]]] = Field(
        max_length=10,
        description="One ring of 4 to 200 [longitude, latitude] positions, the last equal to "
        "the first; no holes, edges that do not cross, inside or overlapping the "
        "municipality, at most 100 km². Another is refused with 422 naming "
        "`treated_polygon`.",
    )


class PolygonOut(Schema):
    type: Literal["Polygon"]
    coordinates: list[list[list[float]]] = Field(
        description="One closed ring of [longitude, latitude] positions, WGS84"
    )


class MeasureSummaryOut(Schema):
    id: int
    title: str
    status: Status
    responsible: str
    area: str | None
    deadline: date | None
    light: Light | None
    overdue: bool = Field(description="Open and past its deadline")


class MeasureOut(Schema):
    id: int
    municipality: str = Field(description="Municipality code")
    title: str
    description: str
    cause: str
    kind: Kind
    goal: str = Field(description="Operational goal")
    area: Named | None
    categories: list[str] = Field(description="Category codes")
    reports: list[UUID] = Field(
        description="Ids of the linked reports you may see; the others are only counted"
    )
    reports_count: int = Field(description="Linked reports, including those you may not see")
    cells: list[CellIn] = Field(description="Hot-spot cells the measure answers")
    treated_polygon: PolygonOut | None = Field(
        description="The treated area drawn on the map; when set, the evaluation uses it "
        "instead of the area"
    )
    responsible: Named
    responsible_person: str
    partners: list[Named]
    meeting: int | None = Field(description="Id of the meeting that decided it")
    starts_on: date | None
    deadline: date | None
    follow_up_on: date | None
    ordinary_work: bool
    status: Status
    cancel_reason: str
    light: Light | None
    light_comment: str
    overdue: bool
    cost_sek: int | None
    outcome: str
    created_at: str
    updated_at: str
    internal_notes: str | None = Field(
        None,
        description="Only for the coordinators and the responsible organisation; absent otherwise",
    )


class HistoryOut(Schema):
    at: str
    actor: str | None = Field(description="Username; null for Trygg itself")
    field: str = Field(
        description="created, status, light or the name of the changed field; for categories, "
        "partners and reports `old` holds what was removed and `new` what was added (category "
        "codes, organisation names, for reports a number, never their ids)"
    )
    old: str
    new: str
    comment: str
    text: str = Field(description="The change as a sentence in the request's language")


class MeasureDetailOut(MeasureOut):
    history: list[HistoryOut]


class MeasurePage(Schema):
    items: list[MeasureSummaryOut]
    count: int = Field(description="Measures matching the filters, all pages")


class MeasureListParams(Schema):
    municipality: str | None = Field(None, description="Code; default: every one you see")
    status: str | None = Field(None, description="A status, or `open` for the three open ones")
    owner: str | None = Field(None, description="Id of the responsible organisation")
    area: str | None = Field(None, description="Area id")
    overdue: bool = Field(False, description="Only open measures past their deadline")
    limit: int = Field(100, description="1 to 1000")
    offset: int = Field(0, description="Measures to skip, 0 or more")


class MeasureIn(Schema):
    municipality: str | None = Field(None, description="Code; default: your only municipality")
    title: str = Field(min_length=1, max_length=200, description="What is done")
    kind: Kind
    responsible: Id = Field(description="Id of the responsible organisation")
    status: Literal["proposed", "decided"] = "proposed"
    description: str = Field("", max_length=10_000)
    cause: str = Field("", max_length=10_000)
    goal: str = Field("", max_length=300)
    area: Id | None = None
    categories: list[str] = Field(default_factory=list, max_length=100)
    reports: list[UUID] = Field(default_factory=list, max_length=1000)
    cells: list[CellIn] = Field(default_factory=list, max_length=1000)
    treated_polygon: PolygonIn | None = Field(
        None, description="The treated area drawn on the map, when it is not just the area"
    )
    partners: list[Id] = Field(default_factory=list, max_length=100)
    responsible_person: str = Field("", max_length=120)
    starts_on: date | None = None
    deadline: date | None = None
    follow_up_on: date | None = None
    ordinary_work: bool = False
    cost_sek: int | None = Field(None, ge=0, le=2**31 - 1)
    internal_notes: str = Field("", max_length=10_000)


class MeasureChangeIn(Schema):
    """The measure's links, each the whole new set, and its polygon.

    An absent or null set is left as it is; `treated_polygon` absent is left
    as it is, null removes it.
    """

    categories: list[str] | None = Field(None, max_length=100, description="Category codes")
    partners: list[int] | None = Field(
        None, max_length=100, description="Ids of partner organisations of the municipality"
    )
    reports: list[UUID] | None = Field(
        None,
        max_length=1000,
        description="Ids of linked reports, of those you may see; linked reports you may not "
        "see stay linked",
    )
    treated_polygon: PolygonIn | None = Field(
        None,
        description="The treated area drawn on the map (coordinators only); null removes it, "
        "absent leaves it as it is",
    )


class StatusIn(Schema):
    to: Status
    comment: str = Field("", max_length=2000, description="Needed when cancelling")


class LightIn(Schema):
    light: Light
    comment: str = Field("", max_length=300, description="Needed for yellow and red")


class MeasuresSlotOut(Schema):
    """The lägesbild's measures: open ones by traffic light, the overdue ones, the board."""

    open: int = Field(description="Open measures (proposed, decided or ongoing)")
    by_light: dict[str, int] = Field(
        description="Open measures per light: green, yellow, red, none"
    )
    overdue_count: int
    overdue: list[MeasureSummaryOut] = Field(
        description="The first overdue ones, oldest deadline first"
    )
    board: str = Field(description="Path of the measures board")
