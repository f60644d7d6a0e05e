"""What a lägesbild request asks for: the parsed query (period, categories) and its picture.

Every view that takes the page's query (`period`, or `from` and `to`; `category`)
starts here, so a bad query is refused alike everywhere: 400, naming the control
at fault (as text, as JSON, or on the page beside the control).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from trygg.core.errors import InputRejected
from trygg.partners.models import Municipality
from trygg.situation.access import get_partnership_for
from trygg.situation.cache import Kept, kept_for
from trygg.situation.forms import Selection, parse_selection
from trygg.situation.picture import Picture


@dataclass
class Asked:
    municipality: Municipality
    selection: Selection | None  # None when the query was refused
    errors: dict[str, str] = field(default_factory=dict)  # message per refused control

    @cached_property
    def kept(self) -> Kept:
        """The kept picture of the selection, with its renders (charts, PDF)."""
        assert self.selection is not None, "no picture for a refused query"
        return kept_for(self.municipality, self.selection.period, self.selection.categories)

    @property
    def picture(self) -> Picture:
        return self.kept.picture

    def refused(self) -> HttpResponse:
        """A plain-text 400 naming each refused control, for downloads and documents."""
        text = "; ".join(f"{name}: {message}" for name, message in self.errors.items())
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")

    def refused_json(self) -> JsonResponse:
        return JsonResponse({"errors": self.errors}, status=400)


def ask(request: HttpRequest, code: str) -> Asked:
    """What `request` asks of the picture of partnership `code` (404 for non-members)."""
    return ask_about(request, get_partnership_for(request.user, code))


def ask_about(request: HttpRequest, municipality: Municipality) -> Asked:
    """The query of `request` parsed for `municipality`; refused, not raised, when it is bad."""
    try:
        return Asked(municipality, parse_selection(municipality, request.GET))
    except InputRejected as rejected:
        return Asked(municipality, None, {e.field: e.message for e in rejected.errors})
