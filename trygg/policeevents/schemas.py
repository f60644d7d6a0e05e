"""JSON shape of the lägesbild's police slot (situation.schemas.SituationOut.police_events)."""

from __future__ import annotations

from ninja import Field, Schema


class PoliceTypeSeriesOut(Schema):
    type: str = Field(description="The police's event type, as the feed names it")
    group: str | None = Field(description="Our category group it is mapped to, if any")
    group_name: str
    counts: list[int] = Field(description="Notices per week, in the order of `weeks`")
    total: int


class PoliceCountyOut(Schema):
    code: str = Field(description="County code (länskod)")
    name: str
    events: int = Field(description="Counted notices naming only the county, in the same weeks")


class PoliceEventsSlotOut(Schema):
    """The police's public notices naming the municipality: context at municipality level,
    not counted in the partners' statistics. Source: Polisen (polisen.se, open data)."""

    source: str = Field(examples=["Polisen"])
    source_url: str
    level: str = Field(description="Always municipality: notices carry no place within it")
    weeks: list[str] = Field(description="ISO weeks, oldest first, ending with the period's")
    types: list[PoliceTypeSeriesOut] = Field(description="Counted types, most notices first")
    total: int
    not_counted: int = Field(description="Summaries and updates in the same weeks, not counted")
    county: PoliceCountyOut
    last_seen: str | None = Field(
        description="When the feed or a file last brought a notice naming the municipality"
    )
