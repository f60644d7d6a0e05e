"""What a meeting's page, minutes, PDF and API show: one read model for all of them.

Only what partners may read goes in: item titles (never report free text),
the group's notes, attendance and the decided measures' title, type, owner
and deadline. A measure's internal notes stay in trygg.measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import NoReverseMatch, reverse

from trygg.measures.models import Measure
from trygg.meetings.agenda import meeting_period
from trygg.meetings.models import AgendaItem, Meeting
from trygg.partners.models import Organisation


@dataclass(frozen=True)
class DecidedMeasure:
    id: int
    title: str
    kind: str
    kind_label: str
    responsible: str
    deadline: date | None
    status: str
    url: str | None  # the measure's own page, where that exists


@dataclass(frozen=True)
class ItemLine:
    item: AgendaItem
    area_url: str | None
    measure_url: str | None  # the measure the item is about (due, follow-up)
    report_url: str | None  # the flagged report, for a reader who may open it
    decided: list[DecidedMeasure]


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    attended: list[Organisation]
    items: list[ItemLine]
    measures: list[DecidedMeasure]  # all this meeting decided, deadline first


def minutes_of(meeting: Meeting, reader: Any = None) -> Minutes:
    """The minutes; with `reader`, flagged items link to the reports he may open."""
    items = list(meeting.items.prefetch_related("decided__responsible").order_by("position"))
    readable = _readable_reports(reader, items) if reader is not None else set()
    attended = [a.organisation for a in meeting.attendance.select_related("organisation")]
    decided = meeting.measures.select_related("responsible").order_by("deadline", "title", "pk")
    return Minutes(
        meeting=meeting,
        attended=sorted(attended, key=lambda o: o.name),
        items=[_line(meeting, item, readable) for item in items],
        measures=[_decided(m) for m in decided],
    )


def _readable_reports(reader: Any, items: list[AgendaItem]) -> set[str]:
    """Of the reports the items are about, those `reader` may open (trygg.reports.access)."""
    from trygg.reports.access import visible_reports

    ids = [item.subject["report"] for item in items if item.subject.get("report")]
    if not ids:
        return set()
    found = visible_reports(reader).filter(pk__in=ids).values_list("pk", flat=True)
    return {str(pk) for pk in found}


def _line(meeting: Meeting, item: AgendaItem, readable: set[str]) -> ItemLine:
    area = item.subject.get("area")
    area_url = None
    if area:
        area_url = reverse("situation:area", args=[area]) + f"?period={_period_key(meeting)}"
    measure = item.subject.get("measure")
    decided = sorted(item.decided.all(), key=lambda m: (m.deadline or date.max, m.title, m.pk))
    return ItemLine(
        item=item,
        area_url=area_url,
        measure_url=measure_url(measure) if measure else None,
        report_url=_report_url(item.subject.get("report"), readable),
        decided=[_decided(m) for m in decided],
    )


def _report_url(report: Any, readable: set[str]) -> str | None:
    return reverse("reports:detail", args=[report]) if report and report in readable else None


def _period_key(meeting: Meeting) -> str:
    period = meeting_period(meeting)
    return period.key if period else f"{meeting.since.isoformat()}..{meeting.since.isoformat()}"


def _decided(measure: Measure) -> DecidedMeasure:
    return DecidedMeasure(
        id=measure.pk,
        title=measure.title,
        kind=measure.kind,
        kind_label=str(measure.get_kind_display()),
        responsible=measure.responsible.name,
        deadline=measure.deadline,
        status=measure.status,
        url=measure_url(measure.pk),
    )


def measure_url(measure_id: Any) -> str | None:
    """The measure's page if the measures module has one (it comes with the measures board)."""
    try:
        return reverse("measures:detail", args=[measure_id])
    except NoReverseMatch:
        return None
