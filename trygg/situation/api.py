"""JSON endpoint of the situational picture: the same data the page shows."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from trygg.core.schemas import ErrorOut
from trygg.measures.pages import slot_for
from trygg.policeevents import pages as police
from trygg.responses import CONTENT_TYPE, encode
from trygg.situation.access import assessment_text, get_partnership_for
from trygg.situation.cache import rendered_for
from trygg.situation.forms import parse_selection
from trygg.situation.pages import picture_dict
from trygg.situation.picture import Picture
from trygg.situation.schemas import SituationOut, SituationParams

router = Router(tags=["situation"])


@router.get("/situation", response={200: SituationOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def situation(request: HttpRequest, params: Query[SituationParams]) -> HttpResponse:
    """The lägesbild of a municipality you are a member of.

    Query: `period` (2026-W47, 2026-W46+2, 2026-11, 2026-T3, 2026 or
    2026-11-02..2026-11-15), or `from` and `to` (dates, inclusive); default
    the last complete period of the meeting cadence. `category`: codes,
    comma-separated (a group code includes its sub-categories). 422 naming
    `period` for a period that has not begun or lies outside 2000–2100.
    """
    partnership = get_partnership_for(request.auth, params.municipality)
    selection = parse_selection(partnership, params.model_dump(by_alias=True))
    text = assessment_text(partnership, selection.period)
    # The measures slot is the reader's (what they may see, as of today): part of the key.
    measures = slot_for(partnership, request.auth, timezone.localdate())
    # The police slot changes with every poll of the feed: part of the key too.
    police_events = police.slot_for(partnership, selection.period)
    # A meeting opens the same week many times over: the JSON is made, and checked
    # against SituationOut, once per kept picture rather than once per request.
    body = rendered_for(
        partnership,
        selection.period,
        selection.categories,
        cache_key(text, measures, police_events),
        lambda picture: _as_json(picture, text, measures, police_events),
    )
    return HttpResponse(body, content_type=CONTENT_TYPE)


def cache_key(
    assessment: str, measures: dict[str, Any], police_events: dict[str, Any] | None = None
) -> tuple[str, ...]:
    """What the kept JSON of a picture depends on besides the picture."""
    return (
        "api",
        assessment,
        json.dumps(measures, sort_keys=True),
        json.dumps(police_events, sort_keys=True),
    )


def _as_json(
    picture: Picture,
    assessment: str,
    measures: dict[str, Any],
    police_events: dict[str, Any] | None = None,
) -> bytes:
    data = picture_dict(
        picture, assessment=assessment, measures=measures, police_events=police_events
    )
    checked = SituationOut.model_validate(data)
    return encode(checked.model_dump())
