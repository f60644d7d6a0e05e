"""JSON endpoints of measures: parse, ask access, call the actions, respond.

The same rules as the pages (trygg.measures.access): a measure you may not
see is 404, one you see but may not change is 403, a change the rules refuse
is 422 naming the field, in the shape of the reports API.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from trygg.core.errors import FieldError, InputRejected
from trygg.core.schemas import ErrorOut
from trygg.geo.models import Area
from trygg.measures import access, pages
from trygg.measures.actions import (
    MeasureRefused,
    change_status,
    create_measure,
    set_light,
    update_measure,
)
from trygg.measures.models import Measure, MeasureEvent
from trygg.measures.schemas import (
    LightIn,
    MeasureChangeIn,
    MeasureDetailOut,
    MeasureIn,
    MeasureListParams,
    MeasurePage,
    StatusIn,
)
from trygg.partners.access import standing_of
from trygg.partners.models import Municipality, Organisation
from trygg.reports.access import reports_by_id
from trygg.reports.models import Category
from trygg.responses import json_response

router = Router(tags=["measures"])
READ = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}  # 422: an id that is not a number
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _rejected(field: str, message: str) -> InputRejected:
    return InputRejected([FieldError(0, field, message)])


@contextmanager
def _as_422() -> Iterator[None]:
    """A refusal of the actions as the API's 422, naming the field."""
    try:
        yield
    except MeasureRefused as refused:
        raise _rejected(refused.field, str(refused)) from None


def _entry(event: MeasureEvent) -> dict[str, Any]:
    old, new = pages.event_values(event)
    return {"at": event.at.isoformat(),
            "actor": event.actor.get_username() if event.actor else None,
            "field": event.field, "old": old, "new": new, "comment": event.comment,
            "text": pages.event_sentence(event)}  # fmt: skip


def _detail(user: Any, measure: Measure) -> dict[str, Any]:
    notes = access.shows_internal_notes(user, measure)
    data = pages.measure_dict(measure, reader=user, notes=notes, today=timezone.localdate())
    events = measure.history.select_related("actor").order_by("at", "pk")
    data["history"] = [_entry(e) for e in events if notes or e.field != "internal_notes"]
    return data


@router.get("/measures", response={200: MeasurePage, **READ})
def list_measures(request: HttpRequest, params: Query[MeasureListParams]) -> HttpResponse:
    """Measures you may see, overdue first, then by deadline.

    Filters: `municipality` (code), `status` (a status or `open`), `owner`
    (organisation id), `area` (id), `overdue=true`. 422 names a filter it cannot read.
    """
    if not 1 <= params.limit <= 1000:
        raise _rejected("limit", _("Between 1 and 1000."))
    if params.offset < 0:
        raise _rejected("offset", _("0 or more."))
    try:
        chosen = pages.parse_board_filter(params.model_dump())
    except pages.BoardError as bad:
        raise InputRejected([FieldError(0, f, m) for f, m in bad.errors.items()]) from None
    municipality = None
    if params.municipality:
        municipality = access.get_board_municipality(request.auth, params.municipality)
    today = timezone.localdate()
    queryset = pages.board_queryset(request.auth, municipality, chosen, today)
    page = queryset[params.offset : params.offset + params.limit]
    items = [pages.summary_dict(m, today) for m in page]
    return json_response({"items": items, "count": queryset.count()})


@router.get("/measures/{measure_id}", response={200: MeasureDetailOut, **READ})
def get_measure(request: HttpRequest, measure_id: int) -> HttpResponse:
    """One measure with its history; `internal_notes` only for coordinators and the owner."""
    measure = access.get_measure_for(request.auth, measure_id)
    return json_response(_detail(request.auth, measure))


def _municipality_for_create(user: Any, code: str | None) -> Municipality:
    standing = standing_of(user)
    queryset = Municipality.objects.defer("boundary")
    if not standing.is_superuser:
        queryset = queryset.filter(pk__in=standing.coordinator_municipalities())
    if code:
        queryset = queryset.filter(code=code)
    found = list(queryset[:2])
    if len(found) == 1:
        return found[0]
    if code or not found:
        raise HttpError(403, _("Only the municipality's coordinators create measures."))
    raise _rejected("municipality", _("Name the municipality: you coordinate several."))


def _one(model: Any, pk: int | None, municipality: Municipality, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, municipality=municipality).first()
    if found is None:
        raise _rejected(field, _("Choose one of the list."))
    return found


def _linked(payload: MeasureIn, municipality: Municipality) -> dict[str, Any]:
    """The ids of the payload as objects of the municipality; 422 naming the field otherwise."""
    categories = list(Category.objects.filter(code__in=payload.categories))
    if len(categories) != len(set(payload.categories)):
        raise _rejected("categories", _("Choose one of the list."))
    reports = list(reports_by_id(municipality.pk, payload.reports))
    if len(reports) != len(set(payload.reports)):
        raise _rejected("reports", _("No report of this municipality has that id."))
    partners = list(Organisation.objects.filter(pk__in=payload.partners, municipality=municipality))
    if len(partners) != len(set(payload.partners)):
        raise _rejected("partners", _("Choose one of the list."))
    responsible = _one(Organisation, payload.responsible, municipality, "responsible")
    area = _one(Area, payload.area, municipality, "area")
    return {"categories": categories, "reports": reports, "partners": partners,
            "area": area, "responsible": responsible}  # fmt: skip


@router.post("/measures", response={201: MeasureDetailOut, **WRITE})
def create_new_measure(request: HttpRequest, payload: MeasureIn) -> HttpResponse:
    """A new measure, proposed or decided: for the municipality's coordinators (else 403)."""
    municipality = _municipality_for_create(request.auth, payload.municipality)
    linked = _linked(payload, municipality)
    fields = payload.model_dump(exclude={"municipality", *linked})
    fields["cells"] = [dict(c) for c in fields["cells"]]
    with _as_422():
        measure = create_measure(by=request.auth, municipality=municipality, **linked, **fields)
    measure = access.get_measure_for(request.auth, measure.pk)
    return json_response(_detail(request.auth, measure), status=201)


def _changeable(user: Any, measure_id: int) -> Measure:
    measure = access.get_measure_for(user, measure_id)
    if not access.may_change(user, measure):
        raise HttpError(403, _("Only the coordinators and the responsible organisation may."))
    return measure


@router.patch("/measures/{measure_id}", response={200: MeasureDetailOut, **WRITE})
def change_measure(request: HttpRequest, measure_id: int, payload: MeasureChangeIn) -> HttpResponse:
    """Set the measure's categories, partners, linked reports and treated-area polygon.

    Each set is the whole new set; an absent or null one stays as it is. An
    absent polygon stays as it is, a null one is removed. For the coordinators
    and the responsible organisation (else 403); the polygon is the
    coordinators' (403 for the owner). Each change is a history entry. 422
    names the field of an unknown category code, an organisation outside the
    municipality, a report id you may not see (answered exactly like one that
    does not exist), or a polygon the rules refuse.
    """
    measure = _changeable(request.auth, measure_id)
    changes = payload.model_dump(exclude_none=True)
    if "treated_polygon" in payload.model_fields_set:  # null is a change: the polygon goes
        changes["treated_polygon"] = changes.get("treated_polygon")
    allowed = access.editable_fields(request.auth, measure, measure.municipality_id)
    # The owner edits every link of MeasureChangeIn; the polygon alone is the coordinators'.
    if set(changes) - set(allowed):
        raise HttpError(403, _("Only a coordinator changes the treated area polygon."))
    with _as_422():
        update_measure(measure=measure, by=request.auth, **changes)
    return json_response(_detail(request.auth, access.get_measure_for(request.auth, measure.pk)))


@router.post("/measures/{measure_id}/status", response={200: MeasureDetailOut, **WRITE})
def change_measure_status(request: HttpRequest, measure_id: int, payload: StatusIn) -> HttpResponse:
    """Move the measure along its statuses with a comment (a reason when cancelling).

    The responsible organisation moves it forward (decided → ongoing → done);
    deciding and cancelling are the coordinators'. 422 naming `status` for a
    move the model does not allow, `comment` for a cancellation without reason.
    """
    measure = _changeable(request.auth, measure_id)
    if payload.to not in access.statuses_for(request.auth, measure) and measure.can_move_to(
        payload.to
    ):
        raise HttpError(403, _("Only a coordinator decides or cancels a measure."))
    with _as_422():
        change_status(measure=measure, by=request.auth, to=payload.to, comment=payload.comment)
    return json_response(_detail(request.auth, access.get_measure_for(request.auth, measure.pk)))


@router.post("/measures/{measure_id}/light", response={200: MeasureDetailOut, **WRITE})
def set_measure_light(request: HttpRequest, measure_id: int, payload: LightIn) -> HttpResponse:
    """Set the traffic light with a comment (needed for yellow and red; 422 naming `comment`)."""
    measure = _changeable(request.auth, measure_id)
    with _as_422():
        set_light(measure=measure, by=request.auth, light=payload.light, comment=payload.comment)
    return json_response(_detail(request.auth, access.get_measure_for(request.auth, measure.pk)))
