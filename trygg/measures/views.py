"""Measures pages: the board, one measure, its forms. Parse, call access and actions, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.forms_posted import form_posted, show_refusal
from trygg.measures import access, pages
from trygg.measures.actions import (
    MeasureRefused,
    change_status,
    create_measure,
    set_light,
    update_measure,
)
from trygg.measures.forms import (
    FIELD_ORDER,
    LightForm,
    MeasureForm,
    StatusForm,
    initial_of,
)
from trygg.measures.models import Measure


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Straight to the user's partnership's board; a choice when they belong to several."""
    municipalities = access.board_municipalities(request.user)
    if not municipalities:
        raise Http404("No partnership")
    if len(municipalities) == 1:
        return redirect("measures:board", code=municipalities[0].code)
    return render(request, "measures/choose.html", {"municipalities": municipalities})


@login_required
def board(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.get_board_municipality(request.user, code)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    try:
        chosen = pages.parse_board_filter(request.GET)
    except pages.BoardError as bad:
        chosen, errors = pages.BoardFilter(), bad.errors
    queryset = pages.board_queryset(request.user, municipality, chosen, today)
    measures = pages.board_rows(list(queryset[: pages.BOARD_LIMIT]), today)
    context = {
        "municipality": municipality,
        "measures": measures,
        "total": len(measures) if len(measures) < pages.BOARD_LIMIT else queryset.count(),
        "counts": pages.status_counts(request.user, municipality, today),
        "today": today,
        "chosen": request.GET,
        "errors": errors,
        "choices": pages.board_choices(municipality),
        "may_create": access.may_create(request.user, municipality),
        "presence_url": pages.presence_url(request.user, municipality),
        "plan_periods": pages.plan_periods(municipality, today),
        "query": request.GET.urlencode(),
    }
    return render(request, "measures/board.html", context, status=400 if errors else 200)


def _detail_context(request: HttpRequest, measure: Measure, **forms: Any) -> dict[str, Any]:
    user = request.user
    notes = access.shows_internal_notes(user, measure)
    history = [h for h in pages.history_sentences(measure) if notes or not h["internal"]]
    statuses = access.statuses_for(user, measure)
    status_form = forms.get("status_form") or (StatusForm(statuses=statuses) if statuses else None)
    light_form = forms.get("light_form")
    if light_form is None and access.may_set_light(user, measure):
        light_form = LightForm(initial={"light": measure.light})
    return {
        "measure": measure,
        "notes": notes,
        "history": history,
        "overdue": measure.is_overdue(timezone.localdate()),
        "light_text": pages.light_text(measure.light),
        "status_form": status_form,
        "light_form": light_form,
        "reports": pages.linked_reports(user, measure),
        # Who was reminded is the owner's and the coordinators' business, like the notes.
        "reminders": pages.reminders_of(measure) if notes else [],
        "effect_links": pages.effect_links(user, measure),
        "minutes_url": pages.minutes_url(user, measure),
        "coverage": pages.presence_coverage(measure, timezone.localdate()),
        "may_edit": bool(access.editable_fields(user, measure, measure.municipality_id)),
    }


@login_required
def detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, measure_id)
    return render(request, "measures/detail.html", _detail_context(request, measure))


def _detail_form_posted(
    request: HttpRequest, measure: Any, form: Any, form_name: str, change: Any, success: str
) -> HttpResponse:
    """Apply a form posted from the detail page; on refusal show the page again (400)."""

    def page(bound: Any) -> HttpResponse:
        context = _detail_context(request, measure, **{form_name: bound})
        return render(request, "measures/detail.html", context)

    return form_posted(
        request, form, change=change, refusals=MeasureRefused, success=success,
        redirect_to=reverse("measures:detail", kwargs={"measure_id": measure.pk}), page=page,
    )  # fmt: skip


@login_required
@require_POST
def status(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, measure_id)
    statuses = access.statuses_for(request.user, measure)
    if not access.may_change(request.user, measure):
        raise PermissionDenied

    def change(data: dict[str, Any]) -> None:
        change_status(measure=measure, by=request.user, to=data["to"], comment=data["comment"])

    form = StatusForm(request.POST, statuses=statuses)
    return _detail_form_posted(
        request, measure, form, "status_form", change, _("The status is changed.")
    )


@login_required
@require_POST
def light(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, measure_id)
    if not access.may_set_light(request.user, measure):
        raise PermissionDenied

    def change(data: dict[str, Any]) -> None:
        set_light(measure=measure, by=request.user, light=data["light"], comment=data["comment"])

    return _detail_form_posted(
        request,
        measure,
        LightForm(request.POST),
        "light_form",
        change,
        _("The traffic light is set."),
    )


@login_required
def edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access.get_measure_for(request.user, measure_id)
    allowed = access.editable_fields(request.user, measure, measure.municipality_id)
    if not allowed:
        raise PermissionDenied
    allowed = tuple(f for f in FIELD_ORDER if f in allowed)
    linked = pages.linked_reports(request.user, measure)
    kwargs = {"municipality": measure.municipality, "allowed": allowed, "linked": linked,
              "initial": initial_of(measure)}  # fmt: skip
    if request.method != "POST":
        form = MeasureForm(**kwargs)
        return render(request, "measures/edit.html", {"measure": measure, "form": form})
    form = MeasureForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            update_measure(measure=measure, by=request.user, **form.cleaned_data)
        except MeasureRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect("measures:detail", measure_id=measure.pk)
    return render(request, "measures/edit.html", {"measure": measure, "form": form}, status=400)


@login_required
def new(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.get_board_municipality(request.user, code)
    if not access.may_create(request.user, municipality):
        raise PermissionDenied
    allowed = tuple(f for f in FIELD_ORDER if f != "outcome")
    kwargs = {"municipality": municipality, "allowed": allowed}
    if request.method != "POST":
        form = MeasureForm(**kwargs)
        return render(request, "measures/new.html", {"municipality": municipality, "form": form})
    form = MeasureForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            measure = create_measure(by=request.user, municipality=municipality,
                                     **form.cleaned_data)  # fmt: skip
        except MeasureRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The measure is created."))
            return redirect("measures:detail", measure_id=measure.pk)
    context = {"municipality": municipality, "form": form}
    return render(request, "measures/new.html", context, status=400)
