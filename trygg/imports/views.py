"""Import pages: upload, map columns, map categories, preview (the dry run), import, runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.downloads import GEOJSON, TABLE_TYPES, attachment
from trygg.core.errors import InputRejected
from trygg.imports import access, actions, exports, pages
from trygg.imports.forms import CategoriesForm, ColumnsForm, UploadForm
from trygg.imports.models import ImportRun
from trygg.reports.filters import parse_filter
from trygg.reports.pages import listed_reports

# Errors shown on the preview page; the run keeps up to MAX_STORED_ERRORS.
SHOWN_ERRORS = 500


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The runs the person may open, and the upload form that starts a new one."""
    organisations = access.importing_organisations(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.organisation()
        if organisation is None:
            form.add_error(None, _("You are not a member of any organisation."))
        else:
            upload = form.cleaned_data["file"]
            try:
                run = actions.upload_file(
                    organisation=organisation, by=request.user, name=upload.name,
                    content=upload.read(),
                )  # fmt: skip
                return redirect("imports:columns", run_id=run.pk)
            except InputRejected as rejected:
                form.add_error("file", [str(e.message) for e in rejected.errors])
    context = {
        "form": form,
        "organisations": organisations,
        "runs": access.runs_for(request.user)[:100],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "imports/index.html", context, status=status)


def _draft(request: HttpRequest, run_id: int) -> ImportRun | None:
    """The run if it is still a draft; None (and the page redirects to the run) otherwise."""
    run = access.get_run_for(request.user, run_id)
    return run if run.is_open else None


@login_required
def columns(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _draft(request, run_id)
    if run is None:
        return redirect("imports:detail", run_id=run_id)
    sheet = pages.sheet_of(run)
    form = ColumnsForm(
        request.POST or None, headers=sheet.headers, initial=pages.columns_for(run, sheet)
    )
    if request.method == "POST" and form.is_valid():
        actions.map_run(run=run, by=request.user, columns=form.columns())
        return redirect("imports:categories", run_id=run.pk)
    context = {"run": run, "form": form, "sheet": sheet, "examples": sheet.rows[:3]}
    status = 400 if request.method == "POST" else 200
    return render(request, "imports/columns.html", context, status=status)


@login_required
def categories(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _draft(request, run_id)
    if run is None:
        return redirect("imports:detail", run_id=run_id)
    if not run.columns.get("category"):
        return redirect("imports:columns", run_id=run.pk)
    words, suggested = pages.categories_for(run, pages.sheet_of(run))
    initial = {f"word_{i}": suggested.get(w, "") for i, w in enumerate(words)}
    form = CategoriesForm(request.POST or None, words=words, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.map_run(run=run, by=request.user, categories=form.categories())
        return redirect("imports:preview", run_id=run.pk)
    status = 400 if request.method == "POST" else 200
    context = {"run": run, "form": form}
    return render(request, "imports/categories.html", context, status=status)


@login_required
def preview(request: HttpRequest, run_id: int) -> HttpResponse:
    """The dry run: what the import would do, and every row it would leave out and why."""
    run = _draft(request, run_id)
    if run is None:
        return redirect("imports:detail", run_id=run_id)
    try:
        checked = actions.check_file(
            organisation=run.organisation, content=pages.content_of(run), columns=run.columns,
            categories=run.categories,
        )  # fmt: skip
    except InputRejected:
        messages.error(request, _("Choose the columns for category, date and position."))
        return redirect("imports:columns", run_id=run.pk)
    context = {
        "run": run,
        "checked": checked,
        "sample": checked.sample(),
        "errors": checked.errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(checked.errors) - SHOWN_ERRORS),
    }
    return render(request, "imports/preview.html", context)


@login_required
@require_POST
def commit(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _draft(request, run_id)
    if run is not None:
        actions.start_import(run=run, by=request.user)
    return redirect("imports:detail", run_id=run_id)


@login_required
def detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.get_run_for(request.user, run_id)
    return render(
        request, "imports/detail.html", {"run": run, "progress": pages.progress_dict(run)}
    )


@login_required
def progress(request: HttpRequest, run_id: int) -> JsonResponse:
    run = access.get_run_for(request.user, run_id)
    return JsonResponse(pages.progress_dict(run))


def _exported(request: HttpRequest) -> list[dict] | JsonResponse:
    try:
        report_filter = parse_filter(request.GET, viewer=request.user, default_kind="incidents")
    except InputRejected as rejected:
        return JsonResponse({"errors": {e.field: e.message for e in rejected.errors}}, status=400)
    reports = exports.chosen_reports(listed_reports(request.user, report_filter))
    return exports.records(request.user, reports)


@login_required
def export_geojson(request: HttpRequest) -> HttpResponse:
    rows = _exported(request)
    if isinstance(rows, JsonResponse):
        return rows
    import json

    content = json.dumps(exports.geojson(rows), ensure_ascii=False).encode("utf-8")
    return attachment(content, GEOJSON, "rapporter.geojson")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    rows = _exported(request)
    if isinstance(rows, JsonResponse):
        return rows
    return attachment(exports.xlsx(rows), TABLE_TYPES["xlsx"], "rapporter.xlsx")
