"""The public lägesbild (no login), and the coordinators' preview, publish and withdraw pages.

What the public sees is explained in `trygg.situation.public`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trygg.partners.models import Municipality
from trygg.situation.access import get_partnership_for, may_coordinate, publication_of
from trygg.situation.actions import (
    PublicationRefused,
    publish_period,
    refusal,
    unpublish_period,
)
from trygg.situation.cache import picture_for
from trygg.situation.pages import digest, public_version
from trygg.situation.periods import Period, PeriodError, parse_period
from trygg.situation.public import published_periods, published_picture

View = Callable[[HttpRequest, str], HttpResponse]


def public_index(request: HttpRequest, code: str) -> HttpResponse:
    """The published periods of a municipality, newest first."""
    municipality = get_object_or_404(Municipality, code=code)
    context = {
        "municipality": municipality,
        "periods": published_periods(municipality),
        "public_demo": municipality.is_demo,
    }
    return render(request, "situation/public_index.html", context)


def public_period(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """A published period as an HTML table: area and count."""
    data = published_picture(code, key)
    json_url = reverse("public:period_json", args=[code, key])
    return render(request, "situation/public_period.html", {"data": data, "json_url": json_url})


def public_period_json(request: HttpRequest, code: str, key: str) -> JsonResponse:
    """The same published period as JSON."""
    return JsonResponse(published_picture(code, key), json_dumps_params={"ensure_ascii": False})


def _coordinated(request: HttpRequest, code: str) -> Municipality:
    """The partnership, if `request.user` coordinates it (403 for other members, 404 else)."""
    municipality = get_partnership_for(request.user, code)
    if not may_coordinate(request.user, municipality):
        raise PermissionDenied("Only coordinators publish")
    return municipality


def _refuses_bad_period(view: View) -> View:
    """A `period` that does not parse (`_period`) is a plain-text 400 that says why."""

    @wraps(view)
    def checked(request: HttpRequest, code: str) -> HttpResponse:
        try:
            return view(request, code)
        except PeriodError as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")

    return checked


def _period(source: Any) -> Period:
    return parse_period(source.get("period", ""))


def _coordinated_period(request: HttpRequest, code: str, query: Any) -> tuple[Municipality, Period]:
    """The partnership a coordinator (un)publishes for, then the period `query` names."""
    return _coordinated(request, code), _period(query)


def _page_of(code: str, period: Period) -> str:
    return reverse("situation:page", args=[code]) + "?" + urlencode({"period": period.key})


def _publishing_context(municipality: Municipality, period: Period, **more: Any) -> dict[str, Any]:
    """What every (un)publishing page shows: whose period, which one, and the way back."""
    back = _page_of(municipality.code, period)
    return {"municipality": municipality, "period": period, "back": back, **more}


@login_required
@require_GET
@_refuses_bad_period
def publish_preview(request: HttpRequest, code: str) -> HttpResponse:
    """What publishing `period` would show, beside the partnership's numbers, and a button."""
    municipality, period = _coordinated_period(request, code, request.GET)
    public = public_version(municipality, period)
    partnership = picture_for(municipality, period, ())
    inside = {a.name: a.total.current for a in partnership.areas if a.area_id}
    context = _publishing_context(
        municipality, period,
        data=public,
        rows=[(area, inside.get(area["name"], 0)) for area in public["areas"]],
        partnership_total=partnership.total.current,
        digest=digest(public),
        refusal=refusal(municipality, period, timezone.localdate()),
    )  # fmt: skip
    return render(request, "situation/publish_preview.html", context)


@login_required
@require_POST
@_refuses_bad_period
def publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish the previewed numbers of a period: coordinators only."""
    municipality, period = _coordinated_period(request, code, request.POST)
    try:
        publish_period(
            municipality=municipality,
            period=period,
            by=request.user,
            previewed=request.POST.get("digest", ""),
        )
    except PublicationRefused as refused:
        messages.error(request, str(refused))
        preview = reverse("situation:publish_preview", args=[code])
        return redirect(preview + "?" + urlencode({"period": period.key}))
    messages.success(request, _("Period %(key)s is published.") % {"key": period.key})
    return redirect(_page_of(code, period))


@login_required
@require_GET
@_refuses_bad_period
def unpublish_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Are you sure? Withdrawing is for good: the period can never be published again."""
    municipality, period = _coordinated_period(request, code, request.GET)
    publication = publication_of(municipality, period.key)
    if publication is None or publication.is_withdrawn:
        raise Http404("Not published")
    context = _publishing_context(municipality, period, publication=publication)
    return render(request, "situation/unpublish_confirm.html", context)


@login_required
@require_POST
@_refuses_bad_period
def unpublish(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw a published period: coordinators only; the record of it stays."""
    municipality, period = _coordinated_period(request, code, request.POST)
    try:
        unpublish_period(municipality=municipality, period=period, by=request.user)
    except PublicationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Period %(key)s is no longer published.") % {"key": period.key})
    return redirect(_page_of(code, period))
