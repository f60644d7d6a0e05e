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
    decided: list[DecidedMeasure]


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    attended: list[Organisation]
    items: list[ItemLine]
    measures: list[DecidedMeasure]  # all this meeting decided, deadline first


def minutes_of(meeting: Meeting) -> Minutes:
    items = list(meeting.items.prefetch_related("decided__responsible").order_by("position"))
    attended = [a.organisation for a in meeting.attendance.select_related("organisation")]
    decided = meeting.measures.select_related("responsible").order_by("deadline", "title", "pk")
    return Minutes(
        meeting=meeting,
        attended=sorted(attended, key=lambda o: o.name),
        items=[_line(meeting, item) for item in items],
        measures=[_decided(m) for m in decided],
    )


def _line(meeting: Meeting, item: AgendaItem) -> ItemLine:
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
        decided=[_decided(m) for m in decided],
    )


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
