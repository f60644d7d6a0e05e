"""Read models for the report pages: the plain data a page and its JSON twin share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.geo.access import visible_areas
from trygg.geo.lookup import area_index
from trygg.geo.models import Area
from trygg.geo.projection import to_sweref
from trygg.partners.access import municipalities_for
from trygg.partners.models import Municipality, Organisation
from trygg.reports import access
from trygg.reports.access import details_shown, reporting_organisations, visible_reports
from trygg.reports.filters import ReportFilter
from trygg.reports.models import Category, Report, ReportComment, ReportEvent

# The map draws at most this many points, newest first; more would make a
# phone's browser crawl, and the list below it pages through all of them.
MAP_LIMIT = 5000


def outlines(municipalities: Iterable[Municipality]) -> dict[str, Any]:
    """Municipality boundaries and their areas as one GeoJSON FeatureCollection."""
    municipalities = list(municipalities)
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": m.boundary,
            "properties": {"kind": "boundary", "name": m.name, "municipality": m.pk},
        }
        for m in municipalities
        if m.boundary
    ]
    features += [
        {
            "type": "Feature",
            "geometry": a.geometry,
            "properties": {"kind": "area", "name": a.name, "municipality": a.municipality_id},
        }
        for a in Area.objects.filter(municipality__in=municipalities)
    ]
    return {"type": "FeatureCollection", "features": features}


def _feature(report: Report, *, details: bool) -> dict[str, Any]:
    category = report.category
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [report.lon, report.lat]},
        "properties": {
            "id": str(report.pk),
            "url": reverse("reports:detail", args=[report.pk]),
            "category": category.code,
            "category_name": category.name,
            "colour": category.colour,
            "occurred_at": report.occurred_at.isoformat(),
            "occurred_to": report.occurred_to.isoformat() if report.occurred_to else None,
            "area": report.area.name if report.area_id else None,  # type: ignore[union-attr]
            "description": report.description if details else None,
        },
    }


def map_features(user: Any, report_filter: ReportFilter) -> dict[str, Any]:
    """The filtered reports `user` may see as GeoJSON points, newest first, capped."""
    reports = list(
        report_filter.apply(visible_reports(user))
        .select_related("category", "area")
        .defer("area__geometry")
        .order_by("-occurred_at", "-id")[: MAP_LIMIT + 1]
    )
    truncated = len(reports) > MAP_LIMIT
    shown = list(reports[:MAP_LIMIT])
    features = [
        _feature(r, details=d) for r, d in zip(shown, details_shown(user, shown), strict=True)
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "limit": MAP_LIMIT,
        "truncated": truncated,
    }


@dataclass(frozen=True)
class ListRow:
    report: Report
    details: bool


def list_rows(user: Any, reports: Iterable[Report]) -> list[ListRow]:
    reports = list(reports)
    return [
        ListRow(report=r, details=d)
        for r, d in zip(reports, details_shown(user, reports), strict=True)
    ]


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
    categories = list(Category.objects.all())
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.group_id:
            children.setdefault(category.group_id, []).append(category)
    municipalities = municipalities_for(user)
    return FilterChoices(
        # Check-ins are chosen by kind, not as a category.
        categories=[
            (c, children.get(c.pk, [])) for c in categories if c.group_id is None and c.is_incident
        ],
        areas=list(visible_areas(user).select_related("municipality")),
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
        history=[HistoryLine(e, history_sentence(e, titles)) for e in events],
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
