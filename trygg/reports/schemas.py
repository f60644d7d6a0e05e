"""Shape of report JSON in and out (django-ninja / pydantic)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

PlaceType = Literal["stairwell", "basement", "garage", "centre", "schoolyard", "park", "outdoors"]
Assessment = Literal["yes", "no", "unsure"]
Sharing = Literal["organisation", "partnership", "public"]


class ReportIn(Schema):
    category: str = Field(description="Category code, see GET /categories", examples=["graffiti"])
    lat: float = Field(description="Latitude, WGS84", examples=[63.1775])
    lon: float = Field(description="Longitude, WGS84", examples=[14.6365])
    occurred_at: datetime | None = Field(
        None, description="When it happened (or the start of a window); default now"
    )
    occurred_to: datetime | None = Field(None, description="End of a window, e.g. overnight")
    address: str | None = Field(None, max_length=200)
    place_type: PlaceType | None = None
    persons: int | None = Field(None, description="Approximate number of persons, never identities")
    creates_insecurity: Assessment | None = None
    description: str | None = Field(
        None,
        max_length=5000,
        description="Free text. Do not name people: personal identity numbers, phone "
        "numbers and licence plates are masked on write.",
    )
    reported_to_police: bool | None = None
    damage_cost_sek: int | None = None
    sharing: Sharing | None = Field(None, description="Default: partnership")
    client_id: str | None = Field(
        None,
        max_length=100,
        description="Your id for this report; sending it again returns the stored report",
    )
    organisation: int | None = Field(
        None, description="Organisation id to report for; needed if you are in several"
    )


class BatchIn(Schema):
    reports: list[ReportIn] = Field(..., max_length=10_000)
    organisation: int | None = None


class ReportOut(Schema):
    id: UUID
    category: str
    category_group: str
    category_name: str
    occurred_at: datetime
    occurred_to: datetime | None
    reported_at: datetime
    lat: float
    lon: float
    x: float = Field(description="SWEREF 99 TM easting, metres")
    y: float = Field(description="SWEREF 99 TM northing, metres")
    h3_cell: str
    area: int | None
    area_name: str | None
    municipality: str
    organisation: int
    organisation_name: str
    place_type: str
    persons: int | None
    creates_insecurity: str
    reported_to_police: bool | None
    damage_cost_sek: int | None
    sharing: str
    source: str
    status: str = Field(description="`received`, `reviewed`, `closed` or `withdrawn`")
    flagged_for_discussion: bool = Field(
        description="A coordinator put it on the next EST meeting's agenda"
    )
    details_visible: bool = Field(
        description="False when free text, address, photo and reporter are withheld from you"
    )
    description: str | None
    address: str | None
    reporter: str | None
    client_id: str | None
    has_photo: bool


class EarlierValueOut(Schema):
    field: str = Field(description="The corrected field (`category_id`, `occurred_at`, `lat`, …)")
    name: str = Field(description="The field in words, in the answer's language")
    value: str = Field(description="Its value before the correction, masked as stored")


class HistoryOut(Schema):
    at: datetime
    actor: str | None = Field(description="Username of who made the change")
    what: Literal["status", "flag", "comment", "note", "measure", "correction"]
    old: str = Field(description="The value before: a status, `true`/`false`, changed fields")
    new: str = Field(description="The value after: a status, `true`/`false`, an id")
    sentence: str = Field(description="The change in words, in the answer's language")
    earlier: list[EarlierValueOut] = Field(
        default=[], description="A correction's earlier values of the fields it changed"
    )


class CommentOut(Schema):
    id: int
    at: datetime
    author: str | None
    text: str
    internal: bool = Field(description="An internal note: shown to coordinators only")


class LinkedMeasureOut(Schema):
    id: int
    title: str
    status: str
    status_name: str


class ReportDetailOut(ReportOut):
    history: list[HistoryOut] = Field(
        description="Every change, oldest first; empty unless you may see the details"
    )
    comments: list[CommentOut] = Field(
        description="Comments to the reporting organisation (and, for coordinators, notes)"
    )
    measures: list[LinkedMeasureOut] = Field(description="What is done about it (det här görs)")


class StatusIn(Schema):
    status: Literal["reviewed", "closed", "withdrawn"] | None = Field(
        None,
        description="Coordinators mark reviewed or close; the reporter withdraws his own "
        "report within REPORT_EDIT_HOURS of sending it",
    )
    flagged_for_discussion: bool | None = Field(
        None, description="Coordinators: on or off the next meeting's agenda"
    )
    comment: str | None = Field(
        None, max_length=2000, description="Coordinators: a comment to the reporter"
    )


class CommentIn(Schema):
    # Not required by the schema, so that who may comment is decided (403, 404) before
    # what was sent; an empty text is then refused with 422.
    text: str = Field("", max_length=2000, description="The comment; not empty")
    internal: bool = Field(False, description="An internal note, for coordinators only")


class BatchOut(Schema):
    created: int
    existing: int
    ids: list[UUID]


class ReportPage(Schema):
    items: list[ReportOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class CategoryOut(Schema):
    code: str
    group: str | None
    name_sv: str
    name_en: str
    colour: str
    is_active: bool
    is_incident: bool
