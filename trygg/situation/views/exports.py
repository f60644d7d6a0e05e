"""Downloads of the lägesbild: parse like the page, build the same picture, write a file.

Headers follow `?lang=sv|en` and are Swedish without it, whatever the session's
language: a script that downloads every Monday always gets the same columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation

from trygg.core.downloads import GEOJSON, TABLE_TYPES, attachment, export_language
from trygg.partners.audit import audited_export
from trygg.situation import exports
from trygg.situation.pages import hotspot_features, picture_dict
from trygg.situation.views.asked import Asked, ask


@login_required
@audited_export
def export_table(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The headline and area tables as CSV (`?table=headline` for the headline) or XLSX.

    CSV is for Swedish Excel unless `?format=international` (see exports.CSV_STYLES).
    """
    if fmt not in TABLE_TYPES:
        raise Http404("No such format")
    with translation.override(export_language(request)):
        asked = ask(request, code)
        if asked.errors:
            return asked.refused()
        data = picture_dict(asked.picture)
        headline, areas = exports.headline_table(data), exports.area_table(data)
        if fmt == "xlsx":
            content = exports.xlsx_bytes([headline, areas])
            return attachment(content, TABLE_TYPES[fmt], _name(asked, "", "xlsx"))
        style = exports.CSV_STYLES.get(request.GET.get("format", "excel"))
        if style is None:
            return HttpResponseBadRequest(
                "format: excel or international", content_type="text/plain"
            )
        wants_headline = request.GET.get("table") == "headline"
        table, part = (headline, "oversikt") if wants_headline else (areas, "omraden")
        content = exports.csv_bytes(table, style)
        return attachment(content, TABLE_TYPES[fmt], _name(asked, part, "csv"))


def _areas(request: HttpRequest, asked: Asked) -> dict[str, Any]:
    """Every area with its counts and flags for the selection."""
    geometries = {a.pk: (a.name, a.geometry) for a in asked.municipality.areas.all()}
    return exports.area_features(picture_dict(asked.picture), geometries)


def _hotspots(request: HttpRequest, asked: Asked) -> dict[str, Any]:
    """The map's significant Gi* cells for the selection."""
    return hotspot_features(asked.picture)


def _points(request: HttpRequest, asked: Asked) -> dict[str, Any]:
    """The period's report points the user may see, free text only where allowed (no picture)."""
    selection = asked.selection
    assert selection is not None
    return exports.point_features(
        request.user, asked.municipality, selection.period, selection.categories
    )


# The GeoJSON downloads by the name their URL ends with.
LAYERS: dict[str, Callable[[HttpRequest, Asked], dict[str, Any]]] = {
    "omraden": _areas,
    "hotspots": _hotspots,
    "punkter": _points,
}


@login_required
@audited_export
def export_layer(request: HttpRequest, code: str, layer: str) -> HttpResponse:
    """One of LAYERS as a GeoJSON file for the page's query."""
    if layer not in LAYERS:
        raise Http404("No such layer")
    asked = ask(request, code)
    if asked.errors:
        return asked.refused()
    features = LAYERS[layer](request, asked)
    return _geojson(features, _name(asked, layer, "geojson"))


def _name(asked: Asked, part: str, ext: str) -> str:
    """lagesbild-2380-2026-W47-omraden.csv: municipality, period, filter, content."""
    selection = asked.selection
    assert selection is not None
    code = asked.municipality.code
    return exports.filename(code, selection.period.key, selection.categories, part, ext)


def _geojson(value: dict[str, Any], name: str) -> HttpResponse:
    content = json.dumps(value, ensure_ascii=False).encode("utf-8")
    return attachment(content, GEOJSON, name)
