"""Downloads of measures: the board's list and the åtgärdsplan. Every download is audited.

Headers follow `?lang=sv|en` and are Swedish without it, like the lägesbild's files.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from trygg.core.downloads import TABLE_TYPES, attachment, export_language
from trygg.measures import access, exports, pages
from trygg.partners.audit import audited_export
from trygg.partners.models import Municipality
from trygg.situation.exports import CSV_STYLES, csv_bytes, xlsx_bytes
from trygg.situation.periods import PeriodError, parse_period

PLAN_TYPES = {"pdf": "application/pdf", "xlsx": TABLE_TYPES["xlsx"]}


def _bad(text: str) -> HttpResponse:
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def _exported_from(
    request: HttpRequest, code: str, fmt: str, types: dict[str, str]
) -> Municipality:
    """The municipality whose measures are downloaded, once `fmt` is one of `types` (else 404)."""
    if fmt not in types:
        raise Http404("No such format")
    return access.get_board_municipality(request.user, code)


@login_required
@require_GET
@audited_export
def export_board(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The board as filtered (`?status=&owner=&area=&overdue=`), as CSV for Excel or XLSX."""
    municipality = _exported_from(request, code, fmt, TABLE_TYPES)
    with translation.override(export_language(request)):
        try:
            chosen = pages.parse_board_filter(request.GET)
        except pages.BoardError as bad:
            return _bad(" ".join(f"{f}: {m}" for f, m in bad.errors.items()))
        today = timezone.localdate()
        queryset = pages.board_queryset(request.user, municipality, chosen, today)
        table = exports.board_table(
            list(queryset.prefetch_related("categories", "partners")), today
        )
        name = f"atgarder-{municipality.code}-{today.isoformat()}.{fmt}"
        if fmt == "xlsx":
            return attachment(xlsx_bytes([table]), TABLE_TYPES[fmt], name)
        style = CSV_STYLES.get(request.GET.get("format", "excel"))
        if style is None:
            return _bad("format: excel or international")
        return attachment(csv_bytes(table, style), TABLE_TYPES[fmt], name)


@login_required
@require_GET
@audited_export
def export_plan(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The åtgärdsplan of `?period=` (default: this year) as PDF or XLSX."""
    municipality = _exported_from(request, code, fmt, PLAN_TYPES)
    with translation.override(export_language(request)):
        key = request.GET.get("period") or str(timezone.localdate().year)
        try:
            period = parse_period(key)
        except PeriodError as error:
            return _bad(f"period: {error}")
        measures = exports.plan_measures(request.user, municipality, period)
        rows = [exports.plan_row(m) for m in measures]
        name = f"atgardsplan-{municipality.code}-{period.key}.{fmt}"
        if fmt == "pdf":
            content = exports.plan_pdf(municipality, period, rows)
        else:
            content = xlsx_bytes([exports.plan_table(rows)])
        return attachment(content, PLAN_TYPES[fmt], name)
