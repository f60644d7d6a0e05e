"""The public pages of citizen promises, under /medborgarloften/: no login, nothing but the public.

What is public is decided in trygg.promises.public; these views parse, call and render.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trygg.promises import public
from trygg.promises.charts import indicator_svg
from trygg.promises.pdf import follow_up_pdf, promise_pdf


def with_charts(promise: dict[str, Any] | None) -> dict[str, Any] | None:
    """The promise's dict with each indicator's chart beside it, for the page and the PDF."""
    if promise is None:
        return None
    charted = [{**i, "chart": indicator_svg(i, n)} for n, i in enumerate(promise["indicators"], 1)]
    return {**promise, "indicators": charted}


@require_GET
def index(request: HttpRequest, code: str) -> HttpResponse:
    """The municipality's current promise in full, its follow-ups and the previous periods."""
    municipality = public.get_municipality(code)
    page = public.municipality_page(municipality, timezone.localdate())
    context = {
        **page,
        "promise": with_charts(page["current"]),
        "is_current": True,
        "public_demo": municipality.is_demo,
        "json_url": f"/api/v1/promises?municipality={municipality.code}",
    }
    return render(request, "promises/public_page.html", context)


@require_GET
def promise(request: HttpRequest, code: str, promise_id: int) -> HttpResponse:
    """One public promise, current or from a previous period."""
    municipality = public.get_municipality(code)
    found = public.get_public_promise(municipality, promise_id)
    data = public.promise_dict(found, timezone.localdate())
    current, _previous = public.current_and_previous(municipality)
    context = {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "promise": with_charts(data),
        "is_current": current is not None and current.pk == found.pk,
        "public_demo": municipality.is_demo,
        "single": True,
    }
    return render(request, "promises/public_page.html", context)


@require_GET
def promise_document(request: HttpRequest, code: str, promise_id: int) -> HttpResponse:
    municipality = public.get_municipality(code)
    found = public.get_public_promise(municipality, promise_id)
    data = with_charts(public.promise_dict(found, timezone.localdate()))
    name = f"medborgarlofte-{municipality.code}-{found.start_year}-{found.end_year}.pdf"
    return _pdf(promise_pdf(municipality, data), name)


@require_GET
def follow_up(request: HttpRequest, code: str, follow_up_id: int) -> HttpResponse:
    """A follow-up as it was written: the narrative and what it froze."""
    municipality = public.get_municipality(code)
    data = public.follow_up_dict(public.get_public_follow_up(municipality, follow_up_id))
    context = {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "follow_up": with_charts(data),
        "public_demo": municipality.is_demo,
    }
    return render(request, "promises/public_follow_up.html", context)


@require_GET
def follow_up_document(request: HttpRequest, code: str, follow_up_id: int) -> HttpResponse:
    municipality = public.get_municipality(code)
    data = with_charts(
        public.follow_up_dict(public.get_public_follow_up(municipality, follow_up_id))
    )
    name = f"medborgarlofte-uppfoljning-{municipality.code}-{data['made_on']}.pdf"
    return _pdf(follow_up_pdf(municipality, data), name)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
