"""What a viewer may see of a report: the one read model that pages, API, map and exports render.

Two inputs, one rule. Pages, the map and the lägesbild exports read Report
instances (their templates need the related names) and wrap each in a
`ShownReport`; the API list reads plain value rows (`report_rows`, no model
instances: the fast path) and turns each into a record (`row_record`). Either
way the fields in PRIVATE_FIELDS are present only when the viewer is shown the
report's details, and whether they are is decided, and audited, by
`reports.access.record_details_shown` in the caller, once per response, exactly as
before: this module only reads and never writes.

New fields of a report go here: into ROW_FIELDS and `row_record` for the API,
into `report_feature` for the map and point exports, and (free text) into
PRIVATE_FIELDS with a guarded property on `ShownReport` for the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from trygg.reports.models import Report

# Fields shown only with the report's details: to its own organisation, to the
# municipality's coordinators and to superusers (access.shows_details).
PRIVATE_FIELDS = ("description", "address", "photo", "reporter", "client_id")

# What a record is read from, as paths through the report's relations.
ROW_FIELDS = (
    "id",
    "category__code",
    "category__group__code",
    "category__name_sv",
    "category__name_en",
    "occurred_at",
    "occurred_to",
    "reported_at",
    "lat",
    "lon",
    "x",
    "y",
    "h3_cell",
    "area_id",
    "area__name",
    "municipality_id",
    "municipality__code",
    "organisation_id",
    "organisation__name",
    "place_type",
    "persons",
    "creates_insecurity",
    "reported_to_police",
    "damage_cost_sek",
    "sharing",
    "source",
    "status",
    "flagged_for_discussion",
    "description",
    "address",
    "reporter__username",
    "client_id",
    "photo",
)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One report read as plain values: what access checks need, and the rest for its record."""

    pk: UUID
    organisation_id: int
    municipality_id: int
    values: dict[str, Any]


def report_rows(queryset: QuerySet[Report]) -> list[ReportRow]:
    """The reports of `queryset` as rows, in its order.

    A page of the API list reads rows rather than Report instances: building
    the seven model objects select_related makes for each report was most of
    the page's time.
    """
    return [
        ReportRow(v["id"], v["organisation_id"], v["municipality_id"], v)
        for v in queryset.values(*ROW_FIELDS)
    ]


def row_records(rows: Iterable[ReportRow], flags: Iterable[bool]) -> list[dict[str, Any]]:
    return [row_record(row.values, details=d) for row, d in zip(rows, flags, strict=True)]


def row_record(v: dict[str, Any], *, details: bool) -> dict[str, Any]:
    """The record of one row of ROW_FIELDS; private fields are None unless `details`."""
    english = (get_language() or "sv").startswith("en")
    return {
        "id": v["id"],
        "category": v["category__code"],
        "category_group": v["category__group__code"] or v["category__code"],
        "category_name": v["category__name_en"] if english else v["category__name_sv"],
        "occurred_at": v["occurred_at"],
        "occurred_to": v["occurred_to"],
        "reported_at": v["reported_at"],
        "lat": v["lat"],
        "lon": v["lon"],
        "x": v["x"],
        "y": v["y"],
        "h3_cell": v["h3_cell"],
        "area": v["area_id"],
        "area_name": v["area__name"],
        "municipality": v["municipality__code"],
        "organisation": v["organisation_id"],
        "organisation_name": v["organisation__name"],
        "place_type": v["place_type"],
        "persons": v["persons"],
        "creates_insecurity": v["creates_insecurity"],
        "reported_to_police": v["reported_to_police"],
        "damage_cost_sek": v["damage_cost_sek"],
        "sharing": v["sharing"],
        "source": v["source"],
        "status": v["status"],
        "flagged_for_discussion": v["flagged_for_discussion"],
        "details_visible": details,
        "description": v["description"] if details else None,
        "address": v["address"] if details else None,
        "reporter": v["reporter__username"] if details else None,
        "client_id": v["client_id"] if details else None,
        "has_photo": bool(v["photo"]) if details else False,
    }


@dataclass(frozen=True, slots=True)
class ShownReport:
    """One report as a viewer sees it on a page: the report, and whether its details are shown.

    Templates read the free text through the properties below, which are empty
    unless `details`, so a page that forgets to ask cannot show it.
    """

    report: Report
    details: bool

    @property
    def description(self) -> str:
        return self.report.description if self.details else ""

    @property
    def address(self) -> str:
        return self.report.address if self.details else ""

    @property
    def reporter(self) -> Any:
        return self.report.reporter if self.details else None

    @property
    def has_photo(self) -> bool:
        return bool(self.report.photo) if self.details else False


def shown_reports(reports: Iterable[Report], flags: Iterable[bool]) -> list[ShownReport]:
    """`reports` paired with their `access.record_details_shown` flags, in order."""
    return [ShownReport(r, d) for r, d in zip(reports, flags, strict=True)]


def report_feature(shown: ShownReport) -> dict[str, Any]:
    """The report as a GeoJSON point, for the report map and the lägesbild's point export.

    Reads report.category and report.area: select_related them.
    """
    report = shown.report
    category = report.category
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [report.lon, report.lat]},
        "properties": {
            "id": str(report.pk),
            "url": reverse("reports:detail", args=[report.pk]),
            "category": category.code,
            "category_name": category.name,
            "colour": category.colour,
            "occurred_at": report.occurred_at.isoformat(),
            "occurred_to": report.occurred_to.isoformat() if report.occurred_to else None,
            "area": report.area.name if report.area_id else None,  # type: ignore[union-attr]
            "description": shown.description if shown.details else None,
        },
    }
