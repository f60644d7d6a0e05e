"""What an Open311 client sends, parsed: the query of GET /requests and the body of a POST.

A parameter sent empty counts as one not sent (the spec's rule for every
optional argument; common clients send `jurisdiction_id=`). Bad values are
an Open311Error (400) naming the parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.open311.protocol import Open311Error

# The spec's defaults: a span of 90 days, the first 1,000 requests.
MAX_SPAN = timedelta(days=90)
MAX_PAGE_SIZE = 1000
STATUSES = frozenset({"open", "closed"})
TRUE = frozenset({"true", "1", "yes", "on"})


def param(query: Any, name: str) -> str | None:
    """The parameter's value, stripped; None when absent or empty."""
    value = query.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _csv(query: Any, name: str) -> list[str]:
    value = param(query, name)
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


def _moment(query: Any, name: str) -> datetime | None:
    """A W3C datetime (a date alone is its local midnight); a time without zone is local."""
    value = param(query, name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        if not 1900 <= moment.year <= 2200:
            raise ValueError(value)
    except ValueError:
        raise Open311Error(
            400, _("Not a W3C date and time (like 2026-11-30T08:00:00Z)."), name
        ) from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment


def _count(query: Any, name: str, default: int, top: int) -> int:
    value = param(query, name)
    if value is None:
        return default
    if not re.fullmatch(r"\d{1,7}", value) or not 1 <= int(value) <= top:
        raise Open311Error(400, _("A whole number from 1 to %(top)d.") % {"top": top}, name)
    return int(value)


def _window(query: Any, start_name: str, end_name: str, now: datetime) -> tuple[datetime, datetime]:
    """A span of at most 90 days; the side not given is 90 days from the other (or now)."""
    start, end = _moment(query, start_name), _moment(query, end_name)
    if start is None and end is None:
        return now - MAX_SPAN, now
    if start is None:
        assert end is not None
        return end - MAX_SPAN, end
    if end is None:
        return start, start + MAX_SPAN
    if end < start:
        raise Open311Error(
            400, _("Must not be before %(other)s.") % {"other": start_name}, end_name
        )
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("The span may be at most 90 days."), end_name)
    return start, end


def _bbox(query: Any) -> tuple[float, float, float, float] | None:
    """`bbox=west,south,east,north` in WGS84 degrees (long1,lat1,long2,lat2)."""
    parts = _csv(query, "bbox")
    if not parts:
        return None
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise Open311Error(400, _("Four numbers: west,south,east,north."), "bbox") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise Open311Error(400, _("Four numbers: west,south,east,north."), "bbox")
    return west, south, east, north


@dataclass(frozen=True)
class RequestQuery:
    """GET /requests: either ids (which override every other filter) or the filters."""

    ids: tuple[str, ...]
    service_codes: tuple[str, ...]
    statuses: tuple[str, ...]
    requested: tuple[datetime, datetime] | None
    updated: tuple[datetime, datetime] | None
    bbox: tuple[float, float, float, float] | None
    page: int
    page_size: int
    extensions: bool


def extensions_asked(query: Any) -> bool:
    """`extensions=true` (or a list of them, as CitySDK clients send) asks for them."""
    value = (param(query, "extensions") or "").lower()
    return bool(value) and value not in {"false", "0", "no", "off"}


def request_query(query: Any, now: datetime | None = None) -> RequestQuery:
    """The parsed query of GET /requests, with the spec's defaults and limits."""
    now = now or timezone.now()
    page = _count(query, "page", 1, 1_000_000)
    page_size = _count(query, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    extensions = extensions_asked(query)
    ids = tuple(_csv(query, "service_request_id"))
    if ids:
        return RequestQuery(ids, (), (), None, None, None, page, page_size, extensions)
    statuses = tuple(s.lower() for s in _csv(query, "status"))
    if not set(statuses) <= STATUSES:
        raise Open311Error(400, _("open, closed or both, separated by a comma."), "status")
    by_update = param(query, "updated_after") or param(query, "updated_before")
    by_request = param(query, "start_date") or param(query, "end_date") or not by_update
    return RequestQuery(
        ids=(),
        service_codes=tuple(_csv(query, "service_code")),
        statuses=statuses,
        requested=_window(query, "start_date", "end_date", now) if by_request else None,
        updated=_window(query, "updated_after", "updated_before", now) if by_update else None,
        bbox=_bbox(query),
        page=page,
        page_size=page_size,
        extensions=extensions,
    )


def updates_window(query: Any, now: datetime | None = None) -> tuple[datetime, datetime]:
    """GET /servicerequestupdates: start_date/end_date, at most 90 days, default the last 90."""
    return _window(query, "start_date", "end_date", now or timezone.now())


# POST /requests: Open311's names for our report fields. The reporter's name,
# email, phone, device and account are never stored: Trygg keeps nothing about
# individuals, and the report is filed by the key holder for his organisation.
ATTRIBUTES = ("place_type", "persons", "creates_insecurity", "sharing", "occurred_at")
OUR_NAMES = {"category": "service_code", "lat": "lat", "lon": "long", "address": "address_string"}
PHOTO_FIELDS = ("media", "photo", "photo1")


def open311_name(field: str) -> str:
    """The Open311 parameter that carried our report field `field`."""
    if field in ATTRIBUTES:
        return f"attribute[{field}]"
    if field == "photo":
        return "media"
    return OUR_NAMES.get(field, field)


def report_data(body: Any) -> dict[str, Any]:
    """The report as submit_report takes it, from a POST's form fields.

    `attribute[code]=value` sets the extra fields the service definition
    lists; any other attribute is refused, by name, rather than lost.
    """
    if param(body, "service_code") is None:
        raise Open311Error(400, _("Required."), "service_code")
    data: dict[str, Any] = {
        "category": param(body, "service_code"),
        "lat": param(body, "lat"),
        "lon": param(body, "long"),
        "address": param(body, "address_string"),
        "description": param(body, "description"),
    }
    for key in body:
        match = re.fullmatch(r"attribute\[([^\]]*)\](\[\])?", key)
        if match is None:
            continue
        code = match.group(1)
        if code not in ATTRIBUTES:
            raise Open311Error(400, _("Not an attribute of this service."), key)
        data[code] = param(body, key)
    return {key: value for key, value in data.items() if value is not None}


def photo_of(files: Any) -> Any:
    """The uploaded photo, under the names clients use (media; FixMyStreet's photo1)."""
    for name in PHOTO_FIELDS:
        if name in files:
            return files[name]
    return None


def area_point(municipality_id: int, name: str) -> tuple[float, float] | None:
    """(lat, lon) surely inside the municipality's area of this name, or None.

    Trygg has no geocoder: an `address_string` without lat/long is taken as
    the name of one of the municipality's areas (any case), and the report is
    placed at a point inside it, which is as precise as such a report is.
    """
    import numpy as np

    from trygg.geo.lookup import geometry_to_sweref
    from trygg.geo.models import Area
    from trygg.geo.projection import to_wgs84

    area = Area.objects.filter(municipality_id=municipality_id, name__iexact=name).first()
    if area is None:
        return None
    point = geometry_to_sweref(area.geometry).representative_point()
    lat, lon = to_wgs84(np.array([point.x]), np.array([point.y]))
    return float(lat[0]), float(lon[0])
