"""The lägesbild and area profile pages, their JSON twin and map layers, the assessment."""

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

from trygg.core.downloads import GEOJSON
from trygg.geo.access import get_area_for
from trygg.measures.pages import area_measures, presence_url, slot_for
from trygg.partners.access import municipalities_for
from trygg.partners.models import Municipality
from trygg.policeevents import pages as police
from trygg.reports.pages import outlines
from trygg.situation import display, wording
from trygg.situation.access import (
    assessment_text,
    get_partnership_for,
    may_coordinate,
    publication_of,
)
from trygg.situation.actions import save_assessment
from trygg.situation.forms import AssessmentForm, Selection
from trygg.situation.pages import density_features, hotspot_features, picture_dict
from trygg.situation.picture import Picture
from trygg.situation.profile import build_profile
from trygg.situation.views.asked import Asked, ask, ask_about


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


@login_required
def situation_page(request: HttpRequest, code: str) -> HttpResponse:
    asked = ask(request, code)
    context = _controls(request, asked)
    if asked.selection is not None:
        context |= _picture_context(request, asked.municipality, asked.picture, asked.selection)
    return render(request, "situation/page.html", context, status=400 if asked.errors else 200)


@login_required
def area_profile(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_area_for(request.user, area_id)
    asked = ask_about(request, area.municipality)
    context = _controls(request, asked) | {"area": area}
    if asked.selection is not None:
        profile = build_profile(request.user, area, asked.selection)
        context |= _profile_context(profile, asked.selection)
        context["measures"] = area_measures(request.user, area, timezone.localdate())
    return render(request, "situation/area.html", context, status=400 if asked.errors else 200)


@login_required
def data(request: HttpRequest, code: str) -> JsonResponse:
    """The page's picture as JSON, with the coordinators' assessment."""
    asked = ask(request, code)
    if asked.errors:
        return asked.refused_json()
    text = assessment_text(asked.municipality, asked.picture.period)
    measures = slot_for(asked.municipality, request.user, timezone.localdate())
    police_events = police.slot_for(asked.municipality, asked.picture.period)
    data = picture_dict(
        asked.picture, assessment=text, measures=measures, police_events=police_events
    )
    return JsonResponse(data)


# The map's layers by the name their URL ends with, each a GeoJSON collection.
MAP_LAYERS: dict[str, Callable[[Picture, Municipality], dict[str, Any]]] = {
    "omraden": display.area_features,  # every area with its numbers and mark
    "hotspots": lambda picture, _m: hotspot_features(picture),  # significant Gi* cells
    "densitet": lambda picture, _m: density_features(picture),
}


@login_required
def map_layer(request: HttpRequest, code: str, layer: str) -> JsonResponse:
    """One layer of the page's map (see MAP_LAYERS), for the page's query."""
    if layer not in MAP_LAYERS:
        raise Http404("No such layer")
    asked = ask(request, code)
    if asked.errors:
        return asked.refused_json()
    features = MAP_LAYERS[layer](asked.picture, asked.municipality)
    return JsonResponse(features, content_type=GEOJSON)


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


def _controls(request: HttpRequest, asked: Asked) -> dict[str, Any]:
    """What the period picker and the category filter need, with or without a picture."""
    return {
        "municipality": asked.municipality,
        "categories": display.category_choices(),
        "chosen": request.GET,
        "picker": display.picker(asked.selection, request.GET, timezone.localdate()),
        "errors": asked.errors,
    }


def _around(
    picture: Picture, selection: Selection, weeks: list[str], trend: dict[str, list[int]], tow: Any
) -> dict[str, Any]:
    """What the page and the profile both show around their numbers: period, heat, trend."""
    trend_groups, trend_rows = display.trend_rows(picture.groups, weeks, trend)
    return {
        "picture": picture,
        "selection": selection,
        "query": display.selection_query(selection),
        "nav": display.period_nav(selection, timezone.localdate()),
        "heat": display.heat_rows(tow),
        "trend_groups": trend_groups,
        "trend": trend_rows,
        "map_labels": display.map_labels(),
    }


def _picture_context(
    request: HttpRequest, municipality: Municipality, picture: Picture, selection: Selection
) -> dict[str, Any]:
    text = assessment_text(municipality, selection.period)
    groups = display.active_groups(picture)
    coordinating = may_coordinate(request.user, municipality)
    around = _around(picture, selection, picture.trend_weeks, picture.trend, picture.time_of_week)
    return around | {
        "groups": groups,
        "quiet_groups": [g for g in picture.groups if g not in groups],
        "rows": display.area_rows(picture.areas, groups),
        "assessment": text,
        "may_coordinate": coordinating,
        "publication": publication_of(municipality, selection.period.key),
        "form": _assessment_form(selection, text) if coordinating else None,
        "points_query": display.points_query(picture),
        "outlines": outlines([municipality]),
        "measures": slot_for(municipality, request.user, timezone.localdate()),
        "presence_url": presence_url(request.user, municipality),
        "police_events": police.slot_for(municipality, selection.period),
    }


def _assessment_form(selection: Selection, text: str) -> AssessmentForm:
    return AssessmentForm(initial={"period": selection.period.key, "text": text})


def _profile_context(profile: Any, selection: Selection) -> dict[str, Any]:
    picture = profile.picture
    groups = [g for g in picture.groups if g.code in profile.line.cells]
    around = _around(picture, selection, profile.trend_weeks, profile.trend, profile.time_of_week)
    return around | {
        "profile": profile,
        "lines": [(g, profile.line.cells[g.code]) for g in groups],
        "strips": display.trend_strips(picture.groups, profile.trend_weeks, profile.trend),
        "map_data": display.area_map(profile.area, replace(picture, hotspots=profile.hotspots)),
    }
