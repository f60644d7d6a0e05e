"""Who may run and read a municipality's EST meetings.

Coordinators of the municipality run its meetings: plan, edit the agenda,
record, decide, close. Partners, steering group and administrators of the
municipality read the minutes of meetings that were held (the agenda never
holds report free text). Everyone else, and anyone asking for a meeting not
yet held without running it, gets 404: ids do not tell whether a meeting exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trygg.meetings.models import Meeting
from trygg.partners.access import standing_of
from trygg.partners.models import Municipality, Role

READ_ROLES = (Role.PARTNER, Role.STEERING, Role.ADMIN)


def runs_meetings(user: Any, municipality_id: int) -> bool:
    standing = standing_of(user)
    return standing.is_superuser or standing.has_role(municipality_id, Role.COORDINATOR)


def reads_minutes(user: Any, municipality_id: int) -> bool:
    return runs_meetings(user, municipality_id) or standing_of(user).has_role(
        municipality_id, *READ_ROLES
    )


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Every meeting the user runs, and the held ones of municipalities whose minutes he reads."""
    standing = standing_of(user)
    meetings = Meeting.objects.select_related("municipality")
    if standing.is_superuser:
        return meetings
    running = [m for m in standing.municipality_ids if runs_meetings(user, m)]
    reading = [m for m in standing.municipality_ids if reads_minutes(user, m)]
    return meetings.filter(municipality_id__in=running) | meetings.filter(
        municipality_id__in=reading, status=Meeting.Status.HELD
    )


def get_meeting_for(user: Any, meeting_id: int) -> Meeting:
    """A meeting the user may read; 404 otherwise."""
    found = visible_meetings(user).filter(pk=meeting_id).first()
    if found is None:
        raise Http404("No such meeting")
    return found


def get_meeting_to_run(user: Any, meeting_id: int) -> Meeting:
    """A meeting the user runs (a coordinator of its municipality); 404 otherwise."""
    meeting = get_meeting_for(user, meeting_id)
    if not runs_meetings(user, meeting.municipality_id):
        raise Http404("No such meeting")
    return meeting


def get_municipality_for(user: Any, code: str) -> Municipality:
    """A municipality whose meetings the user runs or reads; 404 otherwise."""
    municipality = Municipality.objects.defer("boundary").filter(code=code).first()
    if municipality is None or not reads_minutes(user, municipality.pk):
        raise Http404("No such partnership")
    return municipality


def minutes_municipality_ids(user: Any) -> list[int]:
    """Ids of the member municipalities whose meetings the user runs or reads."""
    return [m for m in standing_of(user).municipality_ids if reads_minutes(user, m)]


def meeting_municipalities(user: Any) -> list[Municipality]:
    """The municipalities whose meetings the user runs or reads, by name."""
    municipalities = Municipality.objects.defer("boundary")
    if not standing_of(user).is_superuser:
        municipalities = municipalities.filter(pk__in=minutes_municipality_ids(user))
    return list(municipalities.order_by("name"))
