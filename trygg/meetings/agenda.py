"""The drafted agenda of a meeting: what the picture and the measures bring to the table.

Read-only: `draft_agenda` returns unsaved items; trygg.meetings.actions saves
them. The picture is the lägesbild of the days since the last meeting (up to
the day before this one), taken from the picture cache, so the agenda shows
exactly the rising pairs and hot spots the lägesbild page shows for that
period and nothing is counted twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trygg.geo.lookup import area_index
from trygg.measures.models import Measure
from trygg.meetings.models import AgendaItem, Meeting
from trygg.partners.models import Municipality
from trygg.reports.access import flagged_for_meeting
from trygg.reports.models import Report
from trygg.situation.cache import picture_for
from trygg.situation.pages import name_order
from trygg.situation.periods import Period, custom_period
from trygg.situation.picture import HotspotCell, Picture

DUE_WITHIN_DAYS = 7  # a measure due within a week of the meeting is on its agenda


def meeting_period(meeting: Meeting) -> Period | None:
    """The days the agenda's picture counts: `since` up to the day before the meeting."""
    last = meeting.held_on - timedelta(days=1)
    if last < meeting.since:
        return None
    return custom_period(meeting.since, last)


def draft_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The drafted items in their order: rising, hot spots, due, follow-up, flagged."""
    municipality = Municipality.objects.get(pk=meeting.municipality_id)
    period = meeting_period(meeting)
    items: list[AgendaItem] = []
    if period is not None:
        picture = picture_for(municipality, period)
        items += _rising_items(meeting, picture)
        items += _hotspot_items(meeting, municipality, picture)
    due = list(measures_due(meeting))
    items += [_measure_item(meeting, AgendaItem.Kind.DUE, m) for m in due]
    follow = measures_to_follow_up(meeting).exclude(pk__in=[m.pk for m in due])
    items += [_measure_item(meeting, AgendaItem.Kind.FOLLOW_UP, m) for m in follow]
    items += [_report_item(meeting, r) for r in reports_for_discussion(meeting)]
    for position, item in enumerate(items, start=1):
        item.position = position
    return items


def _rising_items(meeting: Meeting, picture: Picture) -> list[AgendaItem]:
    # The picture's own "new or rising" list (already the clearest first); ties by name.
    ordered = sorted(
        picture.rising,
        key=lambda r: (r.p, -(r.current - r.expected), name_order(r.area_name), r.group),
    )
    return [
        AgendaItem(
            meeting=meeting,
            kind=AgendaItem.Kind.RISING,
            title=_("%(group)s in %(area)s: %(current)d reports, usually %(expected)s")
            % {
                "group": r.group_name,
                "area": r.area_name or _("no area"),
                "current": r.current,
                "expected": formats.number_format(r.expected, 1),
            },
            subject={"area": r.area_id or None, "group": r.group, "count": r.current},
        )
        for r in ordered
    ]


def _hotspot_items(
    meeting: Meeting, municipality: Municipality, picture: Picture
) -> list[AgendaItem]:
    """One item per area with significant hot cells (cold spots are not an agenda point)."""
    hot = [c for c in picture.hotspots if c.level > 0]
    if not hot:
        return []
    by_area = _cells_by_area(municipality, hot)
    names = dict(municipality.areas.values_list("id", "name"))
    order = sorted(by_area, key=lambda a: (a == 0, name_order(names.get(a, "")), a))
    return [_hotspot_item(meeting, names.get(area_id, ""), area_id, by_area[area_id])
            for area_id in order]  # fmt: skip


def _hotspot_item(
    meeting: Meeting, name: str, area_id: int, cells: list[HotspotCell]
) -> AgendaItem:
    cells = sorted(cells, key=lambda c: (c.y, c.x))
    count = sum(c.count for c in cells)
    return AgendaItem(
        meeting=meeting,
        kind=AgendaItem.Kind.HOTSPOT,
        title=_("Hot spot in %(area)s: %(cells)d cells, %(count)d reports")
        % {"area": name or _("no area"), "cells": len(cells), "count": count},
        subject={
            "area": area_id or None,
            "count": count,
            "cells": [{"x": c.x, "y": c.y, "size": c.size_m} for c in cells],
        },
    )


def _cells_by_area(municipality: Municipality, cells: list[HotspotCell]) -> dict[int, list]:
    xs = np.array([c.x + c.size_m / 2 for c in cells])
    ys = np.array([c.y + c.size_m / 2 for c in cells])
    grouped: dict[int, list[HotspotCell]] = {}
    for cell, area in zip(cells, area_index(municipality).areas_of(xs, ys), strict=True):
        grouped.setdefault(int(area), []).append(cell)
    return grouped


def measures_due(meeting: Meeting) -> QuerySet[Measure]:
    """Open measures whose deadline is passed or falls within a week of the meeting."""
    until = meeting.held_on + timedelta(days=DUE_WITHIN_DAYS)
    return (
        Measure.objects.open()
        .filter(municipality_id=meeting.municipality_id, deadline__lte=until)
        .select_related("responsible")
        .order_by("deadline", "pk")
    )


def measures_to_follow_up(meeting: Meeting) -> QuerySet[Measure]:
    """Measures (not cancelled) whose follow-up date came since the last meeting.

    One that came earlier was on that meeting's agenda: without the lower
    bound, every follow-up ever due would come back at every meeting.
    """
    return (
        Measure.objects.follow_up_due(meeting.held_on)
        .filter(municipality_id=meeting.municipality_id, follow_up_on__gt=meeting.since)
        .select_related("responsible")
        .order_by("follow_up_on", "pk")
    )


def reports_for_discussion(meeting: Meeting) -> QuerySet[Report]:
    """Reports a coordinator flagged for discussion (report handling's flag), still open."""
    return flagged_for_meeting(meeting.municipality_id)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())


def _measure_item(meeting: Meeting, kind: str, measure: Measure) -> AgendaItem:
    when = measure.deadline if kind == AgendaItem.Kind.DUE else measure.follow_up_on
    return AgendaItem(
        meeting=meeting,
        kind=kind,
        title=_("%(title)s (%(owner)s, %(date)s)")
        % {"title": measure.title, "owner": measure.responsible.name, "date": when},
        subject={"measure": measure.pk, "area": measure.area_id},
    )


def _report_item(meeting: Meeting, report: Report) -> AgendaItem:
    # The category, place and day only: the minutes go to partners, who may not read free text.
    local = timezone.localtime(report.occurred_at)
    return AgendaItem(
        meeting=meeting,
        kind=AgendaItem.Kind.FLAGGED,
        title=_("%(category)s in %(area)s on %(day)s")
        % {
            "category": report.category.name,
            "area": report.area.name if report.area else _("no area"),
            "day": local.date(),
        },
        subject={"report": str(report.pk), "area": report.area_id},
    )
