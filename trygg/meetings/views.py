"""Meeting pages: parse the form, call trygg.meetings.actions, render.

Every view asks trygg.meetings.access first; what may not be seen is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trygg.measures.actions import MeasureRefused
from trygg.meetings import access, actions
from trygg.meetings.forms import AddItemForm, AttendanceForm, NotesForm, decision_formset
from trygg.meetings.minutes import minutes_of
from trygg.meetings.models import AgendaItem, Meeting
from trygg.meetings.pdf import render_minutes_pdf
from trygg.partners.audit import record
from trygg.partners.models import AuditEvent


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Meetings per municipality: coordinators see all and plan; others the held ones."""
    municipalities = access.meeting_municipalities(request.user)
    if not municipalities:
        raise Http404("No partnership's meetings")
    blocks = [
        {
            "municipality": m,
            "runs": access.runs_meetings(request.user, m.pk),
            "meetings": access.visible_meetings(request.user).filter(municipality=m),
        }
        for m in municipalities
    ]
    return render(request, "meetings/index.html", {"blocks": blocks})


@login_required
@require_POST
def plan(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.get_municipality_for(request.user, code)
    if not access.runs_meetings(request.user, municipality.pk):
        raise Http404("No such partnership")
    meeting = actions.plan_next_meeting(
        municipality=municipality, by=request.user, today=timezone.localdate()
    )
    return redirect("meetings:meeting", meeting_id=meeting.pk)


@login_required
@require_GET
def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The running meeting: agenda, notes, decisions, attendance, close."""
    meeting = access.get_meeting_to_run(request.user, meeting_id)
    return _render_meeting(request, meeting)


def _render_meeting(
    request: HttpRequest, meeting: Meeting, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    minutes = minutes_of(meeting, reader=request.user)
    municipality = meeting.municipality
    rows = [
        {
            "line": line,
            "notes": bound.get(("notes", line.item.pk))
            or NotesForm(initial={"notes": line.item.notes}, prefix=f"notes{line.item.pk}"),
            "decision": bound.get(("decision", line.item.pk))
            or decision_formset(line.item.pk, municipality),
        }
        for line in minutes.items
    ]
    attending = [o.pk for o in minutes.attended]
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "rows": rows,
        "planned": meeting.status == Meeting.Status.PLANNED,
        "attendance": bound.get("attendance")
        or AttendanceForm(municipality=municipality, initial={"organisations": attending}),
        "add_item": bound.get("add_item") or AddItemForm(),
    }
    return render(request, "meetings/meeting.html", context, status=status)


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, meeting=meeting, pk=item_id)


def _refused(request: HttpRequest, meeting: Meeting, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("meetings:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def notes(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = access.get_meeting_to_run(request.user, meeting_id)
    item = _item(meeting, item_id)
    form = NotesForm(request.POST, prefix=f"notes{item.pk}")
    if not form.is_valid():
        return _render_meeting(request, meeting, {("notes", item.pk): form}, status=400)
    try:
        actions.write_notes(item=item, by=request.user, text=form.cleaned_data["notes"])
    except actions.MeetingRefused as error:
        return _refused(request, meeting, error)
    messages.success(request, _("The notes are saved."))
    return redirect(_anchor(meeting, item))


@login_required
@require_POST
def decide(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """A decision on an item: the filled rows become decided measures of this meeting."""
    meeting = access.get_meeting_to_run(request.user, meeting_id)
    item = _item(meeting, item_id)
    formset = decision_formset(item.pk, meeting.municipality, request.POST)
    if not formset.is_valid():
        return _render_meeting(request, meeting, {("decision", item.pk): formset}, status=400)
    try:
        made = actions.decide(
            meeting=meeting, item=item, by=request.user, measures=formset.measures()
        )
    except (actions.MeetingRefused, MeasureRefused) as error:
        return _refused(request, meeting, error)
    messages.success(
        request, _("Decided: %(titles)s.") % {"titles": ", ".join(m.title for m in made)}
    )
    return redirect(_anchor(meeting, item))


@login_required
@require_POST
def add_item(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.get_meeting_to_run(request.user, meeting_id)
    form = AddItemForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, {"add_item": form}, status=400)
    try:
        item = actions.add_item(meeting=meeting, by=request.user, title=form.cleaned_data["title"])
    except actions.MeetingRefused as error:
        return _refused(request, meeting, error)
    return redirect(_anchor(meeting, item))


@login_required
@require_POST
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.get_meeting_to_run(request.user, meeting_id)
    form = AttendanceForm(request.POST, municipality=meeting.municipality)
    if not form.is_valid():
        return _render_meeting(request, meeting, {"attendance": form}, status=400)
    try:
        chosen = list(form.cleaned_data["organisations"])
        actions.record_attendance(meeting=meeting, by=request.user, organisations=chosen)
    except actions.MeetingRefused as error:
        return _refused(request, meeting, error)
    messages.success(request, _("The attendance is saved."))
    return redirect(reverse("meetings:meeting", args=[meeting.pk]) + "#narvaro")


def _meeting_step(
    request: HttpRequest, meeting_id: int, step: Any, success: str, then: str
) -> HttpResponse:
    """Take one step of running a meeting; on refusal say why on the meeting's page."""
    meeting = access.get_meeting_to_run(request.user, meeting_id)
    try:
        step(meeting=meeting, by=request.user)
    except actions.MeetingRefused as error:
        return _refused(request, meeting, error)
    messages.success(request, success)
    return redirect(then, meeting_id=meeting.pk)


@login_required
@require_POST
def redraft(request: HttpRequest, meeting_id: int) -> HttpResponse:
    success = _("The agenda is drafted anew from the latest reports.")
    return _meeting_step(request, meeting_id, actions.redraft_agenda, success, "meetings:meeting")


@login_required
@require_GET
def close_confirm(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.get_meeting_to_run(request.user, meeting_id)
    return render(request, "meetings/close_confirm.html", {"minutes": minutes_of(meeting)})


@login_required
@require_POST
def close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    success = _("The meeting is closed; each responsible organisation gets an email.")
    return _meeting_step(request, meeting_id, actions.close_meeting, success, "meetings:minutes")


@login_required
@require_GET
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes: for the partnership once held, for coordinators also as a draft."""
    meeting = access.get_meeting_for(request.user, meeting_id)
    context = {
        "minutes": minutes_of(meeting, reader=request.user),
        "runs": access.runs_meetings(request.user, meeting.municipality_id),
    }
    return render(request, "meetings/minutes.html", context)


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, meeting_id)
    response = HttpResponse(render_minutes_pdf(minutes_of(meeting)), content_type="application/pdf")
    filename = f"protokoll-{meeting.municipality.code}-{meeting.held_on.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    record(actor=request.user, action=AuditEvent.Action.EXPORT, target=request.path,
           municipality_ids=[meeting.municipality_id], detail={"file": filename})  # fmt: skip
    return response


def _anchor(meeting: Meeting, item: AgendaItem) -> str:
    return reverse("meetings:meeting", args=[meeting.pk]) + f"#punkt-{item.position}"
