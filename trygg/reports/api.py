"""JSON endpoints for reports and categories: parse, call, respond."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from trygg.core.errors import FieldError, InputRejected
from trygg.core.schemas import ErrorOut
from trygg.reports import access, pages
from trygg.reports.actions import (
    HandlingRefused,
    comment_on_report,
    handle_report,
    submit_report,
    submit_reports,
)
from trygg.reports.filters import parse_filter
from trygg.reports.models import Category, Report
from trygg.reports.records import ReportRow, report_rows, row_record, row_records
from trygg.reports.schemas import (
    BatchIn,
    BatchOut,
    CategoryOut,
    CommentIn,
    CommentOut,
    ReportDetailOut,
    ReportIn,
    ReportOut,
    ReportPage,
    StatusIn,
)
from trygg.responses import json_response

router = Router(tags=["reports"])


def _payload(report_in: ReportIn) -> dict[str, Any]:
    return report_in.model_dump(exclude_none=True, exclude={"organisation"})


@router.post(
    "/reports",
    response={200: ReportOut, 201: ReportOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut},
)
def create_report(request: HttpRequest, payload: ReportIn) -> HttpResponse:
    """Store one report. 201 when stored; 200 with the stored report when its client_id was seen."""
    organisation = access.reporting_organisation_for(request.auth, payload.organisation)
    report, created = submit_report(
        organisation=organisation, by=request.auth, data=_payload(payload), source=Report.Source.API
    )
    stored = access.get_row_for(request.auth, report.pk)
    return json_response(row_record(stored.values, details=True), status=201 if created else 200)


@router.post(
    "/reports/batch", response={201: BatchOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut}
)
def create_reports(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    """Store up to 10,000 reports: all of them, or none with 422 naming every bad item."""
    organisation = access.reporting_organisation_for(request.auth, payload.organisation)
    items = [_payload(item) for item in payload.reports]
    result = submit_reports(
        organisation=organisation, by=request.auth, items=items, source=Report.Source.API
    )
    ids = [r.pk for r in result.reports]
    return Status(201, {"created": result.created, "existing": result.existing, "ids": ids})


class ListParams(Schema):
    since: str | None = None
    until: str | None = None
    category: str | None = None
    area: str | None = None
    organisation: str | None = None
    source: str | None = None
    bbox: str | None = None
    status: str | None = Field(None, description="`received`, `reviewed`, `closed` or `withdrawn`.")
    flagged: str | None = Field(
        None,
        description="`yes`: only reports flagged for discussion at the next meeting; "
        "`no`: the others.",
    )
    kind: str | None = Field(
        None,
        description="`all` (default), `incidents` (no *all calm* check-ins) or `checkins`.",
    )
    q: str | None = Field(
        None,
        description="Text in the note or address, any case, at most 100 characters. "
        "Only reports whose free text you may read can match.",
    )
    cursor: str | None = None
    limit: int = 100


def _encode_cursor(row: ReportRow) -> str:
    raw = f"{row.values['occurred_at'].isoformat()}|{row.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after_cursor(queryset: QuerySet[Report], cursor: str) -> QuerySet[Report]:
    try:
        moment, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        when, uuid = datetime.fromisoformat(moment), UUID(pk)
        # Our cursors carry an aware time; converting to UTC here, not in the database
        # layer, turns a forged 0001-01-01 or 9999-12-31 into a refusal, not an overflow.
        if when.tzinfo is None:
            raise ValueError("naive")
        when = when.astimezone(UTC)
    except (ValueError, UnicodeDecodeError, OverflowError):
        raise InputRejected([FieldError(0, "cursor", _("Not a cursor from this API."))]) from None
    return queryset.filter(Q(occurred_at__lt=when) | Q(occurred_at=when, pk__lt=uuid))


@router.get("/reports", response={200: ReportPage, 401: ErrorOut, 422: ErrorOut})
def list_reports(request: HttpRequest, params: Query[ListParams]) -> HttpResponse:
    """Reports you may see, newest first. Dates are `YYYY-MM-DD` (until: inclusive) or ISO times."""
    if not 1 <= params.limit <= 1000:
        raise InputRejected([FieldError(0, "limit", "Between 1 and 1000.")])
    queryset = parse_filter(params.model_dump(), viewer=request.auth).apply(
        access.visible_reports(request.auth)
    )
    queryset = queryset.order_by("-occurred_at", "-pk")
    if params.cursor:
        queryset = _after_cursor(queryset, params.cursor)
    page = report_rows(queryset[: params.limit + 1])
    more = len(page) > params.limit
    page = page[: params.limit]
    items = row_records(page, access.record_details_shown(request.auth, page))
    cursor = _encode_cursor(page[-1]) if more else None
    return json_response({"items": items, "next_cursor": cursor})


def _detail(request: HttpRequest, report_id: str, *, status: int = 200) -> HttpResponse:
    row = access.get_row_for(request.auth, report_id)
    [details] = access.record_details_shown(request.auth, [row])
    handling = pages.handling_of(request.auth, access.get_report_for(request.auth, report_id))
    record = row_record(row.values, details=details) | pages.handling_dict(handling)
    return json_response(record, status=status)


@router.get("/reports/{report_id}", response={200: ReportDetailOut, 401: ErrorOut, 404: ErrorOut})
def get_report(request: HttpRequest, report_id: str) -> HttpResponse:
    """One report with its status, history, comments and what is done about it.

    404 when it does not exist or you may not see it. History and comments
    come with the details only; internal notes only to coordinators.
    """
    return _detail(request, report_id)


def _refused(error: HandlingRefused | PermissionDenied) -> Exception:
    if isinstance(error, PermissionDenied):
        return HttpError(403, _("You may not do this with the report."))
    return InputRejected([FieldError(0, error.field, str(error))])


HANDLING_ANSWERS = {403: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.post("/reports/{report_id}/status", response={200: ReportDetailOut, **HANDLING_ANSWERS})
def set_report_status(request: HttpRequest, report_id: str, payload: StatusIn) -> HttpResponse:
    """Coordinators: mark reviewed, close (with an optional comment), flag for discussion.

    The reporter withdraws his own report (`withdrawn`) within the edit window.
    Statuses go received → reviewed → closed; closed and withdrawn are final.
    """
    report = access.get_report_for(request.auth, report_id)
    try:
        if not access.may_change(request.auth, report):
            raise PermissionDenied
        handle_report(
            report=report, by=request.auth, status=payload.status,
            flagged=payload.flagged_for_discussion, comment=payload.comment or "",
        )  # fmt: skip
    except (HandlingRefused, PermissionDenied) as error:
        raise _refused(error) from None
    return _detail(request, report_id)


@router.post("/reports/{report_id}/comments", response={201: CommentOut, **HANDLING_ANSWERS})
def add_report_comment(request: HttpRequest, report_id: str, payload: CommentIn) -> HttpResponse:
    """Coordinators: a comment the reporting organisation reads, or an internal note."""
    report = access.get_report_for(request.auth, report_id)
    try:
        if not access.handles(request.auth, report):
            raise PermissionDenied
        comment = comment_on_report(
            report=report, by=request.auth, text=payload.text, internal=payload.internal
        )
    except (HandlingRefused, PermissionDenied) as error:
        raise _refused(error) from None
    record = {
        "id": comment.pk,
        "at": comment.at,
        "author": request.auth.username,
        "text": comment.text,
        "internal": comment.internal,
    }
    return json_response(record, status=201)


@router.get("/categories", response={200: list[CategoryOut], 401: ErrorOut}, tags=["categories"])
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    """The category taxonomy: stable codes with Swedish and English names."""
    return [
        {
            "code": c.code,
            "group": c.group.code if c.group_id else None,
            "name_sv": c.name_sv,
            "name_en": c.name_en,
            "colour": c.colour,
            "is_active": c.is_active,
            "is_incident": c.is_incident,
        }
        for c in Category.objects.select_related("group")
    ]
