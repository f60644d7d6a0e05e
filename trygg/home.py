"""What the home page shows each person: what is new for them since their last visit.

Counts and names of areas and categories only: the home page shows no report
or measure free text at all, so it cannot leak another organisation's words.
"New" reports are those received since the person's previous login
(`partners.visits.previous_visit`), said so on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count

from trygg.measures.access import visible_measures
from trygg.meetings.access import reads_minutes, runs_meetings
from trygg.meetings.models import Meeting
from trygg.partners.access import standing_of
from trygg.partners.models import Municipality
from trygg.reports.access import visible_reports
from trygg.situation.cache import picture_for
from trygg.situation.periods import default_period
from trygg.situation.picture import Rising


@dataclass(frozen=True)
class NextMeeting:
    held_on: date
    municipality: str
    meeting_id: int | None  # only for those who run it: the others may not open it yet


@dataclass
class Home:
    since: datetime | None
    new_reports: int = 0
    new_by_area: list[tuple[str, int]] = field(default_factory=list)
    rising: list[tuple[str, Rising]] = field(default_factory=list)  # (municipality, item)
    overdue: int = 0
    due_soon: int = 0
    next_meeting: NextMeeting | None = None
    many_municipalities: bool = False  # name the municipality of each rising item


def home_for(user: Any, today: date, since: datetime | None = None) -> Home:
    """The home page of `user` on `today`; "new" means after `since` (their previous visit)."""
    home = Home(since=since)
    if not standing_of(user).is_member:
        return home
    municipalities = list(
        Municipality.objects.defer("boundary").filter(pk__in=standing_of(user).municipality_ids)
    )
    home.many_municipalities = len(municipalities) > 1
    _add_new_reports(home, user)
    for municipality in municipalities:
        period = default_period(municipality.meeting_cadence, today)
        home.rising += [(municipality.name, r) for r in picture_for(municipality, period).rising]
    _add_measures(home, user, today)
    home.next_meeting = _next_meeting(user, municipalities, today)
    return home


def _add_new_reports(home: Home, user: Any) -> None:
    """Coordinators: their municipality's new reports; everyone else: their organisation's."""
    standing = standing_of(user)
    reports = visible_reports(user)
    coordinated = standing.coordinator_municipalities()
    if coordinated:
        reports = reports.filter(municipality_id__in=coordinated)
    elif not standing.is_superuser:
        reports = reports.filter(organisation_id__in=standing.organisation_ids)
    if home.since is not None:
        reports = reports.filter(reported_at__gt=home.since)
    rows = reports.values("area__name").annotate(n=Count("pk")).order_by("area__name")
    home.new_by_area = [(row["area__name"] or "", row["n"]) for row in rows]
    home.new_reports = sum(n for _name, n in home.new_by_area)


def _add_measures(home: Home, user: Any, today: date) -> None:
    """The user's own organisation's measures, as far as measures.access lets them see."""
    own = visible_measures(user).filter(responsible_id__in=standing_of(user).organisation_ids)
    home.overdue = own.overdue(today).count()
    home.due_soon = own.due_within(today, 7).count()


def _next_meeting(user: Any, municipalities: list[Municipality], today: date) -> NextMeeting | None:
    names = {m.pk: m.name for m in municipalities if reads_minutes(user, m.pk)}
    meeting = (
        Meeting.objects.filter(
            municipality_id__in=names, status=Meeting.Status.PLANNED, held_on__gte=today
        )
        .order_by("held_on", "pk")
        .first()
    )
    if meeting is None:
        return None
    runs = runs_meetings(user, meeting.municipality_id)
    return NextMeeting(
        meeting.held_on, names[meeting.municipality_id], meeting.pk if runs else None
    )
