"""The public lägesbild, and the coordinators' switch that publishes a period.

Anyone may read a published period without logging in. What they see is
`pages.public_dict` of a picture built with `public_only=True`: only reports
whose sharing is "public aggregate", counted per area over every incident
category, 1–4 shown as "<5", no points, no free text. Filters are not offered
on purpose: with a category filter, "all" minus "graffiti" would reveal a
suppressed count by subtraction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.partners.models import Municipality
from trygg.situation.access import get_partnership_for, get_publication, may_coordinate
from trygg.situation.actions import PublicationRefused, publish_period, unpublish_period
from trygg.situation.models import Publication
from trygg.situation.pages import public_dict
from trygg.situation.periods import Period, PeriodError, parse_period
from trygg.situation.picture import build_picture


def _public_picture(code: str, key: str) -> dict[str, Any]:
    """The public version of a published period; 404 if it is not published."""
    publication = get_publication(code, key)
    if publication.snapshot is not None:
        return dict(publication.snapshot)
    # Published before snapshots were kept: computed as of now.
    period = parse_period(publication.period_key)
    return public_dict(build_picture(publication.municipality, period, (), public_only=True))


def _published_periods(municipality: Municipality) -> list[Period]:
    keys = Publication.objects.filter(municipality=municipality).values_list(
        "period_key", flat=True
    )
    periods = []
    for key in keys:
        try:
            periods.append(parse_period(key))
        except PeriodError:
            continue  # a key stored by an older rule; not shown rather than a 500
    return sorted(periods, key=lambda p: (p.start, p.end), reverse=True)


def public_index(request: HttpRequest, code: str) -> HttpResponse:
    """The published periods of a municipality, newest first."""
    municipality = get_object_or_404(Municipality, code=code)
    context = {"municipality": municipality, "periods": _published_periods(municipality)}
    return render(request, "situation/public_index.html", context)


def public_period(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """A published period as an HTML table: area and count."""
    data = _public_picture(code, key)
    json_url = reverse("public:period_json", args=[code, key])
    return render(request, "situation/public_period.html", {"data": data, "json_url": json_url})


def public_period_json(request: HttpRequest, code: str, key: str) -> JsonResponse:
    """The same published period as JSON."""
    return JsonResponse(_public_picture(code, key), json_dumps_params={"ensure_ascii": False})


def _back(request: HttpRequest, code: str) -> str:
    """Where the form came from if it is ours, else the public list."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("public:index", args=[code])


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish or unpublish a period: coordinators only (403 for other members, 404 else)."""
    municipality = get_partnership_for(request.user, code)
    if not may_coordinate(request.user, municipality):
        raise PermissionDenied("Only coordinators publish")
    action = request.POST.get("action", "publish")
    try:
        period = parse_period(request.POST.get("period", ""))
    except PeriodError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    if action == "publish":
        try:
            publish_period(municipality=municipality, period=period, by=request.user)
        except PublicationRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Period %(key)s is published.") % {"key": period.key})
    elif action == "unpublish":
        unpublish_period(municipality=municipality, period=period)
        messages.success(request, _("Period %(key)s is no longer published.") % {"key": period.key})
    else:
        return HttpResponseBadRequest("action: publish or unpublish")
    return redirect(_back(request, code))
