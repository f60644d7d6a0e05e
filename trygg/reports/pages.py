"""Read models for the report pages: the plain data a page and its JSON twin share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from trygg.geo.access import visible_areas
from trygg.geo.lookup import area_index
from trygg.geo.models import Area
from trygg.geo.projection import to_sweref
from trygg.partners.access import municipalities_for
from trygg.partners.models import Municipality, Organisation
from trygg.reports.access import details_shown, reporting_organisations, visible_reports
from trygg.reports.filters import ReportFilter
from trygg.reports.models import Category, Report

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
