"""Writes of reports: every channel (web form, API, import, demo) comes here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trygg.partners.models import Organisation
from trygg.reports.intake import ReportRejected, context_for, validate_items
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


__all__ = ["BatchResult", "ReportRejected", "submit_report", "submit_reports"]
