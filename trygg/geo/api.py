"""JSON endpoint for areas, as GeoJSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from trygg.core.schemas import ErrorOut, FeatureCollection
from trygg.geo.access import visible_areas

router = Router(tags=["areas"])


@router.get("/areas", response={200: FeatureCollection, 401: ErrorOut})
def list_areas(request: HttpRequest, municipality: str | None = None) -> dict[str, Any]:
    """Areas of the municipalities you are a member of, as a GeoJSON FeatureCollection."""
    areas = visible_areas(request.auth).select_related("municipality")
    if municipality:
        areas = areas.filter(municipality__code=municipality)
    features = [
        {
            "type": "Feature",
            "id": area.pk,
            "geometry": area.geometry,
            "properties": {
                "id": area.pk,
                "name": area.name,
                "kind": area.kind,
                "municipality": area.municipality.code,
                "deso_code": area.deso_code,
                "regso_code": area.regso_code,
                "demo": area.municipality.is_demo,
            },
        }
        for area in areas
    ]
    return {"type": "FeatureCollection", "features": features}
