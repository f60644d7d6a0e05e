"""The profile page (memberships, API tokens, second factor), organisation keys, the
second-factor pages and the audit log."""

from __future__ import annotations

import textwrap
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.partners import access, actions
from trygg.partners.actions import (
    confirm_totp_enrolment,
    create_api_token,
    replace_recovery_codes,
    revoke_api_token,
    start_totp_enrolment,
    verify_second_factor,
)
from trygg.partners.audit import record_audit_export
from trygg.partners.forms import (
    ApiTokenForm,
    AuditFilterForm,
    OrganisationKeyForm,
    SecondFactorForm,
)
from trygg.partners.pages import audit_csv, audit_entries, audit_people, filtered_audit_events

ENROLMENT_SESSION_KEY = "trygg_totp_enrolment"


def _profile_page(
    request: HttpRequest, form: ApiTokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "memberships": access.memberships_of(request.user),
        "tokens": access.api_tokens_of(request.user),
        "manages_keys": access.key_organisations_for(request.user).exists(),
        "form": form,
        "secret": secret,
        "has_second_factor": user_has_device(request.user),
        "must_use_second_factor": access.must_use_two_factor(request.user),
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


def _key_organisations(request: HttpRequest) -> Any:
    """The organisations whose keys the user manages; Http404 for someone who manages none."""
    organisations = access.key_organisations_for(request.user)
    if not organisations.exists():
        raise Http404
    return organisations


def _keys_page(
    request: HttpRequest, form: OrganisationKeyForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    context = {"keys": access.organisation_keys_for(request.user), "form": form, "secret": secret}
    return render(request, "partners/organisation_keys.html", context, status=status)


@login_required
def organisation_keys(request: HttpRequest) -> HttpResponse:
    """Keys of the organisations a coordinator or an organisation's administrator manages."""
    return _keys_page(request, OrganisationKeyForm(organisations=_key_organisations(request)))


@login_required
@require_POST
def create_organisation_key(request: HttpRequest) -> HttpResponse:
    organisations = _key_organisations(request)
    form = OrganisationKeyForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return _keys_page(request, form, status=400)
    _key, secret = actions.create_organisation_key(
        organisation=form.cleaned_data["organisation"],
        by=request.user,
        name=form.cleaned_data["name"],
        valid_days=form.cleaned_data["valid_days"],
    )
    # Rendered, not redirected: the key is shown this once and never stored.
    return _keys_page(request, OrganisationKeyForm(organisations=organisations), secret=secret)


@login_required
@require_POST
def revoke_organisation_key(request: HttpRequest, key_id: int) -> HttpResponse:
    key = actions.revoke_organisation_key(key=access.get_organisation_key_for(request.user, key_id))
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("partners:organisation_keys")


def _next_path(request: HttpRequest) -> str:
    """Where to go after the second factor: `next` if it is ours, else home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the authenticator app, or a recovery code."""
    if not user_has_device(request.user):
        return redirect("partners:two_factor_enrol")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_second_factor(request=request, code=form.cleaned_data["code"]):
            return redirect(_next_path(request))
        form.add_error("code", _("Wrong or already used code. Wait a moment and try again."))
    status = 400 if form.errors else 200
    context = {"form": form, "next": _next_path(request)}
    return render(request, "partners/two_factor.html", context, status=status)


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code, then one code from the app to confirm it."""
    # Only a session that has passed its second factor may replace a device:
    # otherwise a stolen password alone would be enough to enrol a new phone.
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect("partners:two_factor")
    form = SecondFactorForm(request.POST or None)
    device = _pending_device(request)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = confirm_totp_enrolment(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes:
            del request.session[ENROLMENT_SESSION_KEY]
            context = {"codes": codes, "next": _next_path(request)}
            return render(request, "partners/recovery_codes.html", context)
        form.add_error("code", _("The code did not match. Check the phone's clock and try again."))
    if device is None or request.method == "GET":
        device = start_totp_enrolment(user=request.user)
        request.session[ENROLMENT_SESSION_KEY] = device.pk
    context = {
        "form": form,
        "next": _next_path(request),
        "qr_svg": _qr_svg(device.config_url),
        # For typing into an app that cannot scan, in groups of four as apps show it.
        "secret": " ".join(textwrap.wrap(b32encode(device.bin_key).decode(), 4)),
    }
    return render(
        request, "partners/two_factor_enrol.html", context, status=400 if form.errors else 200
    )


def _pending_device(request: HttpRequest) -> TOTPDevice | None:
    pk = request.session.get(ENROLMENT_SESSION_KEY)
    return TOTPDevice.objects.filter(user=request.user, pk=pk, confirmed=False).first()


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    # The SVG is built by qrcode from our own URL, so it is safe to embed.
    return mark_safe(image.to_string(encoding="unicode"))


@login_required
@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("partners:two_factor")
    codes = replace_recovery_codes(user=request.user)
    return render(request, "partners/recovery_codes.html", {"codes": codes, "next": "/profil/"})


def locked_out(
    request: HttpRequest, _original: Any = None, _credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked username: 429 and when to try again, in our words."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


AUDIT_PAGE_SIZE = 100


def _audit_filters(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, Any]]:
    """The filter form bound to the query string, and the filters that passed it."""
    if not access.may_read_audit_log(request.user):
        raise Http404("No audit log")
    form = AuditFilterForm(request.GET, people=audit_people(request.user))
    form.is_valid()
    # A field that failed is left out (and shown as an error); the others still narrow.
    valid = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, valid


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log of the coordinator's municipalities, newest first; read-only for everyone."""
    form, filters = _audit_filters(request)
    events = filtered_audit_events(request.user, **filters)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "entries": audit_entries(page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "partners/audit_log.html", context, status=400 if form.errors else 200)


@login_required
def audit_log_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV for the data protection officer; the download is itself logged."""
    form, filters = _audit_filters(request)
    if form.errors:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    content, rows = audit_csv(filtered_audit_events(request.user, **filters))
    name = f"trygg-logg-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    record_audit_export(request=request, file=response["Content-Disposition"], rows=rows)
    return response
