"""What a follow-up freezes: each activity's status and each indicator against its target.

An activity that is a measure takes the measure's status (and its traffic
light): the measure is followed up on the EST board, and the promise must
not say something else about the same work.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from trygg.measures.models import Measure
from trygg.promises import indicators
from trygg.promises.models import Activity, Promise
from trygg.situation.queries import Taxonomy

# A measure's status in an action plan's words.
FROM_MEASURE = {
    Measure.Status.PROPOSED: Activity.Status.PLANNED,
    Measure.Status.DECIDED: Activity.Status.PLANNED,
    Measure.Status.ONGOING: Activity.Status.ONGOING,
    Measure.Status.DONE: Activity.Status.DONE,
    Measure.Status.CANCELLED: Activity.Status.CANCELLED,
}


def activity_status(activity: Activity) -> str:
    """The activity's status: its measure's, when it is one."""
    if activity.measure is not None:
        return FROM_MEASURE[activity.measure.status]
    return activity.status


def activities_of(promise: Promise) -> list[Activity]:
    return list(
        Activity.objects.filter(commitment__promise=promise)
        .select_related("responsible", "measure", "initiative", "commitment")
        .order_by("commitment__position", "commitment_id", "position", "pk")
    )


def freeze(promise: Promise, today: date) -> dict[str, Any]:
    """The follow-up's snapshot: activities and indicators as they stand on `today`."""
    taxonomy = Taxonomy.load()
    return {
        "activities": [_activity(a) for a in activities_of(promise)],
        "indicators": [_indicator(i, today, taxonomy) for i in indicators_of(promise)],
    }


def indicators_of(promise: Promise) -> list[Any]:
    """The promise's indicators with what counting them reads, and the promise itself."""
    rows = list(promise.indicators.prefetch_related("categories", "areas", "values"))
    for row in rows:
        row.promise = promise  # each would otherwise read it again
    return rows


def _activity(activity: Activity) -> dict[str, Any]:
    measure = activity.measure
    return {
        "id": activity.pk,
        "commitment": activity.commitment_id,
        "what": activity.what,
        "responsible": activity.responsible.name,
        "status": activity_status(activity),
        "measure": (
            None
            if measure is None
            else {"id": measure.pk, "status": measure.status, "light": measure.light}
        ),
    }


def _indicator(indicator: Any, today: date, taxonomy: Taxonomy) -> dict[str, Any]:
    standing = indicators.standing(indicator, today, taxonomy)
    latest = standing.latest
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "baseline_year": indicator.baseline_year,
        "baseline": _number(standing.baseline),
        "target": _number(standing.target),
        "latest": None
        if latest is None
        else {"period": latest.period, "value": _number(latest.value)},
        "light": standing.light,
        "series": [[p.period, _number(p.value), p.complete] for p in standing.series],
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
