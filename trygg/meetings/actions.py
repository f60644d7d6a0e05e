"""Writes of meetings: plan, draft the agenda, record, decide and close, each in one transaction.

A held meeting's minutes are final: once closed, its notes, attendance, items
and decisions are refused (MeetingRefused), so the minutes partners read and
the emails owners got never change behind their backs. Measures it decided
go on being followed up in trygg.measures.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.core.links import absolute_url
from trygg.geo.models import Area
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure
from trygg.meetings.agenda import draft_agenda
from trygg.meetings.models import AgendaItem, Attendance, Meeting
from trygg.operations.actions import send_email
from trygg.partners.models import Membership, Municipality, Organisation
from trygg.reports.models import Category

EMAIL_KIND = "meetings.measures_owned"


class MeetingRefused(ValueError):
    """A change the rules do not allow; the message says why, for the person who tried."""


def next_date(cadence: str, after: date) -> date:
    """One cadence step after `after`: a week, two weeks or a month (same day, clamped)."""
    if cadence == Municipality.Cadence.MONTHLY:
        year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
        return date(year, month, min(after.day, calendar.monthrange(year, month)[1]))
    weeks = 1 if cadence == Municipality.Cadence.WEEKLY else 2
    return after + timedelta(weeks=weeks)


def previous_date(cadence: str, before: date) -> date:
    """One cadence step before `before`."""
    if cadence == Municipality.Cadence.MONTHLY:
        year, month = (
            (before.year - 1, 12) if before.month == 1 else (before.year, before.month - 1)
        )
        return date(year, month, min(before.day, calendar.monthrange(year, month)[1]))
    weeks = 1 if cadence == Municipality.Cadence.WEEKLY else 2
    return before - timedelta(weeks=weeks)


@transaction.atomic
def plan_next_meeting(*, municipality: Municipality, by: Any, today: date) -> Meeting:
    """The next meeting by the cadence, with its drafted agenda.

    One cadence after the last meeting (moved on past today if that lies
    behind), or one cadence after today for the first. A meeting already
    planned is returned as it is: there is one next meeting, not several.
    """
    planned = Meeting.objects.filter(municipality=municipality, status=Meeting.Status.PLANNED)
    existing = planned.order_by("held_on").first()
    if existing is not None:
        return existing
    last = Meeting.objects.filter(municipality=municipality).order_by("-held_on").first()
    cadence = municipality.meeting_cadence
    held_on = next_date(cadence, last.held_on if last else today)
    while held_on < today:
        held_on = next_date(cadence, held_on)
    since = last.held_on if last else previous_date(cadence, held_on)
    meeting = Meeting.objects.create(
        municipality=municipality, held_on=held_on, since=since, created_by=_actor(by)
    )
    AgendaItem.objects.bulk_create(draft_agenda(meeting))
    return meeting


@transaction.atomic
def redraft_agenda(*, meeting: Meeting, by: Any) -> Meeting:
    """Draft the agenda anew (reports came in since): drafted items without notes are replaced.

    Items with notes or decisions, and items added by hand, stay where they are.
    """
    meeting = _planned(meeting)
    kept = [
        item
        for item in meeting.items.all()
        if item.kind == AgendaItem.Kind.OTHER or item.notes or _decided(item)
    ]
    meeting.items.exclude(pk__in=[i.pk for i in kept]).delete()
    seen = {(i.kind, _key(i.subject)) for i in kept}
    fresh = [i for i in draft_agenda(meeting) if (i.kind, _key(i.subject)) not in seen]
    drafted = [i for i in kept if i.kind != AgendaItem.Kind.OTHER]
    others = [i for i in kept if i.kind == AgendaItem.Kind.OTHER]
    ordered = sorted(drafted + fresh, key=lambda i: _KIND_ORDER.index(i.kind)) + others
    for position, item in enumerate(ordered, start=1):
        item.position = position
    AgendaItem.objects.bulk_update([i for i in ordered if i.pk], ["position"])
    AgendaItem.objects.bulk_create([i for i in ordered if i.pk is None])
    return meeting


_KIND_ORDER = [k.value for k in AgendaItem.Kind]


def _key(subject: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, str(v)) for k, v in subject.items() if k != "count"))


def _decided(item: AgendaItem) -> bool:
    return item.decided.exists()


@transaction.atomic
def add_item(*, meeting: Meeting, by: Any, title: str) -> AgendaItem:
    """A point of one's own at the end of the agenda."""
    meeting = _planned(meeting)
    title = title.strip()
    if not title:
        raise MeetingRefused(_("Give the agenda item a title."))
    last = meeting.items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(
        meeting=meeting, position=(last or 0) + 1, kind=AgendaItem.Kind.OTHER, title=title[:300]
    )


@transaction.atomic
def write_notes(*, item: AgendaItem, by: Any, text: str) -> AgendaItem:
    """The notes of one agenda item, while the meeting is not yet closed."""
    _planned(item.meeting)
    item.notes = text.strip()
    item.save(update_fields=["notes"])
    return item


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, by: Any, organisations: list[Organisation]
) -> list[Organisation]:
    """Which organisations attended: the list replaces the one recorded before."""
    meeting = _planned(meeting)
    chosen = {o.pk: o for o in organisations}
    if any(o.municipality_id != meeting.municipality_id for o in chosen.values()):
        raise MeetingRefused(_("Only the municipality's organisations attend its meetings."))
    meeting.attendance.exclude(organisation_id__in=chosen).delete()
    present = set(meeting.attendance.values_list("organisation_id", flat=True))
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, organisation=o)
            for pk, o in chosen.items()
            if pk not in present
        ]
    )
    return sorted(chosen.values(), key=lambda o: o.name)


@transaction.atomic
def decide(
    *, meeting: Meeting, item: AgendaItem, by: Any, measures: list[dict[str, Any]]
) -> list[Measure]:
    """A decision on an agenda item: each measure is created decided, by this meeting.

    The item's area and category group become the measure's problem, its
    report the linked report, unless the decision says otherwise.
    """
    meeting = _planned(meeting)
    if item.meeting_id != meeting.pk:
        raise MeetingRefused(_("The agenda item is not on this meeting's agenda."))
    if not measures:
        raise MeetingRefused(_("A decision creates at least one measure."))
    return [_create(meeting, item, by, dict(spec)) for spec in measures]


def _create(meeting: Meeting, item: AgendaItem, by: Any, spec: dict[str, Any]) -> Measure:
    subject = item.subject
    if subject.get("area") and "area" not in spec:
        spec["area"] = Area.objects.filter(pk=subject["area"]).first()
    if subject.get("cells") and "cells" not in spec:
        spec["cells"] = subject["cells"]
    categories = spec.pop("categories", None)
    if categories is None and subject.get("group"):
        categories = list(Category.objects.filter(code=subject["group"]))
    reports = spec.pop("reports", None)
    if reports is None and subject.get("report"):
        reports = [subject["report"]]
    measure = create_measure(
        by=by, municipality=meeting.municipality, meeting=meeting,
        status=Measure.Status.DECIDED, categories=categories or (), reports=reports or (),
        **spec,
    )  # fmt: skip
    item.decided.add(measure)
    return measure


@transaction.atomic
def close_meeting(*, meeting: Meeting, by: Any) -> Meeting:
    """The meeting was held: its minutes are final, and each owner learns what it now owns."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.HELD:
        raise MeetingRefused(_("The meeting is already closed."))
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    _clear_discussed_flags(meeting, by)
    # The owners read Swedish whatever language the coordinator's screen is in.
    with translation.override(settings.LANGUAGE_CODE):
        _tell_owners(meeting)
    return meeting


def _clear_discussed_flags(meeting: Meeting, by: Any) -> None:
    """The reports this meeting listed as flagged were discussed: off the next agendas."""
    from trygg.reports.actions import clear_discussed_flags

    subjects = meeting.items.filter(kind=AgendaItem.Kind.FLAGGED).values_list("subject", flat=True)
    ids = [s["report"] for s in subjects if isinstance(s, dict) and s.get("report")]
    if ids:
        clear_discussed_flags(meeting=meeting, by=by, report_ids=ids)


def _tell_owners(meeting: Meeting) -> None:
    """One email per responsible organisation, to its members with an address.

    Only titles and deadlines: the email leaves Trygg, so no internal note and
    no report text goes into it.
    """
    measures = meeting.measures.select_related("responsible").order_by("deadline", "title", "pk")
    by_owner: dict[Organisation, list[Measure]] = {}
    for measure in measures:
        by_owner.setdefault(measure.responsible, []).append(measure)
    for owner in sorted(by_owner, key=lambda o: o.name):
        addresses = sorted(
            set(
                Membership.objects.filter(organisation=owner)
                .exclude(user__email="")
                .filter(user__is_active=True)
                .values_list("user__email", flat=True)
            )
        )
        if addresses:
            send_email(kind=EMAIL_KIND, to=addresses, subject=_owner_subject(meeting),
                       body=_owner_body(meeting, owner, by_owner[owner]))  # fmt: skip


def _owner_subject(meeting: Meeting) -> str:
    return _("Measures decided at the EST meeting on %(day)s") % {"day": meeting.held_on}


def _owner_body(meeting: Meeting, owner: Organisation, measures: list[Measure]) -> str:
    lines = [
        _("The EST meeting on %(day)s decided measures that %(owner)s is responsible for:")
        % {"day": meeting.held_on, "owner": owner.name},
        "",
    ]
    for measure in measures:
        if measure.deadline:
            line = _("- %(title)s, by %(deadline)s") % {
                "title": measure.title,
                "deadline": measure.deadline.isoformat(),
            }
        else:
            line = _("- %(title)s, no deadline") % {"title": measure.title}
        lines += [line, f"  {absolute_url('measures:detail', measure.pk)}"]
    lines += [
        "",
        _("Open Trygg to see the measures and report how they go."),
        _("The minutes: %(link)s") % {"link": absolute_url("meetings:minutes", meeting.pk)},
    ]
    return "\n".join(lines)


def _planned(meeting: Meeting) -> Meeting:
    """The meeting as it is now, if it is not closed; held minutes are never edited."""
    current = Meeting.objects.select_related("municipality").get(pk=meeting.pk)
    if current.status == Meeting.Status.HELD:
        raise MeetingRefused(_("The meeting is closed: its minutes can no longer be changed."))
    return current


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None
