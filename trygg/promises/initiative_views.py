"""The register of other initiatives: list, create, edit, figures, delete.

Programme level only: the create form says, in the page's language, that
Trygg holds no case data about the people taking part.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.forms_posted import form_posted, show_refusal
from trygg.promises import access, actions, forms
from trygg.promises.actions import PromiseRefused


@login_required
def initiatives(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.get_municipality_for(request.user, code)
    rows = access.visible_initiatives(request.user).filter(municipality=municipality)
    context = {
        "municipality": municipality,
        "initiatives": list(rows.select_related("owner").prefetch_related("figures")),
        "may_edit": access.may_edit(request.user, municipality.pk),
    }
    return render(request, "promises/initiatives.html", context)


@login_required
def initiative_new(request: HttpRequest, code: str) -> HttpResponse:
    municipality = access.get_municipality_for(request.user, code)
    if not access.may_edit(request.user, municipality.pk):
        raise PermissionDenied
    form = forms.InitiativeForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.create_initiative(
                by=request.user, municipality=municipality, **form.cleaned_data
            )
        except PromiseRefused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The initiative is registered."))
            return redirect("promises:initiative", initiative_id=made.pk)
    status = 400 if request.method == "POST" else 200
    context = {"municipality": municipality, "form": form}
    return render(request, "promises/initiative_new.html", context, status=status)


@login_required
def initiative(request: HttpRequest, initiative_id: int) -> HttpResponse:
    item = access.get_initiative_for(request.user, initiative_id)
    editable = access.may_edit(request.user, item.municipality_id)
    context = {
        "initiative": item,
        "figures": list(item.figures.all()),
        "may_edit": editable,
        "figure_form": forms.FigureForm() if editable else None,
    }
    return render(request, "promises/initiative.html", context)


@login_required
def initiative_edit(request: HttpRequest, initiative_id: int) -> HttpResponse:
    item = access.get_initiative_for(request.user, initiative_id, edit=True)
    initial = {f: getattr(item, f) for f in actions.INITIATIVE_FIELDS}
    form = forms.InitiativeForm(
        request.POST or None, initial=initial, municipality=item.municipality
    )

    def page(bound: forms.forms.Form) -> HttpResponse:
        return render(request, "promises/initiative_edit.html", {"initiative": item, "form": bound})

    if request.method != "POST":
        return page(form)
    return form_posted(
        request, form, refusals=PromiseRefused, success=_("The initiative is saved."),
        change=lambda data: actions.update_initiative(initiative=item, by=request.user, **data),
        redirect_to=_initiative_url(item), page=page,
    )  # fmt: skip


def _initiative_url(item: Any) -> str:
    return reverse("promises:initiative", kwargs={"initiative_id": item.pk})


@login_required
@require_POST
def initiative_figures(request: HttpRequest, initiative_id: int) -> HttpResponse:
    item = access.get_initiative_for(request.user, initiative_id, edit=True)

    def page(bound: forms.forms.Form) -> HttpResponse:
        context = {
            "initiative": item,
            "figures": list(item.figures.all()),
            "may_edit": True,
            "figure_form": bound,
        }
        return render(request, "promises/initiative.html", context)

    def change(data: dict[str, Any]) -> None:
        actions.set_initiative_figures(initiative=item, by=request.user, **data)

    return form_posted(
        request, forms.FigureForm(request.POST), change=change, refusals=PromiseRefused,
        success=_("The figures are saved."), redirect_to=_initiative_url(item), page=page,
    )  # fmt: skip


@login_required
@require_POST
def initiative_delete(request: HttpRequest, initiative_id: int) -> HttpResponse:
    item = access.get_initiative_for(request.user, initiative_id, edit=True)
    code = item.municipality.code
    try:
        actions.delete_initiative(initiative=item, by=request.user)
    except PromiseRefused as refused:
        messages.error(request, str(refused))
        return redirect("promises:initiative", initiative_id=item.pk)
    messages.success(request, _("The initiative is removed."))
    return redirect("promises:initiatives", code=code)
