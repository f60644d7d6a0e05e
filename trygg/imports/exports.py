"""Reports as GeoJSON and XLSX in the shape the importer reads back.

Export → import into an empty database gives the same reports: each column
is one of the importer's fields under a header it recognises (convert.TARGETS,
in Swedish or English), categories and choices as their codes, times in
Swedish time. GeoJSON keeps times to the microsecond (ISO 8601 with offset);
XLSX to the second, as Excel keeps them. Free text only where the reader may
see it (reports.access.record_details_shown, which audits it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.reports.access import record_details_shown
from trygg.reports.models import Report
from trygg.situation.exports import Table, xlsx_bytes

# At most this many reports a file (newest first); the list's filter narrows it.
EXPORT_LIMIT = 100_000
HEADERS = {
    "id": _("Id"),
    "category": _("Category"),
    "occurred_at": _("Occurred at"),
    "occurred_to": _("Occurred until"),
    "lat": _("Latitude"),
    "lon": _("Longitude"),
    "address": _("Address"),
    "place_type": _("Place type"),
    "persons": _("Number of persons"),
    "creates_insecurity": _("Creates insecurity"),
    "description": _("Description"),
    "reported_to_police": _("Reported to the police"),
    "damage_cost_sek": _("Damage cost (SEK)"),
    "sharing": _("Sharing"),
}


def chosen_reports(reports: Any) -> list[Report]:
    return list(reports.select_related("category")[:EXPORT_LIMIT])


def _record(report: Report, details: bool) -> dict[str, Any]:
    return {
        "id": str(report.pk),
        "category": report.category.code,
        "occurred_at": timezone.localtime(report.occurred_at),
        "occurred_to": timezone.localtime(report.occurred_to) if report.occurred_to else None,
        "lat": report.lat,
        "lon": report.lon,
        "address": report.address if details else "",
        "place_type": report.place_type,
        "persons": report.persons,
        "creates_insecurity": report.creates_insecurity,
        "description": report.description if details else "",
        "reported_to_police": report.reported_to_police,
        "damage_cost_sek": report.damage_cost_sek,
        "sharing": report.sharing,
    }


def records(user: Any, reports: list[Report]) -> list[dict[str, Any]]:
    shown = record_details_shown(user, reports)
    return [_record(r, s) for r, s in zip(reports, shown, strict=True)]


def geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for row in rows:
        properties = {k: _json(v) for k, v in row.items() if k not in ("lat", "lon")}
        point = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        features.append({"type": "Feature", "geometry": point, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def xlsx(rows: list[dict[str, Any]]) -> bytes:
    table = Table(
        str(_("Reports")), [str(h) for h in HEADERS.values()], [_cells(row) for row in rows]
    )
    return xlsx_bytes([table])


def _cells(row: dict[str, Any]) -> list[Any]:
    out = []
    for key in HEADERS:
        value = row[key]
        if isinstance(value, datetime):
            # Excel has no time zones: Swedish wall-clock time, to the second.
            value = value.replace(tzinfo=None, microsecond=0)
        elif isinstance(value, bool):
            value = "ja" if value else "nej"
        out.append("" if value is None else value)
    return out
