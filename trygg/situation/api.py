"""JSON endpoint of the situational picture: the same data the page shows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from trygg.reports.schemas import ErrorOut
from trygg.situation.access import get_partnership_for
from trygg.situation.cache import picture_for
from trygg.situation.models import Assessment
from trygg.situation.pages import picture_dict
from trygg.situation.schemas import SituationOut, SituationParams
from trygg.situation.selection import parse_selection

router = Router(tags=["situation"])


@router.get("/situation", response={200: SituationOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def situation(request: HttpRequest, params: Query[SituationParams]) -> dict[str, Any]:
    """The lägesbild of a municipality you are a member of.

    Query: `period` (2026-W47, 2026-W46+2, 2026-11, 2026-T3, 2026 or
    2026-11-02..2026-11-15), or `from` and `to` (dates, inclusive); default
    the last complete period of the meeting cadence. `category`: codes,
    comma-separated (a group code includes its sub-categories).
    """
    partnership = get_partnership_for(request.auth, params.municipality)
    selection = parse_selection(partnership, params.model_dump(by_alias=True))
    picture = picture_for(partnership, selection.period, selection.categories)
    assessment = Assessment.objects.filter(
        municipality=partnership, period_key=selection.period.key
    ).first()
    return picture_dict(picture, assessment=assessment.text if assessment else "")
