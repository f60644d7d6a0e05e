"""The lägesbild's charts as SVG and the whole picture as PDF, for members only.

Both take the page's query (period, or from and to; category) and draw from
one `Picture`, the same the page and the API show.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from trygg.measures.pages import slot_for
from trygg.partners.audit import audited_export
from trygg.partners.models import Municipality
from trygg.policeevents import pages as police
from trygg.situation import charts, staticmap
from trygg.situation.access import assessment_of
from trygg.situation.cache import Kept
from trygg.situation.pdf import render_pdf
from trygg.situation.picture import Picture
from trygg.situation.views.asked import ask

Chart = Callable[[Picture, Municipality], str]
CHARTS: dict[str, Chart] = {
    "trend": lambda picture, _m: charts.trend_svg(picture),
    "trend-smal": lambda picture, _m: charts.trend_narrow_svg(picture),
    "timeofweek": lambda picture, _m: charts.time_of_week_svg(picture),
    "karta": lambda picture, m: staticmap.static_map_svg(picture, staticmap.load_shapes(m)),
}
# An SVG opened on its own is a document that could run script: forbid all of it.
# matplotlib embeds raster parts (the density layer) as data: images.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


# The charts the PDF embeds (the narrow trend is for phones only).
PDF_CHARTS = ("karta", "timeofweek", "trend")


def chart_svg(kept: Kept, municipality: Municipality, name: str) -> str:
    """A chart of the kept picture, drawn once and kept with it for the page and the PDF."""
    draw = CHARTS[name]
    return kept.render(("svg", name), lambda picture: draw(picture, municipality))


@login_required
@require_GET
def chart(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """One chart of the lägesbild as SVG: trend, timeofweek or karta."""
    if name not in CHARTS:
        raise Http404("No such chart")
    asked = ask(request, code)
    if asked.errors:
        return asked.refused()
    svg = chart_svg(asked.kept, asked.municipality, name)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SVG_POLICY
    # A partnership's counts: never kept (the middleware says so for every logged-in answer).
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
@audited_export
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The lägesbild as a PDF document for the meeting, downloaded as a file."""
    asked = ask(request, code)
    if asked.errors:
        return asked.refused()
    kept, municipality, picture = asked.kept, asked.municipality, asked.picture
    assessment = assessment_of(municipality, picture.period)
    svgs = {name: chart_svg(kept, municipality, name) for name in PDF_CHARTS}
    measures = slot_for(municipality, request.user, timezone.localdate())
    # The document is kept too: a repeat download with the assessment and the measures
    # slot unchanged is not laid out again (the slot is the reader's own view).
    version = (assessment.pk, assessment.updated_at) if assessment else None
    police_events = police.slot_for(municipality, picture.period)
    slot_key = json.dumps([measures, police_events], sort_keys=True, default=str)
    data = kept.render(
        ("pdf", version, slot_key),
        lambda p: render_pdf(
            p, assessment, svgs=svgs, measures=measures, police_events=police_events
        ),
    )
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"lagesbild-{picture.municipality_code}-{picture.period.key}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
