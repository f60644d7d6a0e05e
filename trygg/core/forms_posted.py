"""A form posted from a page: the change it asks for, or the page again with the refusal on it.

Every app's actions refuse a change with an exception that names the field
at fault (`field`, "__all__" for the whole form). The views show it beside
that field when the form has one, above the form otherwise, and send back
the page the form came from with 400 so that nothing treats the refusal as
a success.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

Refusals = type[Exception] | tuple[type[Exception], ...]


def show_refusal(form: Any, refused: Exception) -> None:
    """Put `refused` on `form`: on its field when the form has it, else above the form."""
    field = getattr(refused, "field", None)
    form.add_error(field if field in form.fields else None, str(refused))


def form_posted(
    request: HttpRequest,
    form: Any,
    *,
    change: Callable[[dict[str, Any]], Any],
    refusals: Refusals,
    success: str,
    redirect_to: str,
    page: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """`change(form.cleaned_data)`, then `success` and a redirect to `redirect_to`.

    An invalid form, or a change refused with one of `refusals`, gives
    `page(form)` (the page the form came from, with the bound form and its
    errors) with status 400.
    """
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except refusals as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    response = page(form)
    response.status_code = 400
    return response
