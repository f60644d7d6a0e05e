"""Read models of reports: the plain data that API, map and pages share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import get_language

from trygg.reports.models import Report

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
