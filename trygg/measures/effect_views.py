"""The effect of a measure: evaluate, save the evaluation, read the saved ones."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.downloads import GEOJSON
from trygg.geo.models import Area
from trygg.measures import access, effect, presence
from trygg.measures.actions import save_evaluation
from trygg.measures.models import Measure
from trygg.partners.models import Municipality, Organisation
from trygg.reports.pages import outlines
from trygg.situation import display
from trygg.situation.access import get_partnership_for, may_coordinate


def _evaluator_measure(request: HttpRequest, measure_id: int) -> Measure:
    measure = access.get_measure_for(request.user, measure_id)
    if not access.may_evaluate(request.user, measure):
        raise PermissionDenied
    return measure


def _context(measure: Measure, parameters: effect.Parameters) -> dict[str, Any]:
    context: dict[str, Any] = {
        "measure": measure,
        "parameters": parameters,
        "areas": Area.objects.filter(municipality_id=measure.municipality_id).exclude(
            pk=measure.area_id
        ),
    }
    try:
        result = effect.evaluate(measure, parameters, today=timezone.localdate())
    except effect.CannotEvaluate as refused:
        context["refusal"] = str(refused)
        return context
    results = result.as_json()
    context.update(results=results, shown=effect.presentation(results))
    return context


@login_required
def evaluate(request: HttpRequest, measure_id: int) -> HttpResponse:
    """Before and after, for the parameters in the query (defaults when none)."""
    measure = _evaluator_measure(request, measure_id)
    parameters = effect.parameters_from(request.GET)
    return render(request, "measures/effect.html", _context(measure, parameters))


@login_required
@require_POST
def save(request: HttpRequest, measure_id: int) -> HttpResponse:
    """Evaluate again with the posted parameters and keep the result as a dated snapshot."""
    measure = _evaluator_measure(request, measure_id)
    parameters = effect.parameters_from(request.POST)
    try:
        result = effect.evaluate(measure, parameters, today=timezone.localdate())
    except effect.CannotEvaluate as refused:
        messages.error(request, str(refused))
        return redirect("measures_effect:evaluate", measure_id=measure.pk)
    save_evaluation(measure=measure, by=request.user, effect=result)
    messages.success(request, _("The evaluation is saved with the measure."))
    return redirect("measures_effect:evaluations", measure_id=measure.pk)


@login_required
def evaluations(request: HttpRequest, measure_id: int) -> HttpResponse:
    """The saved evaluations of a measure, newest first."""
    measure = access.get_measure_for(request.user, measure_id)
    if not access.may_read_evaluations(request.user, measure):
        raise PermissionDenied
    saved = [
        {"evaluation": e, "shown": effect.presentation(e.results)}
        for e in effect.evaluations_of(measure)
    ]
    return render(
        request,
        "measures/effect_saved.html",
        {
            "measure": measure,
            "saved": saved,
            "may_evaluate": access.may_evaluate(request.user, measure),
        },
    )


# Planera närvaro (trygg.measures.presence).


def _presence_request(
    request: HttpRequest, code: str, data: Any
) -> tuple[Municipality, presence.Plan]:
    municipality = get_partnership_for(request.user, code)
    known = {c.code for group, children in display.category_choices() for c in (group, *children)}
    categories = tuple(c for c in data.getlist("category") if c in known)
    weeks = int(
        min(max(effect._number(data.get("weeks"), presence.DEFAULT_WEEKS), 1), presence.MAX_WEEKS)
    )
    found = presence.plan(
        municipality, categories=categories, weeks=weeks, today=timezone.localdate()
    )
    return municipality, found


@login_required
def presence_plan(request: HttpRequest, code: str) -> HttpResponse:
    """Ranked slots, places and areas, the map, and the check-ins that covered the slots."""
    municipality, found = _presence_request(request, code, request.GET)
    coordinates = may_coordinate(request.user, municipality)
    context = {
        "municipality": municipality,
        "plan": found,
        "slots": [(presence.slot_label(s), s) for s in found.slots],
        "category_choices": display.category_choices(),
        "query": request.GET.urlencode(),
        "outlines": outlines([municipality]),
        "may_create": coordinates,
        "kinds": [(k, Measure.Kind(k).label) for k in presence.PRESENCE_KINDS],
        "organisations": Organisation.objects.filter(municipality=municipality).order_by("name")
        if coordinates
        else [],
    }
    return render(request, "measures/presence.html", context)


@login_required
def presence_map(request: HttpRequest, code: str) -> HttpResponse:
    """The ranked places as GeoJSON cells, for the map."""
    _municipality, found = _presence_request(request, code, request.GET)
    return JsonResponse(found.geojson(), content_type=GEOJSON)


@login_required
@require_POST
def presence_create(request: HttpRequest, code: str) -> HttpResponse:
    """A coordinator turns the plan into a proposed presence measure."""
    municipality, found = _presence_request(request, code, request.POST)
    if not may_coordinate(request.user, municipality):
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    responsible = Organisation.objects.filter(
        municipality=municipality, pk=request.POST.get("responsible") or 0
    ).first()
    if kind not in presence.PRESENCE_KINDS or responsible is None:
        messages.error(request, _("Choose the kind of presence and who is responsible."))
    else:
        measure = presence.create_presence_measure(
            by=request.user,
            municipality=municipality,
            plan=found,
            kind=kind,
            responsible=responsible,
        )
        messages.success(
            request, _("The presence measure “%(title)s” is proposed.") % {"title": measure.title}
        )
    query = urlencode({"category": found.categories, "weeks": found.weeks}, doseq=True)
    return redirect(f"{reverse('measures_effect:presence', args=[municipality.code])}?{query}")
