"""The only place that decides which reports a user may see, and in how much detail.

- Coordinators see every report of their municipality, with free text.
- Every member sees their own organisation's reports, with free text.
- Partners, steering group and administrators also see other organisations'
  reports shared with the partnership, without free text, address, photo or reporter.
- Reporters see only their own organisation's reports.
- Anyone else sees nothing: a report they may not see is a 404, never a 403.

Every time free text of another organisation's report is shown, to anyone,
`details_shown` writes it to the audit log: pages, map data, exports and the
API all ask it, never `shows_details` alone, when they are about to show.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import reduce
from typing import Any, Protocol
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from trygg.core.errors import FieldError, InputRejected
from trygg.partners import audit
from trygg.partners.access import standing_of
from trygg.partners.models import AuditEvent, Municipality, Organisation
from trygg.reports.models import Report
from trygg.reports.records import ReportRow, report_rows

SHARED_LEVELS = (Report.Sharing.PARTNERSHIP, Report.Sharing.PUBLIC)
# What `reports_for_statistics` may read and filter on: place, time and kind, no free text.
STATISTICS_COLUMNS = frozenset(
    {"x", "y", "lat", "lon", "h3_cell", "occurred_at", "occurred_to", "category_id", "area_id"}
)
STATISTICS_FILTERS = frozenset(
    {"municipality", "municipality_id", "area", "area_id", "category", "category_id"}
    | {"organisation", "occurred_at", "occurred_to"}
)


class Shown(Protocol):
    """What deciding and auditing details needs of a report: a Report, or a records.ReportRow."""

    @property
    def pk(self) -> Any: ...
    @property
    def organisation_id(self) -> Any: ...
    @property
    def municipality_id(self) -> Any: ...


def visible_reports(user: Any) -> QuerySet[Report]:
    """Every report `user` may see at all (details decided by `shows_details`)."""
    standing = standing_of(user)
    queryset = Report.objects.all()
    if standing.is_superuser:
        return queryset
    if not standing.is_member:
        return queryset.none()
    # A clause that a coordinated municipality already covers is left out: a
    # coordinator's rule is then a plain municipality_id IN (…), which both
    # databases answer along the (municipality, occurred_at) index, newest
    # first, instead of testing an OR on every report of the table.
    coordinated = standing.coordinator_municipalities()
    own = [o.pk for o in standing.organisations if o.municipality_id not in coordinated]
    shared = standing.shared_view_municipalities() - coordinated
    rules = [Q(municipality_id__in=coordinated)] if coordinated else []
    rules += [Q(organisation_id__in=own)] if own else []
    rules += [Q(municipality_id__in=shared, sharing__in=SHARED_LEVELS)] if shared else []
    if not rules:
        return queryset.none()
    return queryset.filter(reduce(operator.or_, rules))


def wholly_visible(user: Any) -> tuple[dict[int, tuple[str, ...]], QuerySet[Report]]:
    """Where `user` sees every report, and the reports they see beyond that.

    The first is, per municipality, the sharing levels of which `user` may see
    every report (all for a coordinator, the shared ones for partners, steering
    group and administrators), so counts of them may be read from the daily
    rollup. The second holds the rest of `visible_reports(user)`: their own
    organisation's reports outside those levels.
    """
    standing = standing_of(user)
    every = tuple(Report.Sharing.values)
    if standing.is_superuser:
        return dict.fromkeys(Municipality.objects.values_list("pk", flat=True), every), (
            Report.objects.none()
        )
    slices = {m: SHARED_LEVELS for m in standing.shared_view_municipalities()}
    slices |= dict.fromkeys(standing.coordinator_municipalities(), every)
    # The rest, named by organisation (its index) rather than as visible minus slices,
    # which would test every report of a coordinator's municipality to find none.
    rest = []
    for organisation in standing.organisations:
        covered = slices.get(organisation.municipality_id, ())
        if len(covered) < len(every):
            rest.append(Q(organisation_id=organisation.pk) & ~Q(sharing__in=covered))
    beyond = Report.objects.filter(reduce(operator.or_, rest)) if rest else Report.objects.none()
    return {m: tuple(levels) for m, levels in slices.items()}, beyond


def reports_for_statistics(*columns: str, **filters: Any) -> QuerySet[Report]:
    """`columns` of every report of one municipality (or one of its areas) matching `filters`.

    The one read of reports that bypasses the viewer rules of `visible_reports`,
    on purpose: the lägesbild, area profiles and measure effects show counts,
    hot spots and time patterns of all reports of a municipality to every
    member of its partnership, whoever filed them. It is safe because nothing
    individual comes out: only the columns in STATISTICS_COLUMNS (position,
    time, category, area) can be read, and only those in STATISTICS_FILTERS
    (which never touch the free text) filtered on, so a later edit cannot read
    a note, address, photo or reporter through it. The scope must name a
    municipality or an area. Rows come as tuples (values_list), unordered,
    with no join beyond what `filters` name.
    """
    names = {key.split("__")[0] for key in filters}
    if not set(columns) <= STATISTICS_COLUMNS or not names <= STATISTICS_FILTERS:
        raise ValueError(f"Not for statistics: {sorted(set(columns) | names)}")
    if not names & {"municipality", "municipality_id", "area", "area_id"}:
        raise ValueError("Statistics are read for one municipality or area.")
    return Report.objects.filter(**filters).order_by().values_list(*columns)


def shows_details(user: Any, report: Shown) -> bool:
    """True if `user` may read the report's free text, address, photo and reporter."""
    standing = standing_of(user)
    return (
        standing.is_superuser
        or report.organisation_id in standing.organisation_ids
        or report.municipality_id in standing.coordinator_municipalities()
    )


def details_rule(user: Any) -> Q:
    """`shows_details` as a query: the reports whose free text `user` may read."""
    standing = standing_of(user)
    if standing.is_superuser:
        return Q()
    return Q(organisation_id__in=standing.organisation_ids) | Q(
        municipality_id__in=standing.coordinator_municipalities()
    )


def text_search(user: Any, text: str) -> Q:
    """Reports whose note or address holds `text`, among those whose details `user` may read.

    Any other report never matches, whatever it holds: otherwise narrowing a
    search letter by letter would read back text the person may not see.
    """
    return details_rule(user) & (Q(description__icontains=text) | Q(address__icontains=text))


def details_shown(user: Any, reports: Sequence[Shown]) -> list[bool]:
    """Per report, whether `user` is shown its details. WRITES audit rows: not a plain read.

    Every report of another organisation whose details `user` may see is
    recorded in the audit log (one READ_DETAILS row per municipality) as
    being shown, right now. So call it with exactly the reports about to be
    shown, once per response, and only when they are shown; to ask whether
    `user` could see them, without recording anything, use `shows_details`.
    """
    flags = [shows_details(user, report) for report in reports]
    own = standing_of(user).organisation_ids
    revealed: dict[int, list[str]] = {}
    for report, shown in zip(reports, flags, strict=True):
        if shown and report.organisation_id not in own:
            revealed.setdefault(report.municipality_id, []).append(str(report.pk))
    for municipality_id, ids in revealed.items():
        audit.record(
            actor=user,
            action=AuditEvent.Action.READ_DETAILS,
            target="reports",
            municipality_ids=[municipality_id],
            detail={"reports": ids, "count": len(ids)},
        )
    return flags


def get_report_for(user: Any, report_id: UUID | str) -> Report:
    """The report if `user` may see it; Http404 otherwise, so ids do not leak."""
    try:
        return (
            visible_reports(user)
            .select_related("category__group", "area", "organisation", "municipality")
            .defer("area__geometry", "municipality__boundary")
            .get(pk=report_id)
        )
    except (Report.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such report") from None


def reporting_organisations(user: Any) -> list[Organisation]:
    """The organisations `user` may report for (any membership), in a stable order."""
    return list(standing_of(user).organisations)


def get_row_for(user: Any, report_id: UUID | str) -> ReportRow:
    """`get_report_for` as a records.ReportRow: one query, no model instances."""
    try:
        rows = report_rows(visible_reports(user).filter(pk=report_id))
    except (ValueError, TypeError, ValidationError):
        raise Http404("No such report") from None
    if not rows:
        raise Http404("No such report")
    return rows[0]


def reporting_organisation_for(user: Any, organisation_id: int | None) -> Organisation:
    """The organisation a new report is filed under; the only one if none is named."""
    organisations = reporting_organisations(user)
    if organisation_id is not None:
        for organisation in organisations:
            if organisation.pk == organisation_id:
                return organisation
        raise InputRejected([FieldError(0, "organisation", _("You are not a member of it."))])
    if len(organisations) == 1:
        return organisations[0]
    message = (
        _("You are not a member of any organisation.")
        if not organisations
        else _("Name the organisation: you are a member of several.")
    )
    raise InputRejected([FieldError(0, "organisation", message)])
