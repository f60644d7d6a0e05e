"""Open311's answers as plain data: discovery, services, requests, updates, tokens.

Requests are Trygg's reports shared as *public aggregate*, read through
`trygg.reports.access.public_reports`: category, status and times, and the
position rounded to the centre of its cell of the municipality's lägesbild
grid (cells of at least 250 m, `trygg.situation.study_area`). Never the
note, the address, the photo, the reporter or the organisation: no sharing
level publishes free text (the public lägesbild shows counts only), so
none is shown here either. `bbox` selects by that rounded position too, so
narrowing the box cannot find a report's true place.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _

from trygg.geo.projection import to_sweref, to_wgs84
from trygg.open311.forms import RequestQuery
from trygg.open311.protocol import Open311Error
from trygg.partners.models import Municipality
from trygg.reports import access
from trygg.reports.models import Category, Report
from trygg.situation.study_area import study_area

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's endpoints last changed (discovery's `changeset`).
CHANGESET = "2026-12-01T00:00:00Z"
OPEN = (Report.Status.RECEIVED, Report.Status.REVIEWED)
# CitySDK's detailed_status for each of ours (extended_attributes).
DETAILED = {"received": "RECEIVED", "reviewed": "IN_PROCESS", "closed": "PROCESSED"}


def discovery(base_url: str, key_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": _("Ask the safety coordinator of your municipality."),
        "key_service": _(
            "A member of the partnership creates a personal API token at %(url)s; "
            "reports posted with it are filed for the member's organisation."
        )
        % {"url": key_url},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def offered_categories() -> list[Category]:
    """The services: active categories that count as incidents (not the "all calm" check-in)."""
    return list(Category.objects.filter(is_active=True, is_incident=True).select_related("group"))


def _service(category: Category) -> dict[str, Any]:
    group = category.group or category
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{group.name}: {category.name}" if category.group_id else category.name,
        "metadata": True,
        "type": "realtime",
        "keywords": group.code,
        "group": group.name,
    }


def services() -> list[dict[str, Any]]:
    return [_service(category) for category in offered_categories()]


def _choices(choices: Iterable[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"key": key, "name": str(label)} for key, label in choices]


def _attribute(order: int, code: str, datatype: str, description: str, **more: Any) -> dict:
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": False,
        "datatype_description": more.get("datatype_description", ""),
        "order": order,
        "description": description,
        "values": more.get("values", []),
    }


def attributes() -> list[dict[str, Any]]:
    """The report's optional fields beyond Open311's own, as `attribute[code]=value`."""
    return [
        _attribute(1, "place_type", "singlevaluelist", _("Type of place"),
                   values=_choices(Report.PlaceType.choices)),
        _attribute(2, "persons", "number", _("Approximate number of persons"),
                   datatype_description=_("A whole number from 0 to 1000.")),
        _attribute(3, "creates_insecurity", "singlevaluelist", _("Does it create insecurity?"),
                   values=_choices(Report.Assessment.choices)),
        _attribute(4, "sharing", "singlevaluelist",
                   _("Who may see the report. Only public reports are listed by this API, "
                     "without free text. Default: EST partners."),
                   values=_choices(Report.Sharing.choices)),
        _attribute(5, "occurred_at", "datetime", _("When it happened"),
                   datatype_description=_("W3C date and time; default: now.")),
    ]  # fmt: skip


def service_definition(code: str) -> dict[str, Any]:
    if not any(c.code == code for c in offered_categories()):
        raise Open311Error(404, _("No service has this code."), "service_code")
    return {"service_code": code, "attributes": attributes()}


class _PublicGrid:
    """Rounds positions to the centre of their cell of each municipality's lägesbild grid."""

    def __init__(self, municipality_ids: Iterable[int]) -> None:
        found = Municipality.objects.filter(pk__in=set(municipality_ids))
        self.municipalities = {m.pk: m for m in found}
        self.grids = {pk: study_area(m).grid for pk, m in self.municipalities.items()}

    def centres(self, rows: list[dict[str, Any]]) -> list[tuple[float, float]]:
        """(lat, long) of each row's cell centre, rounded to 6 decimals."""
        if not rows:
            return []
        xs, ys = [], []
        for row in rows:
            grid = self.grids[row["municipality_id"]]
            xs.append(grid.x0 + (math.floor((row["x"] - grid.x0) / grid.cell) + 0.5) * grid.cell)
            ys.append(grid.y0 + (math.floor((row["y"] - grid.y0) / grid.cell) + 0.5) * grid.cell)
        lat, lon = to_wgs84(np.array(xs), np.array(ys))
        return [(round(float(a), 6), round(float(b), 6)) for a, b in zip(lat, lon, strict=True)]

    def box_rule(self, bbox: tuple[float, float, float, float]) -> Q:
        """Reports whose cell centre lies in the box (its extent in SWEREF 99 TM)."""
        west, south, east, north = bbox
        xs, ys = to_sweref(
            np.array([south, south, north, north]), np.array([west, east, west, east])
        )
        xs, ys = (
            np.nan_to_num(xs, posinf=1e12, neginf=-1e12),
            np.nan_to_num(ys, posinf=1e12, neginf=-1e12),
        )
        rule = Q(pk__in=[])
        for pk, grid in self.grids.items():
            x_range = _cells_within(grid.x0, grid.cell, float(xs.min()), float(xs.max()))
            y_range = _cells_within(grid.y0, grid.cell, float(ys.min()), float(ys.max()))
            if x_range and y_range:
                rule |= Q(municipality_id=pk, x__gte=x_range[0], x__lt=x_range[1]) & Q(
                    y__gte=y_range[0], y__lt=y_range[1]
                )
        return rule


def _cells_within(
    origin: float, cell: float, low: float, high: float
) -> tuple[float, float] | None:
    """The span of the cells whose centres lie in [low, high], or None if no centre does."""
    first = math.ceil((low - origin) / cell - 0.5)
    last = math.floor((high - origin) / cell - 0.5)
    if first > last:
        return None
    return origin + first * cell, origin + (last + 1) * cell


def _filters(query: RequestQuery, municipality: Municipality | None) -> tuple[list[Q], dict]:
    filters: dict[str, Any] = {}
    if municipality is not None:
        filters["municipality_id"] = municipality.pk
    if query.ids:
        filters["pk__in"] = [i for i in query.ids if _is_uuid(i)]
        return [], filters
    if query.service_codes:
        codes = {c.code: c.pk for c in offered_categories()}
        filters["category_id__in"] = [codes[c] for c in query.service_codes if c in codes]
    if query.statuses:
        wanted = [s for s in (*OPEN, Report.Status.CLOSED) if _open_or_closed(s) in query.statuses]
        filters["status__in"] = wanted
    if query.requested:
        filters["reported_at__gte"], filters["reported_at__lte"] = query.requested
    if query.updated:
        filters["updated__gte"], filters["updated__lte"] = query.updated
    rules = []
    if query.bbox:
        scope = (
            [municipality.pk] if municipality else Municipality.objects.values_list("pk", flat=True)
        )
        rules.append(_PublicGrid(scope).box_rule(query.bbox))
    return rules, filters


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _open_or_closed(status: str) -> str:
    return "open" if status in OPEN else "closed"


def _status_label(status: str) -> str:
    return str(Report.Status(status).label) if status in Report.Status.values else status


def requests(query: RequestQuery, municipality: Municipality | None) -> list[dict[str, Any]]:
    """A page of public requests, newest first: the spec's fields, and the extensions if asked."""
    rules, filters = _filters(query, municipality)
    start = (query.page - 1) * query.page_size
    rows = list(
        access.public_reports(*rules, **filters).order_by("-reported_at", "-pk")[
            start : start + query.page_size
        ]
    )
    return _records(rows, extensions=query.extensions)


def one_request(report_id: str, municipality: Municipality | None) -> list[dict[str, Any]]:
    filters: dict[str, Any] = {"pk": report_id} if _is_uuid(report_id) else {"pk__in": []}
    if municipality is not None:
        filters["municipality_id"] = municipality.pk
    rows = list(access.public_reports(**filters))
    if not rows:
        raise Open311Error(404, _("No public request has this id."), "service_request_id")
    return _records(rows, extensions=True)


def _records(rows: list[dict[str, Any]], *, extensions: bool) -> list[dict[str, Any]]:
    grid = _PublicGrid(row["municipality_id"] for row in rows)
    positions = grid.centres(rows)
    categories = {c.pk: c for c in Category.objects.select_related("group")}
    notes = _notes([row["pk"] for row in rows]) if extensions else {}
    records = []
    for row, (lat, lon) in zip(rows, positions, strict=True):
        category = categories[row["category_id"]]
        record = {
            "service_request_id": str(row["pk"]),
            "status": _open_or_closed(row["status"]),
            "status_notes": _status_label(row["status"]),
            "service_name": category.name,
            "service_code": category.code,
            "description": "",
            "agency_responsible": grid.municipalities[row["municipality_id"]].name,
            "service_notice": "",
            "requested_datetime": row["reported_at"],
            "updated_datetime": row["updated"],
            "expected_datetime": None,
            "address": "",
            "address_id": "",
            "zipcode": "",
            "lat": lat,
            "long": lon,
            "media_url": "",
        }
        if extensions:
            record["extended_attributes"] = {
                "detailed_status": DETAILED.get(row["status"], row["status"].upper()),
                "trygg_status": row["status"],
                "group": (category.group or category).code,
            }
            record["notes"] = notes.get(row["pk"], [])
        records.append(record)
    return records


def _notes(report_ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    """Each report's status changes, oldest first, as the extension's `notes`."""
    notes: dict[Any, list[dict[str, Any]]] = {}
    for change in access.public_status_changes(report_ids=report_ids):
        notes.setdefault(change["report_id"], []).append(
            {
                "datetime": change["at"],
                "description": _status_label(change["new"]),
                "type": "status",
            }
        )
    return notes


def updates(
    window: tuple[datetime, datetime], municipality: Municipality | None, page: int, size: int
) -> list[dict[str, Any]]:
    """FixMyStreet's service request updates: the status changes of public requests."""
    changes = access.public_status_changes(
        municipality_id=municipality.pk if municipality else None,
        at__gte=window[0],
        at__lte=window[1],
    )[(page - 1) * size : page * size]
    return [
        {
            "update_id": str(change["pk"]),
            "service_request_id": str(change["report_id"]),
            "status": _open_or_closed(change["new"]),
            "updated_datetime": change["at"],
            "description": _status_label(change["new"]),
            "media_url": "",
            "external_status_code": change["new"],
        }
        for change in changes
    ]


def token(value: str) -> list[dict[str, Any]]:
    """The request a token stands for: the token is the id POST returned, for Open311 reports."""
    if not access.filed_through(Report.Source.OPEN311, value):
        raise Open311Error(404, _("No request has this token."), "token")
    return [{"service_request_id": value, "token": value}]


def posted(report: Report) -> list[dict[str, Any]]:
    """POST's answer: the new request's id at once (the services are `realtime`)."""
    return [{"service_request_id": str(report.pk), "service_notice": "", "account_id": None}]
