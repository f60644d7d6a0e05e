"""JSON twin of the public citizen-promise page: the same dict, no token needed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from trygg.core.schemas import ErrorOut
from trygg.promises import public
from trygg.promises.schemas import PromisesOut, PromisesParams
from trygg.responses import CONTENT_TYPE, encode

router = Router(tags=["promises"])


@router.get("/promises", auth=None, response={200: PromisesOut, 404: ErrorOut, 422: ErrorOut})
def promises(request: HttpRequest, params: Query[PromisesParams]) -> HttpResponse:
    """The citizen promises of a municipality, as /medborgarloften/<code>/ shows them.

    Public, no token: the promise in force in full (commitments, activities,
    indicators against their targets, follow-ups) and the previous periods in
    brief. Never a draft. 404 for an unknown municipality code.
    """
    municipality = public.get_municipality(params.municipality)
    data = public.municipality_page(municipality, timezone.localdate())
    # Not run through PromisesOut here (a third of the answer's time at 50 indicators):
    # tests/promises/test_public.py checks the dict is exactly of that shape.
    return HttpResponse(encode(data), content_type=CONTENT_TYPE)
