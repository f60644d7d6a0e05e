"""The coordinator's promise pages: parse, call access and actions, render.

The promise's page is the hub: its parts, and for coordinators the forms that
add to it. A refused or invalid form shows the page again with the form and
its errors (400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.forms_posted import form_posted, show_refusal
from trygg.promises import access, actions, forms, pages
from trygg.promises.actions import PromiseRefused
from trygg.promises.models import Activity, Indicator, Promise

DETAIL_FORMS = {
    "focus_area_form": lambda p: forms.FocusAreaForm(),
    "commitment_form": lambda p: forms.CommitmentForm(promise=p),
    "activity_form": lambda p: forms.ActivityForm(promise=p),
    "signatory_form": lambda p: forms.SignatoryForm(promise=p),
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Straight to the user's partnership's promises; a choice when they belong to several."""
    municipalities = access.promise_municipalities(request.user)
    if not municipalities:
        raise Http404("No partnership")
    if len(municipalities) == 1:
        return redirect("promises:list", code=municipalities[0].code)
    return render(request, "promises/choose.html", {"municipalities": municipalities})


@login_required
def promise_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.get_municipality_for(request.user, code)
    context = {
        "municipality": municipality,
        "promises": pages.promises_of(request.user, municipality),
        "may_edit": access.may_edit(request.user, municipality.pk),
    }
    return render(request, "promises/list.html", context)


@login_required
def new(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.get_municipality_for(request.user, code)
    if not access.may_edit(request.user, municipality.pk):
        raise PermissionDenied
    year = timezone.localdate().year
    form = forms.PromiseForm(
        request.POST or None, initial={"start_year": year, "end_year": year + 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            promise = actions.create_promise(
                by=request.user, municipality=municipality, **form.cleaned_data
            )
        except PromiseRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The promise is created as a draft."))
            return redirect("promises:detail", promise_id=promise.pk)
    status = 400 if request.method == "POST" else 200
    context = {"municipality": municipality, "form": form}
    return render(request, "promises/new.html", context, status=status)


def _detail_context(request: HttpRequest, promise: Promise, **given: Any) -> dict[str, Any]:
    editable = access.may_edit(request.user, promise.municipality_id)
    context = {
        "promise": promise,
        "may_edit": editable and promise.status != Promise.Status.ARCHIVED,
        "may_follow_up": editable and promise.is_public,
        **pages.detail(promise, timezone.localdate()),
    }
    if context["may_edit"]:
        for name, make in DETAIL_FORMS.items():
            context[name] = given.get(name) or make(promise)
        context["status_choices"] = Activity.Status.choices
    return context


@login_required
def detail(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access.get_promise_for(request.user, promise_id)
    return render(request, "promises/detail.html", _detail_context(request, promise))


def _posted(
    request: HttpRequest,
    promise: Promise,
    form: Any,
    form_name: str,
    change: Callable[[dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    """Apply a form posted from the promise's page; on refusal show the page again (400)."""

    def page(bound: Any) -> HttpResponse:
        context = _detail_context(request, promise, **{form_name: bound})
        return render(request, "promises/detail.html", context)

    return form_posted(
        request, form, change=change, refusals=PromiseRefused, success=success,
        redirect_to=_detail_url(promise), page=page,
    )  # fmt: skip


def _detail_url(promise: Promise) -> str:
    return reverse("promises:detail", kwargs={"promise_id": promise.pk})


@login_required
@require_POST
def add_focus_area(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    form = forms.FocusAreaForm(request.POST)

    def change(data: dict[str, Any]) -> None:
        actions.add_focus_area(promise=promise, by=request.user, **data)

    return _posted(request, promise, form, "focus_area_form", change, _("The focus area is added."))


@login_required
@require_POST
def add_commitment(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    form = forms.CommitmentForm(request.POST, promise=promise)

    def change(data: dict[str, Any]) -> None:
        actions.add_commitment(promise=promise, by=request.user, **data)

    return _posted(request, promise, form, "commitment_form", change, _("The commitment is added."))


@login_required
@require_POST
def add_activity(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    form = forms.ActivityForm(request.POST, promise=promise)

    def change(data: dict[str, Any]) -> None:
        actions.add_activity(by=request.user, **data)

    return _posted(request, promise, form, "activity_form", change, _("The activity is added."))


@login_required
@require_POST
def activity_status(request: HttpRequest, promise_id: int, activity_id: int) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    try:
        activity = Activity.objects.get(pk=activity_id, commitment__promise=promise)
    except Activity.DoesNotExist:
        raise Http404("No such activity") from None
    form = forms.ActivityStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.set_activity_status(activity=activity, by=request.user, **form.cleaned_data)
        except PromiseRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The status is changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("promises:detail", promise_id=promise.pk)


@login_required
@require_POST
def add_signatory(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    form = forms.SignatoryForm(request.POST, promise=promise)

    def change(data: dict[str, Any]) -> None:
        actions.add_signatory(promise=promise, by=request.user, **data)

    return _posted(request, promise, form, "signatory_form", change, _("The signatory is added."))


@login_required
@require_POST
def remove(request: HttpRequest, promise_id: int, part: str, part_id: int) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    thing = _part_of(promise, part, part_id)
    note = forms.NoteForm(request.POST)
    reason = note.cleaned_data["note"] if note.is_valid() else ""
    try:
        actions.remove_part(part=thing, by=request.user, note=reason)
    except PromiseRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Removed."))
    return redirect("promises:detail", promise_id=promise.pk)


@login_required
def edit(request: HttpRequest, promise_id: int) -> HttpResponse:
    """Revise the promise's own text and period; a published one keeps the earlier version."""
    promise = access.get_editable_promise(request.user, promise_id)
    initial = {f: getattr(promise, f) for f in actions.PROMISE_FIELDS}
    form = forms.RevisePromiseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        note = data.pop("note")
        try:
            actions.update_promise(promise=promise, by=request.user, note=note, **data)
        except PromiseRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The promise is saved."))
            return redirect("promises:detail", promise_id=promise.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "promises/edit.html", {"promise": promise, "form": form}, status=status)


@login_required
def edit_part(request: HttpRequest, promise_id: int, part: str, part_id: int) -> HttpResponse:
    """Revise a focus area, commitment, activity, indicator or signatory of the promise."""
    promise = access.get_editable_promise(request.user, promise_id)
    thing = _part_of(promise, part, part_id)
    fields = actions.PART_FIELDS[type(thing)]
    initial = model_to_dict(thing, fields=fields)
    form = forms.part_form(type(thing), promise, fields, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        changed = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            actions.update_part(part=thing, by=request.user, **changed)
        except PromiseRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("Saved."))
            return redirect("promises:detail", promise_id=promise.pk)
    status = 400 if request.method == "POST" else 200
    context = {"promise": promise, "form": form, "part": part, "part_id": thing.pk,
               "label": str(thing)}  # fmt: skip
    return render(request, "promises/edit_part.html", context, status=status)


def _part_of(promise: Promise, part: str, part_id: int) -> Any:
    """The part of `promise` a URL names (e.g. "aktivitet", 12); Http404 if not its own."""
    model = pages.REMOVABLE.get(part)
    if model is None:
        raise Http404("No such part")
    scope = {"commitment__promise": promise} if model is Activity else {"promise": promise}
    try:
        return model.objects.get(pk=part_id, **scope)  # type: ignore[attr-defined]
    except model.DoesNotExist:  # type: ignore[attr-defined]
        raise Http404("No such part") from None


def _state_change(request: HttpRequest, promise_id: int, act: Any, success: str) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    try:
        act(promise=promise, by=request.user)
    except PromiseRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success)
    return redirect("promises:detail", promise_id=promise.pk)


@login_required
@require_POST
def publish(request: HttpRequest, promise_id: int) -> HttpResponse:
    return _state_change(
        request, promise_id, actions.publish_promise, _("The promise is published.")
    )


@login_required
@require_POST
def archive(request: HttpRequest, promise_id: int) -> HttpResponse:
    return _state_change(
        request, promise_id, actions.archive_promise, _("The promise is archived.")
    )


@login_required
def add_indicator(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access.get_editable_promise(request.user, promise_id)
    form = forms.IndicatorForm(
        request.POST or None,
        promise=promise,
        initial={"baseline_year": promise.start_year - 1, "kind": Indicator.Kind.COMPUTED},
    )

    def page(bound: Any) -> HttpResponse:
        return render(request, "promises/indicator_new.html", {"promise": promise, "form": bound})

    if request.method != "POST":
        return page(form)
    return form_posted(
        request, form, refusals=PromiseRefused, success=_("The indicator is added."),
        change=lambda data: actions.add_indicator(promise=promise, by=request.user, **data),
        redirect_to=_detail_url(promise), page=page,
    )  # fmt: skip


@login_required
def indicator(request: HttpRequest, promise_id: int, indicator_id: int) -> HttpResponse:
    """One indicator's values against its target; a manual one's values are entered here."""
    promise = access.get_promise_for(request.user, promise_id)
    try:
        item = promise.indicators.prefetch_related("categories", "areas").get(pk=indicator_id)
    except Indicator.DoesNotExist:
        raise Http404("No such indicator") from None
    editable = access.may_edit(request.user, promise.municipality_id)
    manual = item.kind == Indicator.Kind.MANUAL and promise.status != Promise.Status.ARCHIVED
    form = forms.ValueForm(request.POST or None) if editable and manual else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.enter_indicator_value(indicator=item, by=request.user, **form.cleaned_data)
            except PromiseRefused as refused:
                show_refusal(form, refused)
            else:
                messages.success(request, _("The value is saved."))
                return redirect("promises:indicator", promise_id=promise.pk, indicator_id=item.pk)
    standing = pages.indicators.standing(item, timezone.localdate())
    context = {
        "promise": promise,
        "indicator": item,
        "standing": standing,
        "light_label": pages.indicators.LIGHTS[standing.light],
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "promises/indicator.html", context, status=status)


@login_required
def follow_up(request: HttpRequest, promise_id: int) -> HttpResponse:
    """Write a follow-up: the page shows what will be frozen with it."""
    promise = access.get_editable_promise(request.user, promise_id)
    today = timezone.localdate()
    form = forms.FollowUpForm(request.POST or None, initial={"made_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.write_follow_up(promise=promise, by=request.user, **form.cleaned_data)
        except PromiseRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The follow-up is saved."))
            return redirect(
                "promises:follow_up_detail", promise_id=promise.pk, follow_up_id=made.pk
            )
    preview = pages.follow_up_view(pages.followup.freeze(promise, today))
    context = {"promise": promise, "form": form, **preview}
    status = 400 if request.method == "POST" else 200
    return render(request, "promises/follow_up_new.html", context, status=status)


@login_required
def follow_up_detail(request: HttpRequest, promise_id: int, follow_up_id: int) -> HttpResponse:
    promise = access.get_promise_for(request.user, promise_id)
    try:
        made = promise.follow_ups.get(pk=follow_up_id)
    except promise.follow_ups.model.DoesNotExist:
        raise Http404("No such follow-up") from None
    context = {"promise": promise, "follow_up": made, **pages.follow_up_view(made.snapshot)}
    return render(request, "promises/follow_up.html", context)


@login_required
def versions(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = access.get_promise_for(request.user, promise_id)
    context = {"promise": promise, "versions": pages.versions_of(promise)}
    return render(request, "promises/versions.html", context)


@login_required
def version(request: HttpRequest, promise_id: int, number: int) -> HttpResponse:
    promise = access.get_promise_for(request.user, promise_id)
    try:
        kept = promise.versions.get(number=number)
    except promise.versions.model.DoesNotExist:
        raise Http404("No such version") from None
    context = {"promise": promise, "version": kept, **pages.version_view(kept)}
    return render(request, "promises/version.html", context)
