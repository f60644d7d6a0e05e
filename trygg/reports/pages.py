"""Read models for the report pages: the plain data a page and its JSON twin share."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time as dt_time
from typing import Any

import numpy as np
import shapely
import shapely.geometry
from django.db.models import Avg, Count, F, FloatField, Func, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.errors import FieldError, InputRejected
from trygg.geo.access import visible_areas
from trygg.geo.lookup import area_index, areas_stamp
from trygg.geo.models import Area
from trygg.geo.projection import to_sweref
from trygg.partners.access import municipalities_for
from trygg.partners.models import Municipality, Organisation
from trygg.reports import access
from trygg.reports.access import (
    record_details_shown,
    reporting_organisations,
    visible_reports,
    wholly_visible,
)
from trygg.reports.filters import ReportFilter
from trygg.reports.models import (
    Category,
    DailyCount,
    Report,
    ReportComment,
    ReportEvent,
    category_tree,
)
from trygg.reports.records import ShownReport, report_feature, shown_reports

# The map draws at most this many points, newest first; more would make a
# phone's browser crawl, and the list below it pages through all of them.
MAP_LIMIT = 5000
# The list's map asks for its view (bbox and zoom). Up to this many matching
# reports it gets them as points (~450 bytes each with their popup); above, a
# count per grid cell (~90 bytes), so the answer stays under ~300 KB however
# many match.
MAP_POINTS = 500
CLUSTER_PX = 64  # a cell is about this many screen pixels wide at the asked zoom
MAX_CELLS_ACROSS = 32  # and the view at most this many cells wide or high
MAX_ZOOM = 22
# Web Mercator: metres per pixel at the equator at zoom 0.
EQUATOR_M_PER_PX = 156_543.03


def outlines(municipalities: Iterable[Municipality]) -> dict[str, Any]:
    """Municipality boundaries and their areas as one GeoJSON FeatureCollection, for a web map."""
    features: list[dict[str, Any]] = []
    for municipality in municipalities:
        features += _outline_features(municipality)
    return {"type": "FeatureCollection", "features": features}


# A web map's outlines: vertices within ~1 m of the line dropped and coordinates
# rounded to 5 decimals (~1 m). A detailed boundary or coastline would otherwise
# put several hundred KB into every page that shows a map, built anew each time.
OUTLINE_TOLERANCE_DEG = 0.00001
_outline_lock = threading.Lock()
_outline_cache: dict[Any, list[dict[str, Any]]] = {}
_points_cache: dict[Any, dict[int, tuple[float, float]]] = {}
OUTLINE_CACHE_SIZE = 64


def _outline_features(municipality: Municipality) -> list[dict[str, Any]]:
    """Kept per municipality while neither it nor any of its areas changes (areas_stamp)."""
    key = (municipality.pk, municipality.updated_at, *areas_stamp(municipality))
    with _outline_lock:
        kept = _outline_cache.get(key)
    if kept is not None:
        return kept
    features = (
        [
            {
                "type": "Feature",
                "geometry": _for_web(municipality.boundary),
                "properties": {
                    "kind": "boundary",
                    "name": municipality.name,
                    "municipality": municipality.pk,
                },
            }
        ]
        if municipality.boundary
        else []
    )
    features += [
        {
            "type": "Feature",
            "geometry": _for_web(geometry),
            "properties": {"kind": "area", "name": name, "municipality": municipality.pk},
        }
        for name, geometry in Area.objects.filter(municipality=municipality).values_list(
            "name", "geometry"
        )
    ]
    with _outline_lock:
        if len(_outline_cache) >= OUTLINE_CACHE_SIZE:
            _outline_cache.clear()
        _outline_cache[key] = features
    return features


def _for_web(geometry: dict[str, Any]) -> dict[str, Any]:
    shape = shapely.geometry.shape(geometry)
    simpler = shape.simplify(OUTLINE_TOLERANCE_DEG, preserve_topology=True)
    if simpler.is_empty:  # a sliver thinner than the tolerance: keep it as it was
        return geometry
    rounded = shapely.transform(simpler, lambda xy: np.round(xy, 5))
    return dict(shapely.geometry.mapping(rounded))


def map_features(
    user: Any, report_filter: ReportFilter, *, ids: list[Any] | None = None
) -> dict[str, Any]:
    """The filtered reports `user` may see as GeoJSON points, newest first, capped.

    `ids`: only these (already found among the filtered visible ones).
    """
    chosen = report_filter.apply(visible_reports(user))
    if ids is not None:
        chosen = chosen.filter(pk__in=ids)
    return point_collection(user, chosen)


def point_collection(user: Any, chosen: QuerySet[Report]) -> dict[str, Any]:
    """`chosen` (already among those `user` may see) as GeoJSON points, newest first, capped.

    The report map and the lägesbild's point export both answer with this.
    Free text only where `record_details_shown` allows, which audits it.
    """
    reports = list(
        chosen.select_related("category", "area")
        .defer("area__geometry")
        .order_by("-occurred_at", "-id")[: MAP_LIMIT + 1]
    )
    truncated = len(reports) > MAP_LIMIT
    shown = list(reports[:MAP_LIMIT])
    features = [report_feature(s) for s in shown_reports(shown, record_details_shown(user, shown))]
    return {
        "type": "FeatureCollection",
        "features": features,
        "limit": MAP_LIMIT,
        "truncated": truncated,
    }


def parse_zoom(raw: str | None) -> int | None:
    """The map's zoom level from the query, or None when the request names none."""
    if raw in (None, ""):
        return None
    try:
        zoom = int(str(raw))
    except ValueError:
        zoom = -1
    if not 0 <= zoom <= MAX_ZOOM:
        raise InputRejected([FieldError(0, "zoom", _("Give a zoom level from 0 to 22."))])
    return zoom


def map_view(user: Any, report_filter: ReportFilter, zoom: int) -> dict[str, Any]:
    """What the list's map shows in its view: points when few match, counts per cell when many.

    Only reports `user` may see are counted (visible_reports), and a cell
    carries nothing but its count and the mean position of those reports,
    which the user may see one by one anyway; no free text, so no audit.
    """
    if report_filter.bbox is None:
        raise InputRejected([FieldError(0, "bbox", _("A zoom level needs a bbox."))])
    matching = report_filter.apply(visible_reports(user)).order_by()
    ids = list(matching.values_list("pk", flat=True)[: MAP_POINTS + 1])
    if len(ids) <= MAP_POINTS:
        data = map_features(user, ReportFilter(), ids=ids)
        return data | {"clustered": False, "limit": MAP_POINTS, "total": len(ids)}
    cell = cell_size_m(report_filter.bbox, zoom)
    by_area = _area_features(user, report_filter, cell)
    if by_area is None:
        grouping, features = "grid", _cell_features(matching, cell)
    else:
        grouping, features = "area", by_area
    return {
        "type": "FeatureCollection",
        "features": features,
        "clustered": True,
        "grouping": grouping,
        "cell_m": cell,
        "total": sum(f["properties"]["count"] for f in features),
        "limit": MAP_POINTS,
        "truncated": False,
    }


def _count_feature(n: int, lat: float, lon: float) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {"count": n},
    }


def _cell_features(matching: QuerySet[Report], cell: int) -> list[dict[str, Any]]:
    """Counts per SWEREF grid cell, at the mean position of the cell's reports."""
    cells = (
        matching.annotate(cx=_CellIndex(F("x"), cell), cy=_CellIndex(F("y"), cell))
        .values("cx", "cy")
        .annotate(n=Count("id"), lat=Avg("lat"), lon=Avg("lon"))
        .values_list("n", "lat", "lon")
    )
    return [_count_feature(n, lat, lon) for n, lat, lon in cells]


def _area_features(
    user: Any, report_filter: ReportFilter, cell: int
) -> list[dict[str, Any]] | None:
    """Counts per area from the daily rollup, or None where the rollup cannot answer exactly.

    The view scans no report when it holds whole municipalities: a count per area
    and day is then exactly the filter's, for the sharing levels of which the
    viewer may see every report (access.wholly_visible); their own
    organisation's other reports are counted from the table. An organisation or
    source filter, or a time that is not a whole local day, the rollup does not
    hold.
    """
    f = report_filter
    if f.organisation or f.source or not (_whole_day(f.since) and _whole_day(f.until)):
        return None
    slices, rest = wholly_visible(user)
    rest = f.apply(rest)
    places = set(slices) | set(rest.values_list("municipality_id", flat=True).distinct())
    if not slices or not _holds_all(f.bbox, places):
        return None
    counts = _rollup_counts(slices, f)
    for area_id, n in rest.values_list("area_id").annotate(n=Count("id")):
        counts[area_id or 0] = counts.get(area_id or 0, 0) + n
    points = _area_points(places)
    features = [_count_feature(n, *points[a]) for a, n in counts.items() if n and a in points]
    if counts.get(0):
        # Reports outside every area have no area to stand for them: cells of their own,
        # looked for only when the rollup says there are some.
        outside = f.apply(visible_reports(user)).order_by().filter(area=None)
        features += _cell_features(outside, cell)
    return features


def _whole_day(moment: Any) -> bool:
    return moment is None or timezone.localtime(moment).time() == dt_time()


def _holds_all(bbox: Any, municipality_ids: set[int]) -> bool:
    """True if the view contains the outline of every one of the municipalities."""
    west, south, east, north = bbox
    for boundary in Municipality.objects.filter(pk__in=municipality_ids).values_list(
        "boundary", flat=True
    ):
        if not boundary:
            return False
        x0, y0, x1, y1 = shapely.geometry.shape(boundary).bounds
        if not (west <= x0 and south <= y0 and x1 <= east and y1 <= north):
            return False
    return bool(municipality_ids)


def _rollup_counts(slices: dict[int, tuple[str, ...]], f: ReportFilter) -> dict[int, int]:
    rule = Q()
    for municipality_id, levels in slices.items():
        rule |= Q(municipality_id=municipality_id, sharing__in=levels)
    rows = DailyCount.objects.filter(rule)
    if f.since:
        rows = rows.filter(day__gte=timezone.localtime(f.since).date())
    if f.until:
        rows = rows.filter(day__lt=timezone.localtime(f.until).date())
    if f.categories:
        codes = list(f.categories)
        rows = rows.filter(Q(category__code__in=codes) | Q(category__group__code__in=codes))
    if f.area:
        rows = rows.filter(area_key=f.area)
    totals = rows.order_by().values_list("area_key").annotate(n=Sum("n"))
    return {int(area): int(n) for area, n in totals}


def _area_points(municipality_ids: set[int]) -> dict[int, tuple[float, float]]:
    """(lat, lon) of a point inside each area, kept while the areas stay as they are."""
    key = ("points", *sorted(municipality_ids))
    key += tuple(areas_stamp(m) for m in sorted(municipality_ids))
    with _outline_lock:
        kept = _points_cache.get(key)
    if kept is None:
        kept = {}
        for pk, geometry in Area.objects.filter(municipality__in=municipality_ids).values_list(
            "pk", "geometry"
        ):
            point = shapely.geometry.shape(geometry).representative_point()
            kept[pk] = (point.y, point.x)
        with _outline_lock:
            if len(_points_cache) >= OUTLINE_CACHE_SIZE:
                _points_cache.clear()
            _points_cache[key] = kept
    return kept


def cell_size_m(bbox: tuple[float, float, float, float], zoom: int) -> int:
    """Grid cell side in SWEREF metres: CLUSTER_PX at `zoom`, a power of two so levels nest.

    At least 1/MAX_CELLS_ACROSS of the view, so a wide view at a high zoom
    cannot ask for a million cells.
    """
    west, south, east, north = bbox
    latitude = math.radians(max(-85.0, min(85.0, (south + north) / 2)))
    per_px = EQUATOR_M_PER_PX * math.cos(latitude) / 2**zoom
    across = max((east - west) * 111_320 * math.cos(latitude), (north - south) * 110_574)
    wanted = max(CLUSTER_PX * per_px, across / MAX_CELLS_ACROSS, 1.0)
    return int(2 ** math.ceil(math.log2(wanted)))


class _CellIndex(Func):
    """floor(value / size): the grid column or row of a SWEREF coordinate."""

    output_field = FloatField()

    def __init__(self, expression: Any, size: int) -> None:
        super().__init__(expression)
        self.size = int(size)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"FLOOR(%(expressions)s / {self.size}.0)"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite may be built without FLOOR; SWEREF 99 TM coordinates in Sweden
        # are positive, so truncating to an integer is the floor.
        template = f"CAST(%(expressions)s / {self.size}.0 AS INTEGER)"
        return Func.as_sql(self, compiler, connection, template=template, **extra)


def list_rows(user: Any, reports: Iterable[Report]) -> list[ShownReport]:
    """A page of the list as its rows; the details shown are audited (record_details_shown)."""
    reports = list(reports)
    return shown_reports(reports, record_details_shown(user, reports))


def listed_reports(user: Any, report_filter: ReportFilter) -> QuerySet[Report]:
    return (
        report_filter.apply(visible_reports(user))
        .select_related("category", "area", "organisation", "reporter")
        .defer("area__geometry")
        .order_by(*report_filter.ordering)
    )


def checkins_left_out(user: Any, report_filter: ReportFilter | None) -> int | None:
    """How many "all calm" check-ins the same filter finds, when the list shows incidents only."""
    if report_filter is None or report_filter.kind != "incidents":
        return None
    return report_filter.of_kind("checkins").apply(visible_reports(user)).count()


@dataclass(frozen=True)
class FilterChoices:
    categories: list[tuple[Category, list[Category]]]
    areas: list[Area]
    organisations: list[Organisation]
    sources: list[tuple[str, str]]
    statuses: list[tuple[str, str]]
    sorts: list[tuple[str, str]]
    kinds: list[tuple[str, str]]


def filter_choices(user: Any) -> FilterChoices:
    """What the list filters offer: only things of the user's own partnerships."""
    municipalities = municipalities_for(user)
    return FilterChoices(
        # Check-ins are chosen by kind, not as a category.
        categories=[(c, ch) for c, ch in category_tree(Category.objects.all()) if c.is_incident],
        areas=list(
            visible_areas(user)
            .select_related("municipality")
            .defer("geometry", "municipality__boundary")  # a menu needs names only
        ),
        organisations=list(Organisation.objects.filter(municipality__in=municipalities)),
        sources=list(Report.Source.choices),
        statuses=list(Report.Status.choices),
        sorts=[
            ("received", _("Received, newest first")),
            ("occurred", _("Happened, newest first")),
        ],
        kinds=[
            ("incidents", _("Incidents")),
            ("checkins", _("All calm check-ins")),
            ("all", _("Both")),
        ],
    )


@dataclass(frozen=True)
class Place:
    """What the report form says about a tapped point before it is sent."""

    area: str | None  # the area's name, None outside every area
    inside: bool  # inside the boundary of one of the reporter's municipalities


def place_at(user: Any, lat: float, lon: float) -> Place:
    """The area a report at (lat, lon) would get, from the municipalities `user` reports in.

    The same index intake uses, so the name shown is the area the report will be filed under.
    """
    x, y = to_sweref(np.array([lat]), np.array([lon]))
    municipalities = {o.municipality for o in reporting_organisations(user)}
    inside = False
    for municipality in sorted(municipalities, key=lambda m: m.pk):
        index = area_index(municipality)
        if not index.inside_municipality(x, y)[0]:
            continue
        inside = True
        [area_id] = index.areas_of(x, y)
        if area_id:
            return Place(area=Area.objects.only("name").get(pk=area_id).name, inside=True)
    return Place(area=None, inside=inside)


# What the handling of a report shows: its history in sentences, the comments,
# and what is done about it. Shared by the detail page and the API.

FIELD_NAMES = {
    "category_id": gettext_lazy("category"),
    "occurred_at": gettext_lazy("time"),
    "occurred_to": gettext_lazy("time"),
    "lat": gettext_lazy("place"),
    "address": gettext_lazy("address"),
    "place_type": gettext_lazy("type of place"),
    "persons": gettext_lazy("number of persons"),
    "creates_insecurity": gettext_lazy("insecurity"),
    "description": gettext_lazy("note"),
    "reported_to_police": gettext_lazy("police report"),
    "damage_cost_sek": gettext_lazy("damage cost"),
    "sharing": gettext_lazy("sharing"),
}


# The page's choice of measures to link is a select: at 10,000 measures a
# municipality may have thousands open, too many to scroll; its own area's come first.
LINKABLE_SHOWN = 200


@dataclass(frozen=True)
class HistoryLine:
    event: ReportEvent
    sentence: str
    earlier: tuple[dict[str, str], ...] = ()  # a correction's earlier values, as kept


# A correction's earlier values in the order shown; position and time are each one line.
EARLIER_SHOWN = (
    "category_id", "occurred_at", "lat", "address", "place_type", "persons",
    "creates_insecurity", "description", "reported_to_police", "damage_cost_sek", "sharing",
)  # fmt: skip
EARLIER_TOGETHER = {"occurred_to": "occurred_at", "lon": "lat"}


def earlier_values(event: ReportEvent) -> tuple[dict[str, str], ...]:
    """The changed fields' values before a correction, from the history entry as stored.

    `previous` holds them masked as at intake (and without free text once the
    retention rule removed it: a value no longer kept is not shown). The
    caller has decided that the reader may read the report's details.
    """
    if event.what != ReportEvent.What.CORRECTION:
        return ()
    changed = {EARLIER_TOGETHER.get(f, f) for f in event.old.split()}
    kept = event.previous
    return tuple(
        {"field": field, "name": str(FIELD_NAMES[field]), "value": _earlier_text(field, kept)}
        for field in EARLIER_SHOWN
        if field in changed and field in kept
    )


def _earlier_text(field: str, kept: dict[str, Any]) -> str:
    value = kept.get(field)
    if field == "category_id":
        return str(Category.objects.filter(pk=value).first() or value)
    if field == "occurred_at":
        until = kept.get("occurred_to")
        return _local_text(value) + (f" – {_local_text(until)}" if until else "")
    if field == "lat":
        return f"{kept.get('lat')}, {kept.get('lon')}"
    choices = {"place_type": Report.PlaceType, "creates_insecurity": Report.Assessment,
               "sharing": Report.Sharing}  # fmt: skip
    if field in choices and value in choices[field].values:
        return str(choices[field](value).label)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "–" if value in (None, "") else str(value)


def _local_text(stored: Any) -> str:
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(stored))
    except ValueError:
        return str(stored)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Handling:
    """The handling of one report as `user` may see it."""

    history: list[HistoryLine]
    comments: list[ReportComment]
    measures: list[Any]  # Measure: title and status of those linked
    handles: bool  # may review, flag, comment, link and close
    amendable: bool  # may correct or withdraw it now (its reporter, in the window)
    linkable: list[Any]  # open measures it may be linked to


def handling_of(user: Any, report: Report) -> Handling:
    from trygg.measures.models import Measure

    events = list(access.visible_history(user, report))
    ids = {int(e.new) for e in events if e.what == ReportEvent.What.MEASURE and e.new.isdigit()}
    titles = dict(Measure.objects.filter(pk__in=ids).values_list("pk", "title"))
    return Handling(
        history=[HistoryLine(e, history_sentence(e, titles), earlier_values(e)) for e in events],
        comments=list(access.visible_comments(user, report)),
        measures=list(access.linked_measures(user, report)),
        handles=access.handles(user, report),
        amendable=access.may_amend(user, report, timezone.now()),
        linkable=list(access.linkable_measures(user, report)[:LINKABLE_SHOWN]),
    )


def _status_name(status: str) -> str:
    return str(Report.Status(status).label).lower() if status in Report.Status.values else status


def history_sentence(event: ReportEvent, titles: dict[int, str]) -> str:
    """One history entry as a sentence: who did what, from which value to which."""
    who = event.actor.username if event.actor_id else _("Someone")  # type: ignore[union-attr]
    what = ReportEvent.What
    if event.what == what.STATUS and event.new == Report.Status.WITHDRAWN:
        return _("%(who)s withdrew the report.") % {"who": who}
    if event.what == what.STATUS:
        values = {"who": who, "old": _status_name(event.old), "new": _status_name(event.new)}
        return _("%(who)s changed the status from %(old)s to %(new)s.") % values
    if event.what == what.FLAG and event.new == "true":
        return _("%(who)s flagged the report for discussion at the next meeting.") % {"who": who}
    if event.what == what.FLAG and event.previous.get("held_on"):
        return _("%(who)s closed the meeting of %(day)s, which discussed the report: it is off "
                 "the agenda.") % {"who": who, "day": event.previous["held_on"]}  # fmt: skip
    if event.what == what.FLAG:
        return _("%(who)s took the report off the next meeting's agenda.") % {"who": who}
    if event.what == what.COMMENT:
        return _("%(who)s wrote a comment.") % {"who": who}
    if event.what == what.NOTE:
        return _("%(who)s wrote an internal note.") % {"who": who}
    if event.what == what.MEASURE:
        title = titles.get(int(event.new), event.new) if event.new.isdigit() else event.new
        return _("%(who)s linked the report to the measure “%(title)s”.") % {
            "who": who,
            "title": title,
        }
    fields = sorted({str(FIELD_NAMES[f]) for f in event.old.split() if f in FIELD_NAMES})
    return _("%(who)s corrected the report (%(fields)s); the earlier version is kept.") % {
        "who": who,
        "fields": ", ".join(fields) or _("position"),
    }


def handling_dict(handling: Handling) -> dict[str, Any]:
    """The handling's part of a report's API answer (schemas.ReportDetailOut)."""
    return {
        "history": [
            {
                "at": line.event.at,
                "actor": line.event.actor.username if line.event.actor_id else None,  # type: ignore[union-attr]
                "what": line.event.what,
                "old": line.event.old,
                "new": line.event.new,
                "sentence": line.sentence,
                "earlier": list(line.earlier),
            }
            for line in handling.history
        ],
        "comments": [
            {
                "id": c.pk,
                "at": c.at,
                "author": c.author.username if c.author_id else None,  # type: ignore[union-attr]
                "text": c.text,
                "internal": c.internal,
            }
            for c in handling.comments
        ],
        "measures": [
            {
                "id": m.pk,
                "title": m.title,
                "status": m.status,
                "status_name": m.get_status_display(),
            }
            for m in handling.measures
        ],
    }
