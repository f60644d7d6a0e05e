"""Writes of measures: every change is one named action with its history entry, in one transaction.

The history (MeasureEvent) is how a follow-up shows what happened to a
measure; an action that changed a field without writing it would make the
follow-up lie, so no view or importer saves a Measure itself.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.measures import polygon as polygons
from trygg.measures.models import Evaluation, Measure, MeasureEvent
from trygg.meetings.models import Meeting
from trygg.partners.models import Municipality, Organisation
from trygg.reports.access import visible_reports
from trygg.reports.models import Category

if TYPE_CHECKING:
    from trygg.measures.effect import Effect


class MeasureRefused(ValueError):
    """A change the rules do not allow; the message says why, for the person who tried."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.field = field


# Fields a person edits directly; status and traffic light have their own actions.
EDITABLE = (
    "title", "description", "cause", "kind", "goal", "area", "cells", "responsible",
    "responsible_person", "starts_on", "deadline", "follow_up_on", "ordinary_work",
    "cost_sek", "outcome", "internal_notes",
)  # fmt: skip
# What a measure is linked to, edited as whole sets beside the fields.
LINKS = ("categories", "partners", "reports")
EDITABLE += ("treated_polygon",)
# What the history keeps of a changed polygon: that it was drawn, never its coordinates.
DRAWN = "drawn"


@transaction.atomic
def create_measure(
    *,
    by: Any,
    municipality: Municipality,
    title: str,
    kind: str,
    responsible: Organisation,
    meeting: Meeting | None = None,
    status: str = Measure.Status.PROPOSED,
    categories: Any = (),
    reports: Any = (),
    partners: Any = (),
    planned_slots: Any = (),
    **fields: Any,
) -> Measure:
    """A new measure, proposed or (by a meeting) decided, with its first history entry."""
    if responsible.municipality_id != municipality.pk:
        raise MeasureRefused(_("The responsible organisation is not in this municipality."),
                             "responsible")  # fmt: skip
    if status not in (Measure.Status.PROPOSED, Measure.Status.DECIDED):
        raise MeasureRefused(_("A new measure is proposed or decided."), "status")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    _check_dates(fields.get("starts_on"), fields.get("deadline"))
    if fields.get("treated_polygon") is not None:
        fields["treated_polygon"] = _checked_polygon(fields["treated_polygon"], municipality)
    measure = Measure.objects.create(
        municipality=municipality, title=title, kind=kind, responsible=responsible,
        meeting=meeting, status=status, planned_slots=list(planned_slots), **fields,
    )  # fmt: skip
    measure.categories.set(categories)
    measure.reports.set(reports)
    measure.partners.set(partners)
    MeasureEvent.objects.create(measure=measure, actor=_actor(by), field="created", new=status)
    if measure.treated_polygon is not None:
        MeasureEvent.objects.create(measure=measure, actor=_actor(by), field="treated_polygon",
                                    new=DRAWN)  # fmt: skip
    return measure


def _save_change(measure: Measure, by: Any, fields: list[str], **event: str) -> None:
    """Save the changed `fields` (the first names the event) and record who changed it."""
    measure.updated_at = timezone.now()
    measure.save(update_fields=[*fields, "updated_at"])
    MeasureEvent.objects.create(measure=measure, actor=_actor(by), field=fields[0], **event)


@transaction.atomic
def change_status(*, measure: Measure, by: Any, to: str, comment: str = "") -> Measure:
    """Move a measure along proposed → decided → ongoing → done, or cancel it with a reason."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if not measure.can_move_to(to):
        raise MeasureRefused(
            _("A measure that is %(now)s cannot become %(to)s.")
            % {"now": measure.get_status_display(), "to": Measure.Status(to).label},
            "status",
        )
    if to == Measure.Status.CANCELLED and not comment.strip():
        raise MeasureRefused(_("Say why the measure is cancelled."), "comment")
    old = measure.status
    measure.status = to
    if to == Measure.Status.CANCELLED:
        measure.cancel_reason = comment.strip()[:300]
    _save_change(measure, by, ["status", "cancel_reason"], old=old, new=to, comment=comment)
    return measure


@transaction.atomic
def set_light(*, measure: Measure, by: Any, light: str, comment: str) -> Measure:
    """The owner's traffic light (green, yellow, red) with the comment that explains it."""
    if light not in Measure.Light.values:
        raise MeasureRefused(_("Choose green, yellow or red."), "light")
    if light != Measure.Light.GREEN and not comment.strip():
        raise MeasureRefused(_("Say what is behind a yellow or red light."), "comment")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    old = measure.light
    measure.light, measure.light_comment = light, comment.strip()[:300]
    _save_change(measure, by, ["light", "light_comment"], old=old, new=light, comment=comment)
    return measure


@transaction.atomic
def update_measure(
    *,
    measure: Measure,
    by: Any,
    categories: Any = None,
    partners: Any = None,
    reports: Any = None,
    **changes: Any,
) -> Measure:
    """Change editable fields and, when given, the linked sets: one history entry per change.

    `categories`, `partners` and `reports` are each the whole new set (None
    leaves it as it is); see set_categories, set_partners, set_linked_reports.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _check_dates(changes.get("starts_on", measure.starts_on),
                 changes.get("deadline", measure.deadline))  # fmt: skip
    if changes.get("treated_polygon") is not None:
        changes["treated_polygon"] = _checked_polygon(changes["treated_polygon"],
                                                      measure.municipality)  # fmt: skip
    events = []
    for field, value in changes.items():
        old = getattr(measure, field)
        if old == value:
            continue
        setattr(measure, field, value)
        events.append(MeasureEvent(measure=measure, actor=_actor(by), field=field,
                                   old=_text(old, field), new=_text(value, field)))  # fmt: skip
    if events:
        measure.updated_at = timezone.now()
        measure.save()
        for event in events:
            event.save()
    if categories is not None:
        set_categories(measure=measure, by=by, categories=categories)
    if partners is not None:
        set_partners(measure=measure, by=by, partners=partners)
    if reports is not None:
        set_linked_reports(measure=measure, by=by, reports=reports)
    return measure


def _check_dates(starts_on: date | None, deadline: date | None) -> None:
    if starts_on and deadline and deadline < starts_on:
        raise MeasureRefused(_("The deadline is before the start."), "deadline")


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _checked_polygon(polygon: Any, municipality: Municipality) -> dict[str, Any]:
    try:
        return polygons.checked(polygon, municipality)
    except polygons.PolygonProblem as problem:
        raise MeasureRefused(str(problem), "treated_polygon") from None


def _text(value: Any, field: str = "") -> str:
    """What a history entry stores of a value: a name for an object, the value otherwise."""
    if value is None:
        return ""
    if field == "treated_polygon":
        return DRAWN
    return str(getattr(value, "pk", value))


def _keys(values: Any, attribute: str) -> set[Any]:
    """The keys of objects or of bare keys: a Category or its code, an Organisation or its id."""
    return {getattr(value, attribute, value) for value in values}


def _record_link(measure: Measure, by: Any, field: str, removed: str, added: str) -> None:
    """A link change: `old` holds what was removed, `new` what was added."""
    Measure.objects.filter(pk=measure.pk).update(updated_at=timezone.now())
    MeasureEvent.objects.create(measure=measure, actor=_actor(by), field=field,
                                old=removed, new=added)  # fmt: skip


def _set_links(
    measure: Measure, by: Any, field: str, found: list[Any], *, key: str, shown: str, sep: str
) -> Measure:
    """The measure's `field` links become `found` (told apart by `key`), in one history entry.

    The entry lists the `shown` attribute of what went and of what came,
    sorted and joined by `sep`.
    """
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    links = getattr(measure, field)
    current = {getattr(o, key): o for o in links.all()}
    wanted = {getattr(o, key) for o in found}
    added = [o for o in found if getattr(o, key) not in current]
    removed = [o for k, o in current.items() if k not in wanted]
    if added or removed:
        links.remove(*removed)
        links.add(*added)
        _record_link(measure, by, field, sep.join(sorted(getattr(o, shown) for o in removed)),
                     sep.join(sorted(getattr(o, shown) for o in added)))  # fmt: skip
    return measure


@transaction.atomic
def set_categories(*, measure: Measure, by: Any, categories: Any) -> Measure:
    """The measure's target categories become `categories` (objects or codes)."""
    codes = _keys(categories, "code")
    found = list(Category.objects.filter(code__in=codes))
    if len(found) != len(codes):
        raise MeasureRefused(_("Choose one of the list."), "categories")
    return _set_links(measure, by, "categories", found, key="code", shown="code", sep=" ")


@transaction.atomic
def set_partners(*, measure: Measure, by: Any, partners: Any) -> Measure:
    """The measure's partners become `partners` (organisations or their ids) of its municipality."""
    try:
        ids = {int(pk) for pk in _keys(partners, "pk")}
    except (TypeError, ValueError):
        raise MeasureRefused(_("Choose one of the list."), "partners") from None
    found = list(Organisation.objects.filter(pk__in=ids, municipality_id=measure.municipality_id))
    if len(found) != len(ids):
        raise MeasureRefused(_("Choose one of the list."), "partners")
    # Names, not ids: the history reads the same after an organisation is gone.
    return _set_links(measure, by, "partners", found, key="pk", shown="name", sep=", ")


def _report_ids(reports: Any) -> set[uuid.UUID]:
    try:
        return {uuid.UUID(str(pk)) for pk in _keys(reports, "pk")}
    except ValueError:
        raise MeasureRefused(_("A report id is 36 characters."), "reports") from None


@transaction.atomic
def set_linked_reports(*, measure: Measure, by: Any, reports: Any) -> Measure:
    """The reports linked to the measure, among those `by` may see, become `reports`.

    Only reports `by` may see (trygg.reports.access) are linked; an id of any
    other is refused exactly like one that does not exist, so nothing leaks.
    Linked reports `by` may not see stay linked, whether named or not: they are
    not his to unlink. Linking and unlinking take link_reports' path, so the
    reporter's "det här görs" comes and goes with the link.
    """
    wanted = _report_ids(reports)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    linked = set(measure.reports.values_list("pk", flat=True))
    seen = visible_reports(by).filter(municipality_id=measure.municipality_id)
    new = list(seen.filter(pk__in=wanted - linked).only("pk", "municipality_id"))
    if len(new) != len(wanted - linked):
        raise MeasureRefused(_("No report you may see in this municipality has that id."),
                             "reports")  # fmt: skip
    gone = list(seen.filter(pk__in=linked - wanted).values_list("pk", flat=True))
    _change_reports(measure, by, add=new, remove=gone)
    return measure


@transaction.atomic
def link_reports(*, measure: Measure, by: Any, reports: Any) -> Measure:
    """Link reports to the measure, one history entry counting the newly linked ones.

    Reports of another municipality are refused; ones already linked are skipped.
    """
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    reports = list(reports)
    if any(r.municipality_id != measure.municipality_id for r in reports):
        raise MeasureRefused(_("The report is not in the measure's municipality."), "reports")
    linked = set(measure.reports.values_list("pk", flat=True))
    _change_reports(measure, by, add=[r for r in reports if r.pk not in linked], remove=[])
    return measure


@transaction.atomic
def unlink_reports(*, measure: Measure, by: Any, reports: Any) -> Measure:
    """Unlink reports (objects or ids) from the measure; ones not linked are skipped."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    linked = set(measure.reports.values_list("pk", flat=True))
    _change_reports(measure, by, add=[], remove=list(_report_ids(reports) & linked))
    return measure


def _change_reports(measure: Measure, by: Any, *, add: list[Any], remove: list[Any]) -> None:
    """The one path reports are linked and unlinked by; the entry counts them, never says what.

    A report's id is not its text, but counting is enough for the history,
    which partners read too.
    """
    if not (add or remove):
        return
    measure.reports.remove(*remove)
    measure.reports.add(*add)
    _record_link(measure, by, "reports", str(len(remove)) if remove else "",
                 str(len(add)) if add else "")  # fmt: skip


def save_evaluation(*, measure: Measure, by: Any, effect: Effect) -> Evaluation:
    """Keep the evaluation as shown, dated, with a line in the measure's history."""
    evaluation = Evaluation.objects.create(
        measure=measure,
        by=_actor(by),
        parameters=asdict(effect.parameters),
        results=effect.as_json(),
    )
    MeasureEvent.objects.create(
        measure=measure, actor=evaluation.by, field="evaluation", new=str(evaluation.pk)
    )
    return evaluation
