"""The effect of a measure: evaluate, save the evaluation, read the saved ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.geo.models import Area
from trygg.measures import effect
from trygg.measures.models import Measure


def _evaluator_measure(request: HttpRequest, measure_id: int) -> Measure:
    measure = effect.get_measure_for(request.user, measure_id)
    if not effect.may_evaluate(request.user, measure):
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
    effect.save_evaluation(measure=measure, by=request.user, effect=result)
    messages.success(request, _("The evaluation is saved with the measure."))
    return redirect("measures_effect:evaluations", measure_id=measure.pk)


@login_required
def evaluations(request: HttpRequest, measure_id: int) -> HttpResponse:
    """The saved evaluations of a measure, newest first."""
    measure = effect.get_measure_for(request.user, measure_id)
    if not effect.may_read_evaluations(request.user, measure):
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
            "may_evaluate": effect.may_evaluate(request.user, measure),
        },
    )
