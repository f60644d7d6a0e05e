"""Writes of reports: every channel (web form, API, import, demo) comes here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.partners.models import Organisation
from trygg.reports.intake import FieldError, ReportRejected, context_for, validate_items
from trygg.reports.models import Report

CLIENT_ID_CHUNK = 500


@dataclass(frozen=True)
class BatchResult:
    reports: list[Report]  # in input order; an existing report where a client_id repeated
    created: int
    existing: int


def _existing_by_client_id(organisation: Organisation, client_ids: set[str]) -> dict[str, Report]:
    found: dict[str, Report] = {}
    ids = sorted(client_ids)
    for start in range(0, len(ids), CLIENT_ID_CHUNK):
        chunk = ids[start : start + CLIENT_ID_CHUNK]
        for report in Report.objects.filter(organisation=organisation, client_id__in=chunk):
            found[report.client_id] = report
    return found


def _new_report(
    row: dict[str, Any], *, organisation: Organisation, by: Any, source: str, now: datetime
) -> Report:
    return Report(
        **row,
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        reporter=by,
        source=source,
        reported_at=now,
    )


@transaction.atomic
def submit_reports(
    *,
    organisation: Organisation,
    by: Any,
    items: Sequence[Any],
    source: str = Report.Source.API,
    now: datetime | None = None,
    max_age_days: int | None = None,
) -> BatchResult:
    """Store every item or none; raises ReportRejected listing each bad item and field.

    An item whose client_id the organisation has already used is not stored
    again: the existing report takes its place in the result.
    """
    now = now or timezone.now()
    ctx = context_for(organisation.municipality, now=now, max_age_days=max_age_days)
    rows = validate_items(items, ctx)
    seen = _existing_by_client_id(
        organisation, {r["client_id"] for r in rows if r.get("client_id")}
    )
    result: list[Report] = []
    fresh: list[Report] = []
    for row in rows:
        client_id = row.get("client_id")
        if client_id and client_id in seen:
            result.append(seen[client_id])
            continue
        report = _new_report(row, organisation=organisation, by=by, source=source, now=now)
        if client_id:
            seen[client_id] = report
        fresh.append(report)
        result.append(report)
    Report.objects.bulk_create(fresh, batch_size=2000)
    return BatchResult(reports=result, created=len(fresh), existing=len(rows) - len(fresh))


def submit_report(
    *,
    organisation: Organisation,
    by: Any,
    data: dict[str, Any],
    source: str = Report.Source.API,
    photo: Any = None,
) -> tuple[Report, bool]:
    """The stored report and whether it was created (False: its client_id was seen before)."""
    try:
        with transaction.atomic():
            batch = submit_reports(organisation=organisation, by=by, items=[data], source=source)
            report = batch.reports[0]
            if photo is not None and batch.created:
                from trygg.reports.photos import attach_photo

                attach_photo(report, photo)
            return report, bool(batch.created)
    except IntegrityError:
        # Two requests with the same client_id raced; the other one won.
        client_id = data.get("client_id")
        existing = Report.objects.filter(organisation=organisation, client_id=client_id).first()
        if not client_id or existing is None:
            raise
        return existing, False


ALL_CALM = "all_calm"


def _interior_point(municipality: Any) -> tuple[float, float]:
    """A (lat, lon) surely inside the municipality boundary.

    Not the centroid: the centroid of a crescent-shaped or island municipality
    can lie outside it, and intake refuses such points. The point is found in
    SWEREF 99 TM, the frame intake tests the boundary in.
    """
    from trygg.geo.lookup import geometry_to_sweref
    from trygg.geo.projection import to_wgs84

    if not municipality.boundary:
        message = _("The municipality has no boundary: mark the place on the map.")
        raise ReportRejected([FieldError(0, "lat", message)])
    point = geometry_to_sweref(municipality.boundary).representative_point()
    lat, lon = to_wgs84(np.array([point.x]), np.array([point.y]))
    return float(lat[0]), float(lon[0])


def _calm_position(organisation: Organisation, by: Any) -> tuple[float, float]:
    """Where an "all calm" check-in is placed.

    The check-in says "I was out on my patch and nothing happened"; it is
    counted as reporting activity per area, never as an incident. The
    reporter's own last report for the organisation is the best guess of that
    patch, so activity lands in a plausible area; a first-time reporter's
    check-in falls back to a point inside the municipality.
    """
    last = (
        Report.objects.filter(organisation=organisation, reporter=by)
        .order_by("-reported_at")
        .values_list("lat", "lon")
        .first()
    )
    return (last[0], last[1]) if last else _interior_point(organisation.municipality)


def submit_all_calm(
    *, organisation: Organisation, by: Any, client_id: str = "", source: str = Report.Source.WEB
) -> tuple[Report, bool]:
    """The one-tap "all calm" check-in, stored like any report (see `_calm_position`)."""
    lat, lon = _calm_position(organisation, by)
    data = {"category": ALL_CALM, "lat": lat, "lon": lon, "client_id": client_id}
    return submit_report(organisation=organisation, by=by, data=data, source=source)


__all__ = [
    "BatchResult",
    "ReportRejected",
    "submit_all_calm",
    "submit_report",
    "submit_reports",
]
