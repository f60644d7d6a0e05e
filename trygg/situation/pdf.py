"""The lägesbild as a PDF for the meeting: WeasyPrint from an HTML template.

Every number and chart comes from the one `Picture` given, so the document
says exactly what the page and the API say for the same selection.
"""

from __future__ import annotations

import base64
import math
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from trygg.partners.models import Municipality
from trygg.situation import charts, staticmap
from trygg.situation.models import Assessment
from trygg.situation.picture import AreaLine, Comparison, Picture
from trygg.situation.wording import FALLING, KINDS, RISING, change_text, mark_of

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()


def decimal(value: float) -> str:
    """A mean as the picture rounds it (two decimals), without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def comparison_row(name: str, c: Comparison, colour: str = "") -> dict[str, Any]:
    """One table row: the counts, and the one mark of wording.py with its change."""
    mark = mark_of(c)
    return {
        "name": name,
        "colour": colour,
        "current": c.current,
        "mean": decimal(c.baseline_mean),
        "last_year": c.last_year,
        "change": mark.change,
        "mark": mark.arrow,
        "verdict": mark.word,
        "significant": mark.significant,
        "css": mark.css,
    }


def rising_rows(picture: Picture) -> list[dict[str, Any]]:
    """The page's "new or rising" list, formatted for the document."""
    return [
        {
            "area": r.area_name or _("Outside every area"),
            "group": r.group_name,
            "current": r.current,
            "expected": decimal(r.expected),
            "change": change_text(r.current, r.expected),
        }
        for r in picture.rising
    ]


def area_rows(picture: Picture) -> list[dict[str, Any]]:
    """The area × group table: count per group, rising cells marked."""
    return [_area_row(picture, line) for line in picture.areas]


def _area_row(picture: Picture, line: AreaLine) -> dict[str, Any]:
    cells = []
    for group in picture.groups:
        cell = line.cells.get(group.code)
        mark = mark_of(cell) if cell else None
        cells.append(
            {
                "current": cell.current if cell else 0,
                "mark": mark.arrow if mark else "",
                "rising": mark is not None and mark.code == RISING.code,
            }
        )
    return {
        "name": line.name or _("Outside every area"),
        "cells": cells,
        **{k: v for k, v in comparison_row("", line.total).items() if k != "name"},
    }


def css_string(text: str) -> str:
    """`text` safe inside a double-quoted CSS string in a <style> element.

    Everything but letters, digits and spaces becomes a CSS hex escape, so
    neither a quote nor a "</style>" in a municipality's name can break out.
    """
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)
    return mark_safe(escaped)  # escaped above; HTML escaping would corrupt the CSS


def svg_data_uri(svg: str) -> str:
    """An SVG as a data URI: each chart keeps its own ids, and nothing is fetched."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


class LocalOnlyFetcher(URLFetcher):
    """Refuses every URL but data URIs and files under Trygg's own static folder.

    A PDF must never reach the network (none is reachable in tests, and a
    fetched URL could leak which picture is being made).
    """

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:") or _is_static_file(url):
            return super().fetch(url, headers)
        raise ValueError(f"the PDF may not fetch {url}")


def _is_static_file(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    # Resolved, so neither "..", an encoded "%2e%2e" nor a symlink leads out.
    return Path(url2pathname(parts.path)).resolve().is_relative_to(STATIC_DIR)


def draw_charts(picture: Picture, shapes: Any) -> dict[str, str]:
    """The three charts as SVG, drawn from `picture` (the PDF's view takes the kept ones)."""
    return {
        "karta": staticmap.static_map_svg(picture, shapes),
        "timeofweek": charts.time_of_week_svg(picture),
        "trend": charts.trend_svg(picture),
    }


PDF_POLICE_WEEKS = 13


def pdf_context(
    picture: Picture,
    assessment: Assessment | None,
    svgs: dict[str, str],
    measures: Any = None,
    police_events: Any = None,
) -> dict[str, Any]:
    """Everything the template shows, formatted, from the one picture, its charts and the
    measures and police slots."""
    return {
        "measures": measures,
        "police_events": police_events,
        # A quarter's weeks fit across the page; a longer period shows the totals.
        "police_weekly": bool(police_events) and len(police_events["weeks"]) <= PDF_POLICE_WEEKS,
        "picture": picture,
        "assessment": assessment,
        "baseline_first": picture.baseline[-1].key,
        "baseline_last": picture.baseline[0].key,
        "footer": css_string(f"Trygg · {picture.municipality_name} · {picture.period.key}"),
        "page_word": css_string(_("Page")),
        "generated": timezone.localtime(),
        "headline": [comparison_row(g.name, g.comparison, g.colour) for g in picture.groups],
        "total": comparison_row(_("All groups"), picture.total),
        "areas": area_rows(picture),
        "rising": rising_rows(picture),
        "mark_kinds": KINDS,
        "rising_mark": RISING,
        "falling_mark": FALLING,
        "map": svg_data_uri(svgs["karta"]),
        "time_of_week": svg_data_uri(svgs["timeofweek"]),
        "trend": svg_data_uri(svgs["trend"]),
        "hotspot_count": sum(1 for h in picture.hotspots if h.level > 0),
        "wide_table": len(picture.groups) > 6,
        "ratio_unbounded": not math.isfinite(picture.total.ratio),
    }


def render_pdf(
    picture: Picture,
    assessment: Assessment | None,
    shapes: staticmap.MapShapes | None = None,
    *,
    svgs: dict[str, str] | None = None,
    measures: dict[str, Any] | None = None,
    police_events: dict[str, Any] | None = None,
) -> bytes:
    """The lägesbild of `picture` as PDF bytes.

    `svgs`: the charts already drawn from this picture (views.documents.chart_svg keeps
    them); drawn here when not given, with the map's shapes loaded if not given.
    `measures`: the measures slot as the reader may see it; `police_events`: the police
    slot (policeevents.pages.slot_for).
    """
    if svgs is None:
        if shapes is None:
            municipality = Municipality.objects.get(code=picture.municipality_code)
            shapes = staticmap.load_shapes(municipality)
        svgs = draw_charts(picture, shapes)
    context = pdf_context(picture, assessment, svgs, measures, police_events)
    html = render_to_string("situation/pdf.html", context)
    document = HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher())
    return bytes(document.write_pdf())
