"""A promise as plain JSON (its snapshot), and what changed between two snapshots.

A PromiseVersion keeps the snapshot of each revision, so an earlier version
reads the same whatever happened to the promise since: names are copied in,
not looked up. `diff` lists what changed part by part (the promise itself,
focus areas, commitments, activities, indicators, signatories), each part
known by its id so an edited commitment is "changed", not "removed and added".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from trygg.promises.models import Promise

PROMISE_FIELDS = (
    "title", "start_year", "end_year", "situation", "situation_sources", "status",
    "follow_up_months",
)  # fmt: skip
FOCUS_AREA_FIELDS = ("title", "description")
COMMITMENT_FIELDS = ("focus_area", "owner", "text")
ACTIVITY_FIELDS = (
    "commitment", "what", "responsible", "responsible_person", "when", "status", "measure",
    "initiative",
)  # fmt: skip
INDICATOR_FIELDS = (
    "focus_area", "name", "goal", "unit", "kind", "every", "categories", "areas", "hour_from",
    "hour_to", "source", "baseline_year", "baseline_value", "target_value", "direction",
)  # fmt: skip
SIGNATORY_FIELDS = ("name", "role", "organisation", "signed_on")
# The parts of a snapshot compared by id, in the order a reader meets them.
PARTS = ("focus_areas", "commitments", "activities", "indicators", "signatories")
LABEL_OF = {
    "focus_areas": "title",
    "commitments": "text",
    "activities": "what",
    "indicators": "name",
    "signatories": "name",
}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def snapshot(promise: Promise) -> dict[str, Any]:
    """The promise and its action plan as they stand, as JSON-ready values."""
    promise = Promise.objects.get(pk=promise.pk)
    return {
        "promise": {f: getattr(promise, f) for f in PROMISE_FIELDS},
        "focus_areas": [
            {"id": a.pk, "title": a.title, "description": a.description}
            for a in promise.focus_areas.all()
        ],
        "commitments": [
            {"id": c.pk, "focus_area": c.focus_area_id, "owner": c.owner, "text": c.text}
            for c in promise.commitments.all()
        ],
        "activities": _activities(promise),
        "indicators": _indicators(promise),
        "signatories": [
            {
                "id": s.pk,
                "name": s.name,
                "role": s.role,
                "organisation": s.organisation.name if s.organisation else "",
                "signed_on": s.signed_on.isoformat() if s.signed_on else None,
            }
            for s in promise.signatories.select_related("organisation")
        ],
    }


def _activities(promise: Promise) -> list[dict[str, Any]]:
    from trygg.promises.models import Activity

    rows = Activity.objects.filter(commitment__promise=promise).select_related(
        "responsible", "initiative"
    )
    return [
        {
            "id": a.pk,
            "commitment": a.commitment_id,
            "what": a.what,
            "responsible": a.responsible.name,
            "responsible_person": a.responsible_person,
            "when": a.when,
            "status": a.status,
            "measure": a.measure_id,
            "initiative": a.initiative.name if a.initiative else "",
        }
        for a in rows.order_by("commitment__position", "commitment_id", "position", "pk")
    ]


def _indicators(promise: Promise) -> list[dict[str, Any]]:
    rows = promise.indicators.prefetch_related("categories", "areas")
    return [
        {
            "id": i.pk,
            "focus_area": i.focus_area_id,
            "name": i.name,
            "goal": i.goal,
            "unit": i.unit,
            "kind": i.kind,
            "every": i.every,
            "categories": sorted(c.code for c in i.categories.all()),
            "areas": sorted(a.name for a in i.areas.all()),
            "hour_from": i.hour_from,
            "hour_to": i.hour_to,
            "source": i.source,
            "baseline_year": i.baseline_year,
            "baseline_value": _number(i.baseline_value),
            "target_value": _number(i.target_value),
            "direction": i.direction,
        }
        for i in rows
    ]


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed from `before` to `after`: one entry per added, removed or changed part.

    Each entry: {"part", "id", "label", "change": added|removed|changed,
    "fields": [[field, old, new], …]}. No `before` (the first version): nothing changed.
    """
    if before is None:
        return []
    changes = []
    fields = _changed_fields(before["promise"], after["promise"], PROMISE_FIELDS)
    if fields:
        label = after["promise"]["title"]
        changes.append(_entry("promise", None, label, "changed", fields))
    for part in PARTS:
        changes += _part_changes(part, before.get(part, []), after.get(part, []))
    return changes


def _part_changes(
    part: str, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    old = {row["id"]: row for row in before}
    new = {row["id"]: row for row in after}
    label = LABEL_OF[part]
    out = []
    for row in after:
        if row["id"] not in old:
            out.append(_entry(part, row["id"], row[label], "added", []))
            continue
        keys = tuple(k for k in row if k != "id")
        fields = _changed_fields(old[row["id"]], row, keys)
        if fields:
            out.append(_entry(part, row["id"], row[label], "changed", fields))
    out += [
        _entry(part, row["id"], row[label], "removed", []) for row in before if row["id"] not in new
    ]
    return out


def _changed_fields(old: dict[str, Any], new: dict[str, Any], keys: tuple[str, ...]) -> list:
    return [[k, old.get(k), new.get(k)] for k in keys if old.get(k) != new.get(k)]


def _entry(part: str, id_: int | None, label: str, change: str, fields: list) -> dict[str, Any]:
    return {"part": part, "id": id_, "label": str(label)[:200], "change": change, "fields": fields}
