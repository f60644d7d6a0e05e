"""Read models of reports: the plain data that API, map and pages share."""

from __future__ import annotations

from typing import Any

from trygg.reports.models import Report


def report_record(report: Report, *, details: bool) -> dict[str, Any]:
    """One report as a plain dict; private fields are None unless `details`."""
    category = report.category
    return {
        "id": report.id,
        "category": category.code,
        "category_group": category.group.code if category.group_id else category.code,
        "category_name": category.name,
        "occurred_at": report.occurred_at,
        "occurred_to": report.occurred_to,
        "reported_at": report.reported_at,
        "lat": report.lat,
        "lon": report.lon,
        "x": report.x,
        "y": report.y,
        "h3_cell": report.h3_cell,
        "area": report.area_id,
        "area_name": report.area.name if report.area_id else None,
        "municipality": report.municipality.code,
        "organisation": report.organisation_id,
        "organisation_name": report.organisation.name,
        "place_type": report.place_type,
        "persons": report.persons,
        "creates_insecurity": report.creates_insecurity,
        "reported_to_police": report.reported_to_police,
        "damage_cost_sek": report.damage_cost_sek,
        "sharing": report.sharing,
        "source": report.source,
        "status": report.status,
        "details_visible": details,
        "description": report.description if details else None,
        "address": report.address if details else None,
        "reporter": report.reporter.username if details and report.reporter_id else None,
        "client_id": report.client_id if details else None,
        "has_photo": bool(report.photo) if details else False,
    }


RECORD_RELATED = ("category__group", "area", "organisation", "municipality", "reporter")
# Polygons ride along with select_related unless deferred: decoding every row's
# area and municipality outline cost ~20 ms a report in the API list.
OUTLINES = ("area__geometry", "municipality__boundary")
