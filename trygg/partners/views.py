"""The profile page: memberships and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.partners import access
from trygg.partners.actions import create_api_token, revoke_api_token
from trygg.partners.forms import ApiTokenForm


def _profile_page(
    request: HttpRequest, form: ApiTokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "memberships": access.memberships_of(request.user),
        "tokens": access.api_tokens_of(request.user),
        "form": form,
        "secret": secret,
    }
    return render(request, "partners/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request, ApiTokenForm())


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, form, status=400)
    _token, secret = create_api_token(
        user=request.user,
        name=form.cleaned_data["name"],
        valid_days=form.cleaned_data["valid_days"],
    )
    # Rendered, not redirected: the secret is shown this once and never stored,
    # not even in the session a redirect would need.
    return _profile_page(request, ApiTokenForm(), secret=secret)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access.get_api_token_for(request.user, token_id)
    revoke_api_token(token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("partners:profile")
