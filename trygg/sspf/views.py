"""The SSPF coordinator's pages: parse, call access and actions, render.

Every case is reached through trygg.sspf.access, which logs the read and
answers 404 to anyone not named in the case. URLs carry the case's number,
never its pseudonym, so server logs and the access log hold no case name.
What people type (the name, the school unit, the consent's document reference and
organisation names, plan text, notes) is kept out
of error reports (sensitive_post_parameters).
"""

from __future__ import annotations

from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from trygg.core.forms_posted import form_posted, show_refusal
from trygg.sspf import access, actions, crypto, stats
from trygg.sspf.actions import Covered, SspfRefused
from trygg.sspf.forms import (
    CaseForm,
    CloseForm,
    ConsentForm,
    GrantForm,
    MeetingForm,
    NoteForm,
    ParticipantForm,
    PlanItemForm,
    PlanStatusForm,
    RetentionForm,
)
from trygg.sspf.models import Case, Consent, OrganisationKind, PlanItem


def sspf_view(view: Any) -> Any:
    """Logged in; and an SSPF member whose session lacks the second factor is sent to pass it."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if access.needs_second_factor(request.user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('partners:two_factor')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper


@sspf_view
def index(request: HttpRequest) -> HttpResponse:
    cases = access.list_cases(request.user)
    municipalities = access.coordinated_municipalities(request.user)
    if not cases and not municipalities:
        raise Http404
    context = {"cases": cases, "municipalities": municipalities}
    return render(request, "sspf/index.html", context)


@sspf_view
@sensitive_post_parameters("name", "school_unit")
@sensitive_variables("form")
def new(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.coordinator_municipality(request.user, code)
    form = CaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.open_case(by=request.user, municipality=municipality,
                                     **form.cleaned_data)  # fmt: skip
        except SspfRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The case is opened. Record the consent next."))
            return redirect("sspf:case", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    context = {"municipality": municipality, "form": form}
    return render(request, "sspf/new.html", context, status=status)


def _addable(case: Case, consents: list[Consent]) -> list[tuple[int, str]]:
    """Scope entries of the deciding consent naming a person who does not take part yet."""
    deciding = access.deciding_consent(case)
    taking_part = set(case.participants.values_list("user_id", flat=True))
    kinds = dict(OrganisationKind.choices)
    return [
        (entry.pk, f"{entry.user.get_full_name() or entry.user.username} "
                   f"({kinds.get(entry.organisation_kind, '')})")
        for consent in consents if deciding is not None and consent.pk == deciding.pk
        for entry in consent.scope.all()
        if entry.user is not None and entry.user_id not in taking_part
    ]  # fmt: skip


def _case_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    user = request.user
    consents = access.consents_of(user, case)
    managing = access.is_coordinator_of(user, case) and access.is_open_today(case)
    consented = any(c.is_valid_on(timezone.localdate()) for c in consents)
    choices = _addable(case, consents) if managing else []
    participants = access.participants_of(user, case)
    plan = access.plan_of(user, case)
    planning = managing and consented
    return {
        "case": case,
        "open_today": access.is_open_today(case),
        "managing": access.is_coordinator_of(user, case),
        "consents": consents,
        "has_valid_consent": consented,
        "participants": participants,
        "meetings": access.meetings_of(user, case),
        "plan": [(item, access.may_set_plan_status(user, item)) for item in plan],
        "status_choices": PlanItem.Status.choices,
        "notes": access.notes_of(user, case),
        "participant_form": forms.get("participant_form")
        or (ParticipantForm(choices=choices) if choices else None),
        "meeting_form": forms.get("meeting_form")
        or (MeetingForm(participants=participants) if planning else None),
        "plan_form": forms.get("plan_form") or (PlanItemForm() if planning else None),
        "note_form": forms.get("note_form")
        or (NoteForm() if access.may_write_note(user, case) else None),
    }


@sspf_view
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case(request.user, case_id)
    return render(request, "sspf/case.html", _case_context(request, found))


@sspf_view
def name(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case(request.user, case_id)
    try:
        context = {"case": found, "name": access.name_of(request.user, found)}
    except (crypto.UnreadableError, crypto.NoKeyError):
        # A key removed too soon, or not yet on this server in a rolling restart
        # (docs/sspf.md "The keys"): say so, rather than fail with a 500.
        context = {"case": found, "name": "", "unreadable": True}
    return render(request, "sspf/name.html", context)


@sspf_view
@sensitive_post_parameters()  # every field: the document reference and organisation names
@sensitive_variables("form", "data", "fields", "scope")
def consent(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case_to_manage(request.user, case_id)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = [Covered(kind, name, user) for kind, name, user in data.pop("scope")]
        fields = {k: v for k, v in data.items() if k in ConsentForm.base_fields}
        try:
            actions.record_consent(by=request.user, case=found, scope=scope, **fields)
        except SspfRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("sspf:case", case_id=found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "sspf/consent.html", {"case": found, "form": form}, status=status)


@sspf_view
@require_POST
def participant(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case_to_manage(request.user, case_id)
    consents = access.consents_of(request.user, found)
    choices = _addable(found, consents)

    def change(data: dict[str, Any]) -> None:
        entry = next(e for c in consents for e in c.scope.all() if e.pk == data["entry"])
        actions.add_participant(by=request.user, case=found, user=entry.user,
                                organisation_kind=entry.organisation_kind)  # fmt: skip

    form = ParticipantForm(request.POST, choices=choices)
    return _case_form_posted(
        request, found, form, "participant_form", change, _("The participant is added.")
    )


def _case_form_posted(
    request: HttpRequest, found: Case, form: Any, form_name: str, change: Any, done: str
) -> HttpResponse:
    """Apply a form posted from the case page; on refusal show the page again (400)."""

    def page(bound: Any) -> HttpResponse:
        context = _case_context(request, found, **{form_name: bound})
        return render(request, "sspf/case.html", context)

    return form_posted(
        request, form, change=change, refusals=SspfRefused, success=done,
        redirect_to=reverse("sspf:case", kwargs={"case_id": found.pk}), page=page,
    )  # fmt: skip


@sspf_view
@require_POST
def meeting(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case_to_manage(request.user, case_id)
    form = MeetingForm(request.POST, participants=list(found.participants.select_related("user")))
    return _case_form_posted(
        request, found, form, "meeting_form",
        lambda data: actions.add_meeting(by=request.user, case=found, **data),
        _("The meeting is saved."),
    )  # fmt: skip


@sspf_view
@require_POST
@sensitive_post_parameters("goal", "action")
def plan(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case_to_manage(request.user, case_id)
    return _case_form_posted(
        request, found, PlanItemForm(request.POST), "plan_form",
        lambda data: actions.add_plan_item(by=request.user, case=found, **data),
        _("The plan item is saved."),
    )  # fmt: skip


@sspf_view
@require_POST
def plan_status(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    found = access.get_case(request.user, case_id)
    item = found.plan.filter(pk=item_id).first()
    if item is None or not access.may_set_plan_status(request.user, item):
        raise Http404
    return _case_form_posted(
        request, found, PlanStatusForm(request.POST), "status_form",
        lambda data: actions.set_plan_status(by=request.user, item=item, status=data["status"]),
        _("The status is saved."),
    )  # fmt: skip


@sspf_view
@require_POST
@sensitive_post_parameters("text")
def note(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case(request.user, case_id)
    if not access.may_write_note(request.user, found):
        raise Http404
    return _case_form_posted(
        request, found, NoteForm(request.POST), "note_form",
        lambda data: actions.add_note(by=request.user, case=found, text=data["text"]),
        _("The note is saved."),
    )  # fmt: skip


def _confirmed_step(
    request: HttpRequest, found: Case, template: str, step: Any, done: str, form: Any = None
) -> HttpResponse:
    """A confirmation page (GET) and the step it confirms (POST)."""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            step(form.cleaned_data if form is not None else {})
        except SspfRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, done)
            return redirect("sspf:index")
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"case": found, "form": form}, status=status)


@sspf_view
def withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case_to_manage(request.user, case_id)
    return _confirmed_step(
        request, found, "sspf/withdraw.html",
        lambda _data: actions.withdraw_consent(by=request.user, case=found),
        _("The consent is withdrawn and the case closed."),
    )  # fmt: skip


@sspf_view
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case_to_manage(request.user, case_id)
    form = CloseForm(request.POST if request.method == "POST" else None)
    return _confirmed_step(
        request, found, "sspf/close.html",
        lambda data: actions.close_case(by=request.user, case=found, outcome=data["outcome"]),
        _("The case is closed."), form,
    )  # fmt: skip


@sspf_view
def purge(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case_to_purge(request.user, case_id)
    return _confirmed_step(
        request, found, "sspf/purge.html",
        lambda _data: actions.purge_case(by=request.user, case=found),
        _("The case is deleted. Only the anonymous statistics remain."),
    )  # fmt: skip


@sspf_view
def history(request: HttpRequest, case_id: int) -> HttpResponse:
    found = access.get_case(request.user, case_id)
    person = request.GET.get("person", "")
    person_id = int(person) if person.isdigit() else None
    events = access.access_history(request.user, found, person_id)
    participants = access.participants_of(request.user, found)
    context = {"case": found, "events": events, "participants": participants,
               "person_id": person_id}  # fmt: skip
    return render(request, "sspf/history.html", context)


@sspf_view
def statistics(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.statistics_municipality(request.user, code)
    years = stats.statistics_for(request.user, municipality.pk)
    context = {"municipality": municipality, "years": years, "smallest": stats.SMALLEST_SHOWN}
    return render(request, "sspf/statistics.html", context)


@sspf_view
def coordinators(request: HttpRequest, code: str) -> HttpResponse:
    """The municipality's SSPF coordinators, granted and revoked by its administrators."""
    municipality = access.granting_municipality(request.user, code)
    form = GrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.grant_coordinator(by=request.user, user=form.cleaned_data["username"],
                                      municipality=municipality)  # fmt: skip
        except SspfRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The SSPF coordinator role is granted."))
            return redirect("sspf:coordinators", code=municipality.code)
    status = 400 if request.method == "POST" else 200
    context = _coordinators_context(request, municipality, form=form)
    return render(request, "sspf/coordinators.html", context, status=status)


def _coordinators_context(request: HttpRequest, municipality: Any, **forms: Any) -> dict[str, Any]:
    own = access.retention_of(municipality)
    initial = {"purge_after_months": own.purge_after_months, "audit_months": own.audit_months}
    return {
        "municipality": municipality,
        "form": forms.get("form") or GrantForm(),
        "retention_form": forms.get("retention_form") or RetentionForm(initial=initial),
        "grants": access.grants_of(request.user, municipality),
    }


@sspf_view
@require_POST
def retention(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.granting_municipality(request.user, code)
    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            actions.set_retention(by=request.user, municipality=municipality, **form.cleaned_data)
        except SspfRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The retention is saved."))
            return redirect("sspf:coordinators", code=municipality.code)
    context = _coordinators_context(request, municipality, retention_form=form)
    return render(request, "sspf/coordinators.html", context, status=400)


@sspf_view
@require_POST
def revoke(request: HttpRequest, code: str, grant_id: int) -> HttpResponse:
    municipality = access.granting_municipality(request.user, code)
    grant = access.grants_of(request.user, municipality).filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    actions.revoke_coordinator(by=request.user, grant=grant)
    messages.success(request, _("The SSPF coordinator role is revoked."))
    return redirect("sspf:coordinators", code=municipality.code)
