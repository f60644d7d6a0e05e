"""JSON endpoints of the EST meetings: the same access rules and read model as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from trygg.core.schemas import ErrorOut
from trygg.meetings import access
from trygg.meetings.minutes import DecidedMeasure, Minutes, minutes_of

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    municipality: str = Field(description="The municipality code, e.g. 2380.")
    held_on: date
    since: date = Field(description="The agenda's picture counts reports from this day on.")
    status: Literal["planned", "held"]


class SubjectOut(Schema):
    area: int | None = None
    group: str | None = None
    measure: int | None = None
    report: str | None = None


class DecidedOut(Schema):
    id: int
    title: str
    kind: str
    responsible: str
    deadline: date | None
    status: str


class ItemOut(Schema):
    position: int
    kind: Literal["rising", "hotspot", "due", "follow_up", "flagged", "other"]
    title: str
    subject: SubjectOut
    notes: str
    decided: list[DecidedOut]


class OrganisationOut(Schema):
    id: int
    name: str


class MeetingDetailOut(MeetingOut):
    attendance: list[OrganisationOut]
    items: list[ItemOut]
    measures: list[DecidedOut]


class MeetingParams(Schema):
    municipality: str | None = Field(None, description="Only this municipality (its code).")
    status: Literal["planned", "held"] | None = None


@router.get("/meetings", response={200: list[MeetingOut], 401: ErrorOut, 422: ErrorOut})
def list_meetings(request: HttpRequest, params: Query[MeetingParams]) -> list[dict[str, Any]]:
    """Meetings you may see, newest first: all of your municipality's if you are a
    coordinator, the held ones if you are a partner, steering group member or admin."""
    meetings = access.visible_meetings(request.auth).order_by("-held_on", "-pk")
    if params.municipality:
        meetings = meetings.filter(municipality__code=params.municipality)
    if params.status:
        meetings = meetings.filter(status=params.status)
    return [_meeting(m) for m in meetings]


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """One meeting: agenda items with notes and decisions, attendance, decided measures.
    404 when it does not exist or you may not see it. No report free text is ever included."""
    return _detail(minutes_of(access.get_meeting_for(request.auth, meeting_id)))


def _meeting(meeting: Any) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "municipality": meeting.municipality.code,
        "held_on": meeting.held_on,
        "since": meeting.since,
        "status": meeting.status,
    }


def _detail(minutes: Minutes) -> dict[str, Any]:
    return _meeting(minutes.meeting) | {
        "attendance": [{"id": o.pk, "name": o.name} for o in minutes.attended],
        "items": [
            {
                "position": line.item.position,
                "kind": line.item.kind,
                "title": line.item.title,
                "subject": {
                    k: line.item.subject.get(k) for k in ("area", "group", "measure", "report")
                },
                "notes": line.item.notes,
                "decided": [_measure(m) for m in line.decided],
            }
            for line in minutes.items
        ],
        "measures": [_measure(m) for m in minutes.measures],
    }


def _measure(measure: DecidedMeasure) -> dict[str, Any]:
    return {
        "id": measure.id,
        "title": measure.title,
        "kind": measure.kind,
        "responsible": measure.responsible,
        "deadline": measure.deadline,
        "status": measure.status,
    }
