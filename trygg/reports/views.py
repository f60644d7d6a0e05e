"""Report pages: parse, call access and actions, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.errors import InputRejected
from trygg.partners.access import municipalities_for
from trygg.reports import access, pages
from trygg.reports.actions import (
    HandlingRefused,
    comment_on_report,
    correct_report,
    handle_report,
    link_to_measure,
    set_report_digest,
    submit_all_calm,
    submit_report,
)
from trygg.reports.filters import ReportFilter, parse_filter
from trygg.reports.forms import CheckInForm, CorrectionForm, ReportForm, category_groups
from trygg.reports.models import Report

PAGE_SIZE = 50
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
PHOTO_POLICY = "default-src 'none'; sandbox"


def _form_page(request: HttpRequest, form: ReportForm, organisations: list[Any]) -> HttpResponse:
    context = {
        "form": form,
        "checkin": CheckInForm(organisations=organisations, prefix="checkin"),
        "groups": category_groups(),
        "more_open": form.shows_more(),
        "outlines": pages.outlines({o.municipality for o in organisations}),
        "org_municipalities": {o.pk: o.municipality_id for o in organisations},
        "no_organisation": not organisations,
    }
    return render(request, "reports/new.html", context)


@login_required
def new_report(request: HttpRequest) -> HttpResponse:
    organisations = access.reporting_organisations(request.user)
    form = ReportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = access.reporting_organisation_for(request.user, form.organisation_id())
            report, _created = submit_report(
                organisation=organisation,
                by=request.user,
                data=form.report_data(),
                source=Report.Source.WEB,
                photo=form.cleaned_data["photo"],
            )
        except InputRejected as rejected:
            form.add_rejection(rejected)
        else:
            messages.success(request, _("Thank you – the report is saved."))
            return redirect("reports:detail", report_id=report.pk)
    return _form_page(request, form, organisations)


@login_required
def place_lookup(request: HttpRequest) -> JsonResponse:
    """The area a tapped point falls in, so the form can name it before sending."""
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return JsonResponse({"errors": {"position": _("Give lat and lon in degrees.")}}, status=400)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return JsonResponse({"errors": {"position": _("Out of range.")}}, status=400)
    place = pages.place_at(request.user, lat, lon)
    return JsonResponse({"area": place.area, "inside": place.inside})


@login_required
@require_POST
def all_calm(request: HttpRequest) -> HttpResponse:
    organisations = access.reporting_organisations(request.user)
    form = CheckInForm(request.POST, organisations=organisations, prefix="checkin")
    try:
        if not form.is_valid():
            raise InputRejected([])
        organisation = access.reporting_organisation_for(request.user, form.organisation_id())
        report, _created = submit_all_calm(
            organisation=organisation, by=request.user, client_id=form.cleaned_data["client_id"]
        )
    except InputRejected as rejected:
        problems = [e.message for e in rejected.errors] or [_("Choose an organisation.")]
        messages.error(request, " ".join(problems))
        return redirect("reports:new")
    messages.success(request, _("Thank you – noted as all calm."))
    return redirect("reports:detail", report_id=report.pk)


def _filter_from(request: HttpRequest) -> tuple[ReportFilter | None, dict[str, str]]:
    """The parsed filter, or None and the error per field."""
    try:
        # The pages show incidents unless asked for check-ins; the list says how many it left out.
        return parse_filter(request.GET, viewer=request.user, default_kind="incidents"), {}
    except InputRejected as rejected:
        return None, {e.field: e.message for e in rejected.errors}


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    report_filter, errors = _filter_from(request)
    reports = (
        pages.listed_reports(request.user, report_filter)
        if report_filter
        else Report.objects.none()
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "report_filter": report_filter,
        "checkins": pages.checkins_left_out(request.user, report_filter),
        "rows": pages.list_rows(request.user, page.object_list),
        "errors": errors,
        "choices": pages.filter_choices(request.user),
        "chosen": request.GET,
        "outlines": pages.outlines(municipalities_for(request.user)),
        "map_limit": pages.MAP_LIMIT,
    }
    return render(request, "reports/list.html", context, status=400 if errors else 200)


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    """The list's map data: the view's points or cell counts (with zoom), else capped points."""
    report_filter, errors = _filter_from(request)
    if report_filter is None:
        return JsonResponse({"errors": errors}, status=400)
    try:
        zoom = pages.parse_zoom(request.GET.get("zoom"))
        data = (
            pages.map_features(request.user, report_filter)
            if zoom is None
            else pages.map_view(request.user, report_filter, zoom)
        )
    except InputRejected as rejected:
        return JsonResponse({"errors": {e.field: e.message for e in rejected.errors}}, status=400)
    return JsonResponse(data, content_type="application/geo+json")


@login_required
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    report = access.get_report_for(request.user, report_id)
    [details] = access.record_details_shown(request.user, [report])
    # The point is no secret from anyone who may see the report: the list's map
    # data shows it to them too (access.py hides free text, not places).
    point = {"lat": report.lat, "lon": report.lon, "label": report.category.name}
    context = {
        "report": report,
        "details": details,
        "point": point,
        "handling": pages.handling_of(request.user, report),
        "statuses": Report.Status,
        "edit_hours": settings.REPORT_EDIT_HOURS,
        "correct_url": reverse("reports:correct", args=[report.pk]),
    }
    return render(request, "reports/detail.html", context)


def _report_if(may: Callable[[Any, Report], bool], request: HttpRequest, report_id: str) -> Report:
    """The report, if `may` lets the person act on it (404 if not visible, 403 if not allowed)."""
    report = access.get_report_for(request.user, report_id)
    if not may(request.user, report):
        raise PermissionDenied
    return report


def _done(request: HttpRequest, report: Report, change: Any, success: str) -> HttpResponse:
    """Run `change`; say how it went on the report's page, where the person came from."""
    try:
        change()
    except (HandlingRefused, InputRejected) as refused:
        errors = getattr(refused, "errors", None)
        messages.error(
            request, " ".join(str(e.message) for e in errors) if errors else str(refused)
        )
    else:
        messages.success(request, success)
    return redirect("reports:detail", report_id=report.pk)


@login_required
@require_POST
def change_status(request: HttpRequest, report_id: str) -> HttpResponse:
    """A coordinator reviews, closes or (un)flags; the reporter withdraws his own."""
    report = _report_if(access.may_change, request, report_id)
    flagged = {"yes": True, "no": False}.get(request.POST.get("flagged", ""))

    def change() -> None:
        handle_report(
            report=report, by=request.user, status=request.POST.get("status") or None,
            flagged=flagged, comment=request.POST.get("comment", ""),
        )  # fmt: skip

    return _done(request, report, change, _("Saved."))


@login_required
@require_POST
def add_comment(request: HttpRequest, report_id: str) -> HttpResponse:
    report = _report_if(access.handles, request, report_id)
    text, internal = request.POST.get("text", ""), request.POST.get("internal") == "on"

    def change() -> None:
        comment_on_report(report=report, by=request.user, text=text, internal=internal)

    return _done(request, report, change, _("Saved."))


@login_required
@require_POST
def link_measure(request: HttpRequest, report_id: str) -> HttpResponse:
    report = _report_if(access.handles, request, report_id)
    chosen = request.POST.get("measure", "")
    measure = (
        access.linkable_measures(request.user, report).filter(pk=chosen).first()
        if chosen.isdigit() and len(chosen) < 10
        else None
    )

    def change() -> None:
        if measure is None:
            raise HandlingRefused(_("Choose an open measure of the municipality."), "measure")
        link_to_measure(report=report, by=request.user, measure=measure)

    return _done(request, report, change, _("The report is linked to the measure."))


@login_required
def report_photo(request: HttpRequest, report_id: str) -> FileResponse:
    """The photo, only to those who may see the report's details; never a public URL."""
    report = access.get_report_for(request.user, report_id)
    extension = report.photo.name.rsplit(".", 1)[-1].lower() if report.photo else ""
    if extension not in PHOTO_TYPES or not access.record_details_shown(request.user, [report])[0]:
        raise Http404("No photo")
    response = FileResponse(report.photo.open("rb"), content_type=PHOTO_TYPES[extension])
    # No file name: the uploader's name is never echoed back (the stored one is ours).
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the photo is a sandboxed document that may load and run nothing.
    response["Content-Security-Policy"] = PHOTO_POLICY
    # Personal-ish data: kept by no cache, not even the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def correct(request: HttpRequest, report_id: str) -> HttpResponse:
    """The reporter corrects his own report within the edit window; the earlier version is kept."""
    report = _report_if(access.owns, request, report_id)
    if not access.may_amend(request.user, report, timezone.now()):
        messages.error(request, _("The report can no longer be changed."))
        return redirect("reports:detail", report_id=report.pk)
    form = CorrectionForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            correct_report(report=report, by=request.user, data=form.report_data())
        except InputRejected as rejected:
            form.add_rejection(rejected)
        except HandlingRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The report is corrected; the earlier version is kept."))
            return redirect("reports:detail", report_id=report.pk)
    return render(request, "reports/correct.html", {"form": form, "report": report})


@login_required
def digest(request: HttpRequest) -> HttpResponse:
    """Each of the person's organisations opts in to (or out of) the weekly digest of measures."""
    choices = access.digest_choices(request.user)
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        organisation = next((o for o, _on in choices if str(o.pk) == chosen), None)
        if organisation is None:
            raise Http404("No such organisation")
        on = request.POST.get("on") == "yes"
        set_report_digest(organisation=organisation, by=request.user, on=on)
        messages.success(request, _("Saved."))
        return redirect("reports:digest")
    return render(request, "reports/digest.html", {"choices": choices})
