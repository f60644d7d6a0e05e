"""Shape of the public citizen promises in JSON (django-ninja / pydantic): trygg.promises.public."""

from __future__ import annotations

from ninja import Field, Schema


class PromisesParams(Schema):
    municipality: str = Field(description="Municipality code (kommunkod)", examples=["2380"])


class MunicipalityOut(Schema):
    code: str
    name: str


class ValueOut(Schema):
    value: float | None = Field(description="null when there is none or it is withheld")
    text: str = Field(description="As the page shows it: '<5' for a count of 1–4, '–' for none")
    suppressed: bool = Field(description="A count of 1–4 from reports, withheld as on the open "
                             "lägesbild")  # fmt: skip


class LatestOut(ValueOut):
    period: str


class PointOut(ValueOut):
    period: str = Field(examples=["2024", "2024-Q3"])
    complete: bool = Field(description="Whether the period is over")


class IndicatorOut(Schema):
    id: int
    name: str
    goal: str
    unit: str
    kind: str = Field(description="computed (from Trygg's reports) or manual (with a source)")
    every: str = Field(description="year or quarter")
    focus_area: str
    counts: str = Field(description="What a computed indicator counts, in words")
    source: str
    direction: str = Field(description="lower or higher is better")
    direction_label: str
    baseline_year: int
    baseline: ValueOut
    target: ValueOut
    latest: LatestOut | None = Field(description="The latest period that is over")
    light: str = Field(description="green, yellow, red or none")
    light_label: str
    series: list[PointOut]


class ActivityOut(Schema):
    what: str
    responsible: str = Field(description="The responsible organisation")
    when: str
    status: str = Field(description="planned, ongoing, done or cancelled")
    status_label: str
    initiative: str = Field(description="The initiative it is part of, or empty")


class CommitmentOut(Schema):
    id: int
    focus_area: str
    owner: str = Field(description="police, municipality or both")
    owner_label: str
    text: str
    activities: list[ActivityOut]


class FocusAreaOut(Schema):
    id: int
    title: str
    description: str


class ProgressOut(Schema):
    total: int
    planned: int
    ongoing: int
    done: int
    cancelled: int


class SignatoryOut(Schema):
    name: str
    role: str
    organisation: str
    signed_on: str | None


class FollowUpOut(Schema):
    id: int
    made_on: str
    narrative: str


class PromiseSummaryOut(Schema):
    id: int
    title: str
    period: str = Field(examples=["2023–2024"])
    start_year: int
    end_year: int
    status: str = Field(description="published or archived")


class PromiseOut(PromiseSummaryOut):
    published_on: str | None
    version: int
    situation: str
    situation_sources: str
    focus_areas: list[FocusAreaOut]
    commitments: list[CommitmentOut]
    progress: ProgressOut
    indicators: list[IndicatorOut]
    signatories: list[SignatoryOut]
    follow_ups: list[FollowUpOut]


class PromisesOut(Schema):
    municipality: MunicipalityOut
    current: PromiseOut | None = Field(description="The promise in force; null if none")
    previous: list[PromiseSummaryOut]
