"""Read models of the coordinator's promise pages: plain values for the templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from trygg.promises import followup, indicators
from trygg.promises.access import visible_promises
from trygg.promises.models import (
    Activity,
    Commitment,
    FocusArea,
    Indicator,
    Promise,
    PromiseVersion,
    Signatory,
)
from trygg.situation.queries import Taxonomy

PART_MODELS: dict[str, type[Model]] = {
    "promise": Promise,
    "focus_areas": FocusArea,
    "commitments": Commitment,
    "activities": Activity,
    "indicators": Indicator,
    "signatories": Signatory,
}
# The parts a coordinator may remove, by the name the URL carries.
REMOVABLE = {
    "fokusomrade": FocusArea,
    "atagande": Commitment,
    "aktivitet": Activity,
    "indikator": Indicator,
    "undertecknare": Signatory,
}


def promises_of(user: Any, municipality: Any) -> list[Promise]:
    return list(visible_promises(user).filter(municipality=municipality))


@dataclass
class ActivityRow:
    activity: Activity
    status: str
    status_label: str


@dataclass
class IndicatorRow:
    indicator: Indicator
    standing: indicators.Standing
    light_label: str


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def next_follow_up(promise: Promise) -> date | None:
    """When the next follow-up is due: the interval after the last one, or after publishing."""
    if promise.status != Promise.Status.PUBLISHED or promise.published_at is None:
        return None
    last = promise.follow_ups.order_by("-made_on").values_list("made_on", flat=True).first()
    return _months_after(last or promise.published_at.date(), promise.follow_up_months)


def detail(promise: Promise, today: date) -> dict[str, Any]:
    """The promise with its commitments and their activities, indicators where they stand."""
    activities: dict[int, list[ActivityRow]] = {}
    labels = dict(Activity.Status.choices)
    for activity in followup.activities_of(promise):
        status = followup.activity_status(activity)
        row = ActivityRow(activity, status, str(labels[status]))
        activities.setdefault(activity.commitment_id, []).append(row)
    commitments = [
        (c, activities.get(c.pk, [])) for c in promise.commitments.select_related("focus_area")
    ]
    taxonomy = Taxonomy.load()
    rows = []
    for indicator in followup.indicators_of(promise):
        standing = indicators.standing(indicator, today, taxonomy)
        rows.append(IndicatorRow(indicator, standing, str(indicators.LIGHTS[standing.light])))
    return {
        "focus_areas": list(promise.focus_areas.all()),
        "commitments": commitments,
        "indicators": rows,
        "signatories": list(promise.signatories.select_related("organisation")),
        "follow_ups": list(promise.follow_ups.all()),
        "versions": promise.versions.count(),
        "next_follow_up": next_follow_up(promise),
    }


def _field_label(part: str, field: str) -> str:
    try:
        return str(PART_MODELS[part]._meta.get_field(field).verbose_name)
    except Exception:  # a field the snapshot names but the model no longer has
        return field


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def change_lines(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A version's changes in words: which part, added, removed or changed, and how."""
    words = {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed")}
    parts = {
        "promise": _("The promise"),
        "focus_areas": _("Focus area"),
        "commitments": _("Commitment"),
        "activities": _("Activity"),
        "indicators": _("Indicator"),
        "signatories": _("Signatory"),
    }
    return [
        {
            "change": change["change"],
            "what": f"{words[change['change']]}: {parts[change['part']]}",
            "label": change["label"],
            "fields": [
                (_field_label(change["part"], f), _shown(old), _shown(new))
                for f, old, new in change["fields"]
            ],
        }
        for change in changes
    ]


def versions_of(promise: Promise) -> list[dict[str, Any]]:
    return [
        {"version": v, "lines": change_lines(v.changes)}
        for v in promise.versions.select_related("by")
    ]


def version_view(version: PromiseVersion) -> dict[str, Any]:
    """A snapshot laid out like the promise: commitments with their activities."""
    snap = version.snapshot
    activities: dict[int, list[dict[str, Any]]] = {}
    for row in snap["activities"]:
        activities.setdefault(row["commitment"], []).append(row)
    owners = dict(Commitment._meta.get_field("owner").choices or [])
    statuses = dict(Activity.Status.choices)
    return {
        "then": snap["promise"],
        "focus_areas": snap["focus_areas"],
        "commitments": [
            {
                **c,
                "owner_label": owners.get(c["owner"], c["owner"]),
                "activities": [
                    {**a, "status_label": statuses.get(a["status"], a["status"])}
                    for a in activities.get(c["id"], [])
                ],
            }
            for c in snap["commitments"]
        ],
        "indicators": snap["indicators"],
        "signatories": snap["signatories"],
        "lines": change_lines(version.changes),
    }


def follow_up_view(snapshot: dict[str, Any]) -> dict[str, Any]:
    statuses = dict(Activity.Status.choices)
    return {
        "activities": [
            {**a, "status_label": statuses.get(a["status"], a["status"])}
            for a in snapshot["activities"]
        ],
        "indicators": [
            {**i, "light_label": indicators.LIGHTS.get(i["light"], i["light"])}
            for i in snapshot["indicators"]
        ],
    }
