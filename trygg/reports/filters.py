"""Report filters shared by the list page, the map data and the API.

One parser and one function apply them, so a page, its map and the API
can never disagree on what a filter means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.errors import FieldError, InputRejected
from trygg.core.queries import narrowed
from trygg.reports.access import text_search
from trygg.reports.intake import MAX_YEAR, MIN_YEAR
from trygg.reports.models import Category, Report

# "incidents" leaves out the "all calm" check-ins, which are activity, not events.
KINDS = ("all", "incidents", "checkins")
# Newest first by when a report came in (the list's default: last night's event
# reported this morning is on top), or by when it happened.
SORTS = {"received": ("-reported_at", "-id"), "occurred": ("-occurred_at", "-id")}
MAX_SEARCH = 100


@dataclass(frozen=True)
class ReportFilter:
    since: datetime | None = None
    until: datetime | None = None
    categories: tuple[str, ...] = ()  # codes; a group code includes its children
    area: int | None = None
    organisation: int | None = None
    source: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    status: str | None = None
    flagged: bool | None = None  # flagged for discussion at the next meeting
    kind: str = "all"
    search: Q | None = None  # built for one viewer by `access.text_search`
    sort: str = "received"

    @property
    def ordering(self) -> tuple[str, ...]:
        return SORTS[self.sort]

    def of_kind(self, kind: str) -> ReportFilter:
        """The same filter for another kind, e.g. to count the check-ins beside the incidents."""
        return replace(self, kind=kind)

    def apply(self, queryset: QuerySet[Report]) -> QuerySet[Report]:
        queryset = self._apply_fields(queryset)
        if self.kind != "all":
            # By id, not through a join: the category index then serves the count.
            calm = list(Category.objects.filter(is_incident=False).values_list("pk", flat=True))
            if self.kind == "incidents":
                queryset = queryset.exclude(category_id__in=calm)
            else:
                queryset = queryset.filter(category_id__in=calm)
        if self.search is not None:
            queryset = queryset.filter(self.search)
        return queryset

    def _apply_fields(self, queryset: QuerySet[Report]) -> QuerySet[Report]:
        if self.since:
            queryset = queryset.filter(occurred_at__gte=self.since)
        if self.until:
            queryset = queryset.filter(occurred_at__lt=self.until)
        if self.categories:
            codes = list(self.categories)
            queryset = queryset.filter(
                Q(category__code__in=codes) | Q(category__group__code__in=codes)
            )
        queryset = narrowed(
            queryset, area_id=self.area, organisation_id=self.organisation,
            source=self.source, status=self.status,
        )  # fmt: skip
        if self.flagged is not None:
            queryset = queryset.filter(flagged_for_discussion=self.flagged)
        if self.bbox:
            west, south, east, north = self.bbox
            queryset = queryset.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
        return queryset


def _moment(field: str, raw: str, *, end: bool) -> datetime:
    """A date (whole day; `end` means the day after) or a date-time, local time if naive."""
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw) + (timedelta(days=1) if end else timedelta())
            value = datetime.combine(day, time())
        else:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise InputRejected([FieldError(0, field, _("Not a valid date."))]) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InputRejected([FieldError(0, field, _("Out of range."))])
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _integer(field: str, raw: str) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise InputRejected([FieldError(0, field, _("Not a whole number."))]) from None
    if not 0 < number < 2**63:  # the databases' bigint; larger would fail in SQL
        raise InputRejected([FieldError(0, field, _("Out of range."))])
    return number


def _bbox(raw: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in raw.split(","))
    except ValueError:
        raise InputRejected(
            [FieldError(0, "bbox", _("Give west,south,east,north in degrees."))]
        ) from None
    if not (west <= east and south <= north):
        raise InputRejected(
            [FieldError(0, "bbox", _("West must not exceed east, nor south north."))]
        )
    return west, south, east, north


def _choice(field: str, raw: str, allowed: Any, default: str | None) -> str | None:
    if not raw:
        return default
    if raw not in allowed:
        raise InputRejected([FieldError(0, field, _("Not one of the choices."))])
    return raw


def _flag(raw: str) -> bool | None:
    choice = _choice("flagged", raw, ("yes", "no"), None)
    return None if choice is None else choice == "yes"


def _search(raw: str, viewer: Any) -> Q | None:
    if not raw:
        return None
    if len(raw) > MAX_SEARCH:
        raise InputRejected([FieldError(0, "q", _("Too long."))])
    return text_search(viewer, raw)


def parse_filter(
    params: Mapping[str, Any], *, viewer: Any, default_kind: str = "all"
) -> ReportFilter:
    """A ReportFilter from query parameters; raises InputRejected naming the bad field.

    `viewer` is whoever will see the result: a text search looks only at the
    free text they may read.
    """

    def value(name: str) -> str:
        raw = params.get(name)
        text = str(raw).strip() if raw not in (None, "") else ""
        if "\x00" in text:  # PostgreSQL refuses NUL in any text parameter
            raise InputRejected([FieldError(0, name, _("Contains a forbidden character."))])
        return text

    categories = tuple(c for c in value("category").split(",") if c)
    unknown = set(categories) - set(
        Category.objects.filter(code__in=categories).values_list("code", flat=True)
    )
    if unknown:
        raise InputRejected([FieldError(0, "category", _("Unknown category."))])
    source = value("source") or None
    if source and source not in Report.Source.values:
        raise InputRejected([FieldError(0, "source", _("Unknown source."))])
    return ReportFilter(
        since=_moment("since", value("since"), end=False) if value("since") else None,
        until=_moment("until", value("until"), end=True) if value("until") else None,
        categories=categories,
        area=_integer("area", value("area")) if value("area") else None,
        organisation=_integer("organisation", value("organisation"))
        if value("organisation")
        else None,
        source=source,
        bbox=_bbox(value("bbox")) if value("bbox") else None,
        status=_choice("status", value("status"), Report.Status.values, None),
        flagged=_flag(value("flagged")),
        kind=_choice("kind", value("kind"), KINDS, default_kind) or default_kind,
        search=_search(value("q"), viewer),
        sort=_choice("sort", value("sort"), SORTS, "received") or "received",
    )
