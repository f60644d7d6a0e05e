"""Lägesbild pages and their JSON twins: parse the selection, call the read models, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.errors import InputRejected
from trygg.partners.access import municipalities_for
from trygg.partners.models import Municipality
from trygg.reports.pages import outlines
from trygg.situation import display, wording
from trygg.situation.access import get_partnership_for, may_coordinate, publication_of
from trygg.situation.actions import save_assessment
from trygg.situation.cache import picture_for
from trygg.situation.forms import AssessmentForm, Selection, parse_selection
from trygg.situation.pages import density_features, hotspot_features, picture_dict
from trygg.situation.picture import Picture
from trygg.situation.profile import build_profile, get_area_for

GEOJSON = "application/geo+json"


def _selection(
    request: HttpRequest, municipality: Municipality
) -> tuple[Selection | None, dict[str, str]]:
    """The parsed selection, or None and the error per control (period or category)."""
    try:
        return parse_selection(municipality, request.GET), {}
    except InputRejected as rejected:
        return None, {e.field: e.message for e in rejected.errors}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Straight to the user's partnership; a choice when they belong to several."""
    municipalities = municipalities_for(request.user)
    if not municipalities:
        raise Http404("No partnership")
    if len(municipalities) == 1:
        return redirect("situation:page", code=municipalities[0].code)
    return render(request, "situation/choose.html", {"municipalities": municipalities})


@login_required
def method(request: HttpRequest) -> HttpResponse:
    """How the marks, hot spots and density are decided: for any partnership member."""
    if not municipalities_for(request.user):
        raise Http404("No partnership")
    return render(request, "situation/method.html", {"marks": wording.KINDS})


def _controls(
    request: HttpRequest, municipality: Municipality, selection: Selection | None
) -> dict[str, Any]:
    """What the period picker and the category filter need, with or without a picture."""
    return {
        "municipality": municipality,
        "categories": display.category_choices(),
        "chosen": request.GET,
        "picker": display.picker(selection, request.GET, timezone.localdate()),
    }


def _picture_context(
    request: HttpRequest, municipality: Municipality, picture: Picture, selection: Selection
) -> dict[str, Any]:
    text = display.assessment_text(municipality, selection.period)
    groups = display.active_groups(picture)
    trend_groups, trend = display.trend_rows(picture.groups, picture.trend_weeks, picture.trend)
    coordinating = may_coordinate(request.user, municipality)
    return {
        "picture": picture,
        "selection": selection,
        "query": display.selection_query(selection),
        "nav": display.period_nav(selection, timezone.localdate()),
        "groups": groups,
        "quiet_groups": [g for g in picture.groups if g not in groups],
        "rows": display.area_rows(picture.areas, groups),
        "heat": display.heat_rows(picture.time_of_week),
        "trend_groups": trend_groups,
        "trend": trend,
        "assessment": text,
        "may_coordinate": coordinating,
        "publication": publication_of(municipality, selection.period.key),
        "form": _assessment_form(selection, text) if coordinating else None,
        "points_query": display.points_query(picture),
        "outlines": outlines([municipality]),
        "map_labels": display.map_labels(),
    }


def _assessment_form(selection: Selection, text: str) -> AssessmentForm:
    return AssessmentForm(initial={"period": selection.period.key, "text": text})


@login_required
def situation_page(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_partnership_for(request.user, code)
    selection, errors = _selection(request, municipality)
    context = _controls(request, municipality, selection) | {"errors": errors}
    if selection is not None:
        picture = picture_for(municipality, selection.period, selection.categories)
        context |= _picture_context(request, municipality, picture, selection)
    return render(request, "situation/page.html", context, status=400 if errors else 200)


def _json_view(
    shape: Callable[[Picture, Municipality], dict[str, Any]], content_type: str
) -> Callable[[HttpRequest, str], JsonResponse]:
    """A session-authenticated JSON rendering of the picture the page shows."""

    @login_required
    def view(request: HttpRequest, code: str) -> JsonResponse:
        municipality = get_partnership_for(request.user, code)
        selection, errors = _selection(request, municipality)
        if selection is None:
            return JsonResponse({"errors": errors}, status=400)
        picture = picture_for(municipality, selection.period, selection.categories)
        return JsonResponse(shape(picture, municipality), content_type=content_type)

    return view


def _with_assessment(picture: Picture, municipality: Municipality) -> dict[str, Any]:
    return picture_dict(picture, assessment=display.assessment_text(municipality, picture.period))


data = _json_view(_with_assessment, "application/json")
area_layer = _json_view(display.area_features, GEOJSON)
hotspot_layer = _json_view(lambda picture, _m: hotspot_features(picture), GEOJSON)
density_layer = _json_view(lambda picture, _m: density_features(picture), GEOJSON)


@login_required
@require_POST
def assessment(request: HttpRequest, code: str) -> HttpResponse:
    """Save the coordinator's assessment of the period in the form; others get 403."""
    municipality = get_partnership_for(request.user, code)
    if not may_coordinate(request.user, municipality):
        raise PermissionDenied
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("situation:page", code=municipality.code)
    period = form.cleaned_data["period"]
    save_assessment(
        municipality=municipality, period=period, by=request.user, text=form.cleaned_data["text"]
    )
    messages.success(request, _("The assessment is saved."))
    query = {"period": period.key, "category": request.POST.get("category", "")}
    page = reverse("situation:page", args=[municipality.code])
    return redirect(f"{page}?{urlencode({k: v for k, v in query.items() if v})}")


@login_required
def area_profile(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_area_for(request.user, area_id)
    selection, errors = _selection(request, area.municipality)
    context = _controls(request, area.municipality, selection) | {"errors": errors, "area": area}
    if selection is not None:
        profile = build_profile(request.user, area, selection)
        context |= _profile_context(profile, selection)
    return render(request, "situation/area.html", context, status=400 if errors else 200)


def _profile_context(profile: Any, selection: Selection) -> dict[str, Any]:
    picture = profile.picture
    groups = [g for g in picture.groups if g.code in profile.line.cells]
    trend_groups, trend = display.trend_rows(picture.groups, profile.trend_weeks, profile.trend)
    return {
        "profile": profile,
        "picture": picture,
        "selection": selection,
        "query": display.selection_query(selection),
        "nav": display.period_nav(selection, timezone.localdate()),
        "lines": [(g, profile.line.cells[g.code]) for g in groups],
        "heat": display.heat_rows(profile.time_of_week),
        "strips": display.trend_strips(picture.groups, profile.trend_weeks, profile.trend),
        "trend_groups": trend_groups,
        "trend": trend,
        "map_data": display.area_map(profile.area, replace(picture, hotspots=profile.hotspots)),
        "map_labels": display.map_labels(),
    }
