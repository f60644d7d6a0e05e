"""Writes of reports: every channel (web form, API, import, demo) comes here."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.errors import FieldError, InputRejected
from trygg.partners.models import Municipality, Organisation
from trygg.reports import rollup
from trygg.reports.fast_insert import NewReports
from trygg.reports.intake import context_for, validate_items
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
        # `client_id != ""` changes no result (the ids are non-empty) but lets the
        # planner use the partial unique index report_unique_client_id, whose
        # condition it is; without it SQLite scans all the organisation's
        # reports once per chunk, which made batches slower the fuller the table.
        # order_by(): the default ordering is of no use here and costs a sort.
        queryset = Report.objects.filter(organisation=organisation, client_id__in=chunk)
        for report in queryset.exclude(client_id="").order_by():
            found[report.client_id] = report
    return found


def submit_reports(
    *,
    organisation: Organisation,
    by: Any,
    items: Sequence[Any],
    source: str = Report.Source.API,
    now: datetime | None = None,
    max_age_days: int | None = None,
) -> BatchResult:
    """Store every item or none; raises InputRejected listing each bad item and field.

    An item whose client_id the organisation has already used is not stored
    again: the existing report takes its place in the result.
    """
    now = now or timezone.now()
    # Validation (masking, projection, area lookup) is most of the work and only
    # reads, so it runs before the write transaction: SQLite has one writer at a
    # time, and every millisecond inside holds up every other report.
    ctx = context_for(organisation.municipality, now=now, max_age_days=max_age_days)
    rows = validate_items(items, ctx)
    with transaction.atomic():
        batch, created = _store(rows, organisation=organisation, by=by, source=source, now=now)
        _count(created)
    return batch


def _count(created: list[Report]) -> None:
    """Add new reports to the rollup, as the last write of their transaction.

    In their transaction, so the picture's counts never disagree with the
    reports. Last, so the busiest rows of the database (today's counts) stay
    locked only until the commit right after, and their changed_at is at most
    moments older than that commit (rollup.CHANGE_MARGIN).
    """
    rollup.add(rollup.keys_of(created))


def _store(
    rows: list[dict[str, Any]], *, organisation: Organisation, by: Any, source: str, now: datetime
) -> tuple[BatchResult, list[Report]]:
    """Write validated rows after their client_id check, inside a transaction; and the new ones.

    The caller adds the new ones to the rollup (`_count`) last before committing.
    """
    seen = _existing_by_client_id(
        organisation, {r["client_id"] for r in rows if r.get("client_id")}
    )
    result: list[Report] = []
    created_reports: list[Report] = []
    fresh = NewReports(organisation=organisation, by=by, source=source, now=now)
    for row in rows:
        client_id = row.get("client_id")
        if client_id and client_id in seen:
            result.append(seen[client_id])
            continue
        report = fresh.add(row)
        if client_id:
            seen[client_id] = report
        result.append(report)
        created_reports.append(report)
    fresh.write()
    created = len(fresh.params)
    batch = BatchResult(reports=result, created=created, existing=len(rows) - created)
    return batch, created_reports


def submit_report(
    *,
    organisation: Organisation,
    by: Any,
    data: dict[str, Any],
    source: str = Report.Source.API,
    photo: Any = None,
) -> tuple[Report, bool]:
    """The stored report and whether it was created (False: its client_id was seen before).

    The photo is checked and re-encoded before anything is written, and stored
    in the same transaction as the report: both are kept, or neither.
    """
    from trygg.reports.photos import clean_photo, store_photo

    now = timezone.now()
    rows = validate_items([data], context_for(organisation.municipality, now=now))
    cleaned = clean_photo(photo) if photo is not None else None
    try:
        with transaction.atomic():
            batch, created = _store(rows, organisation=organisation, by=by, source=source, now=now)
            report = batch.reports[0]
            if cleaned is not None and batch.created:
                store_photo(report, *cleaned)
            _count(created)
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
        raise InputRejected([FieldError(0, "lat", message)])
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
    "InputRejected",
    "submit_all_calm",
    "submit_report",
    "submit_reports",
]


@dataclass(frozen=True)
class RetentionResult:
    municipality: Municipality
    cutoff: datetime
    reports: int  # reports whose free text, address and photo were (or would be) removed
    photos: int


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment `months` calendar months earlier (31 March − 1 → 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def remove_expired_details(
    *, municipality: Municipality, now: datetime | None = None, commit: bool = False
) -> RetentionResult:
    """Remove free text, address and photo from reports stored longer than the municipality keeps.

    Age counts from `reported_at`, when Trygg received the data. Everything
    counted stays (category, place, time, area, the daily rollup), so the
    lägesbild of old periods is unchanged. Without `commit` nothing is written:
    the result says what would be removed. Photo files go after the commit.
    """
    now = now or timezone.now()
    cutoff = months_before(now, municipality.retention_months)
    expired = Report.objects.filter(
        municipality=municipality, reported_at__lt=cutoff, details_removed_at__isnull=True
    )
    photos = list(expired.exclude(photo="").values_list("photo", flat=True))
    if not commit:
        return RetentionResult(municipality, cutoff, expired.count(), len(photos))
    with transaction.atomic():
        removed = expired.update(description="", address="", photo="", details_removed_at=now)
        storage = Report._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in photos])
    return RetentionResult(municipality, cutoff, removed, len(photos))
