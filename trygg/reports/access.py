"""The only place that decides which reports a user may see, and in how much detail.

- Coordinators see every report of their municipality, with free text.
- Every member sees their own organisation's reports, with free text.
- Partners, steering group and administrators also see other organisations'
  reports shared with the partnership, without free text, address, photo or reporter.
- Reporters see only their own organisation's reports.
- Anyone else sees nothing: a report they may not see is a 404, never a 403.

Handling (status, flag, comments, links to measures) is for the coordinators
of the report's municipality. Comments are read by whoever reads the
report's details; internal notes and their history entries by coordinators
only. The reporter himself corrects or withdraws his report within
REPORT_EDIT_HOURS of sending it.

Every time free text of another organisation's report is shown, to anyone,
`record_details_shown` writes it to the audit log: pages, map data, exports and the
API all ask it, never `shows_details` alone, when they are about to show.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import reduce
from typing import Any, Protocol
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from trygg.core.errors import FieldError, InputRejected
from trygg.partners import audit
from trygg.partners.access import standing_of
from trygg.partners.models import AuditEvent, Municipality, Organisation
from trygg.reports.models import DigestSubscription, Report, ReportComment, ReportEvent
from trygg.reports.records import ReportRow, report_rows

SHARED_LEVELS = (Report.Sharing.PARTNERSHIP, Report.Sharing.PUBLIC)
# What `reports_for_statistics` may read and filter on: place, time and kind, no free text;
# and the sharing level, so a public count (citizen promises) keeps to public-aggregate reports.
STATISTICS_COLUMNS = frozenset(
    {"x", "y", "lat", "lon", "h3_cell", "occurred_at", "occurred_to", "category_id", "area_id"}
)
STATISTICS_FILTERS = frozenset(
    {"municipality", "municipality_id", "area", "area_id", "category", "category_id"}
    | {"organisation", "occurred_at", "occurred_to", "sharing"}
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
    with no join beyond what `filters` name. A withdrawn report is never
    counted: its reporter took it back.
    """
    names = {key.split("__")[0] for key in filters}
    if not set(columns) <= STATISTICS_COLUMNS or not names <= STATISTICS_FILTERS:
        raise ValueError(f"Not for statistics: {sorted(set(columns) | names)}")
    if not names & {"municipality", "municipality_id", "area", "area_id"}:
        raise ValueError("Statistics are read for one municipality or area.")
    return (
        Report.objects.filter(**filters)
        .exclude(status=Report.Status.WITHDRAWN)
        .order_by()
        .values_list(*columns)
    )


def flagged_for_meeting(municipality_id: int) -> QuerySet[Report]:
    """Reports a coordinator flagged for the next meeting, still open, oldest first.

    For the agenda a coordinator drafts: only category, area and time are shown
    there, so no viewer rule applies and nothing is audited.
    """
    return (
        Report.objects.filter(municipality_id=municipality_id, flagged_for_discussion=True)
        .exclude(status__in=(Report.Status.CLOSED, Report.Status.WITHDRAWN))
        .select_related("category", "area")
        .defer("description", "address", "photo", "area__geometry")
        .order_by("occurred_at", "pk")
    )


def reports_by_id(municipality_id: int, ids: Any) -> QuerySet[Report]:
    """Reports of one municipality by id, to link to a measure: no field beyond the key.

    Linking is a coordinator's act (trygg.measures.access decides who may), and
    a coordinator sees every report of the municipality; nothing is read here
    that a page would show, so no viewer rule applies and no audit row is due.
    """
    return Report.objects.filter(municipality_id=municipality_id, pk__in=ids).only(
        "pk", "municipality_id"
    )


def known_client_ids(organisation: Organisation, client_ids: Sequence[str]) -> int:
    """How many of these client ids the organisation has already used (an import's repeat check)."""
    found = 0
    for start in range(0, len(client_ids), 500):
        chunk = [cid for cid in client_ids[start : start + 500] if cid]
        # The `exclude` repeats the unique index's condition, without which SQLite
        # cannot use that partial index and scans every report of the organisation
        # per chunk: a 100,000-row dry run took 30 s instead of 2.
        found += (
            Report.objects.filter(organisation=organisation, client_id__in=chunk)
            .exclude(client_id="")
            .count()
        )
    return found


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


def record_details_shown(user: Any, reports: Sequence[Shown]) -> list[bool]:
    """Record in the audit log that `user` is shown these reports; per report, whether details are.

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


def handles(user: Any, report: Shown) -> bool:
    """True if `user` may handle the report: a coordinator of its municipality."""
    standing = standing_of(user)
    return standing.is_superuser or report.municipality_id in standing.coordinator_municipalities()


def may_change(user: Any, report: Report) -> bool:
    """True if `user` may change the report at all: as its handler, or as its reporter."""
    return handles(user, report) or owns(user, report)


def edit_deadline(report: Report) -> datetime:
    return report.reported_at + timedelta(hours=settings.REPORT_EDIT_HOURS)


def owns(user: Any, report: Report) -> bool:
    """True if `user` sent the report and is still a member of its organisation."""
    return (
        report.reporter_id is not None
        and report.reporter_id == getattr(user, "pk", None)
        and report.organisation_id in standing_of(user).organisation_ids
    )


def may_amend(user: Any, report: Report, now: datetime) -> bool:
    """True if `user` may correct or withdraw the report now: his own, open, within the window."""
    return (
        owns(user, report)
        and report.status in (Report.Status.RECEIVED, Report.Status.REVIEWED)
        and now < edit_deadline(report)
    )


def visible_comments(user: Any, report: Shown) -> QuerySet[ReportComment]:
    """The comments `user` may read: with the details; internal notes only to handlers."""
    comments = ReportComment.objects.filter(report_id=report.pk).select_related("author")
    if not shows_details(user, report):
        return comments.none()
    if not handles(user, report):
        comments = comments.filter(internal=False)
    return comments.order_by("at", "pk")


def visible_history(user: Any, report: Shown) -> QuerySet[ReportEvent]:
    """The history `user` may read: with the details; notes' entries only to handlers."""
    events = ReportEvent.objects.filter(report_id=report.pk).select_related("actor")
    if not shows_details(user, report):
        return events.none()
    if not handles(user, report):
        events = events.exclude(what=ReportEvent.What.NOTE)
    return events.order_by("at", "pk")


def linked_measures(user: Any, report: Shown) -> QuerySet[Any]:
    """What is done about the report: its measures' titles and status, with the details.

    The reporter hears back this much about any measure his report led to,
    whoever owns it; the rest of the measure is for trygg.measures to show.
    """
    from trygg.measures.models import Measure

    if not shows_details(user, report):
        return Measure.objects.none()
    return Measure.objects.filter(reports=report.pk).only("title", "status").order_by("pk")


def linkable_measures(user: Any, report: Shown) -> QuerySet[Any]:
    """Open measures of the report's municipality a handler may link it to."""
    from trygg.measures.models import Measure

    if not handles(user, report):
        return Measure.objects.none()
    # Those of the report's own area first: the likely ones, on top of a long list.
    same_area = Case(When(area_id=getattr(report, "area_id", None), then=0), default=1)
    return (
        Measure.objects.open()
        .filter(municipality_id=report.municipality_id)
        .exclude(reports=report.pk)
        .only("title", "status", "deadline")
        .order_by(same_area, "title", "pk")
    )


DIGEST_AREA_DAYS = 365


def digest_measures(
    organisation: Organisation, now: datetime, *, readers: Any
) -> tuple[list[Any], set[int]]:
    """What an organisation's weekly digest lists, and which of those answer its own reports.

    Measures of its municipality in the areas where it reported in the last
    year, or linked to its reports, that are open or changed in the last
    week, and that every one of `readers` (the email's recipients) may open
    (trygg.measures.access.visible_measures): an email never names a measure
    its reader would get a 404 for. For a plain reporting organisation that
    leaves the measures linked to its reports, or that it owns or joins.
    Only what partners see of a measure is ever read out of them (title,
    status, area, deadline, light): never notes, and never another
    organisation's reports.
    """
    from trygg.measures.access import visible_measures
    from trygg.measures.models import Measure

    own = Report.objects.filter(organisation=organisation).exclude(status=Report.Status.WITHDRAWN)
    areas = own.filter(occurred_at__gte=now - timedelta(days=DIGEST_AREA_DAYS)).values("area_id")
    linked = set(Measure.objects.filter(reports__in=own.values("pk")).values_list("pk", flat=True))
    measures = (
        Measure.objects.filter(municipality_id=organisation.municipality_id)
        .filter(Q(area_id__in=areas) | Q(pk__in=linked))
        .filter(Q(status__in=Measure.OPEN) | Q(updated_at__gte=now - timedelta(days=7)))
    )
    for reader in readers:
        measures = measures.filter(pk__in=visible_measures(reader).values("pk"))
    measures = (
        measures.select_related("area")
        .only("title", "status", "deadline", "light", "area__name", "updated_at")
        .order_by("deadline", "pk")
    )
    return list(measures), linked


def digest_choices(user: Any) -> list[tuple[Organisation, bool]]:
    """The organisations whose weekly digest `user` may turn on or off, and whether it is on."""
    organisations = reporting_organisations(user)
    subscribed = set(
        DigestSubscription.objects.filter(organisation__in=organisations).values_list(
            "organisation_id", flat=True
        )
    )
    return [(o, o.pk in subscribed) for o in organisations]


# Public feeds (Open311, trygg/open311): reports their organisation shared as
# public aggregate, never withdrawn ones, and only the columns below. No free
# text, address, photo, reporter or organisation can be read through them;
# the position comes as SWEREF x/y for the caller to round to the public grid.
PUBLIC_COLUMNS = (
    "pk", "municipality_id", "category_id", "status", "reported_at", "updated", "x", "y",
)  # fmt: skip
PUBLIC_FILTERS = frozenset(
    {"pk", "municipality", "municipality_id", "category", "category_id", "status"}
    | {"reported_at", "updated", "x", "y"}
)
# What changes a public report as the public sees it: its status or a correction.
PUBLIC_CHANGES = (ReportEvent.What.STATUS, ReportEvent.What.CORRECTION)


def _public_only(names: set[str], allowed: frozenset[str]) -> None:
    if not names <= allowed:
        raise ValueError(f"Not for public reads: {sorted(names - allowed)}")


def public_reports(*rules: Q, **filters: Any) -> QuerySet[Report]:
    """PUBLIC_COLUMNS of every public report matching `rules` and `filters`, as dicts.

    `updated` is the time of the last public change (status or correction), or
    when the report came in. `rules` are Q objects over PUBLIC_FILTERS only.
    """
    names = {key.split("__")[0] for key in filters}
    for rule in rules:
        names |= {key.split("__")[0] for key in _q_keys(rule)}
    _public_only(names, PUBLIC_FILTERS)
    last_change = (
        ReportEvent.objects.filter(report_id=OuterRef("pk"), what__in=PUBLIC_CHANGES)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        Report.objects.filter(sharing=Report.Sharing.PUBLIC)
        .exclude(status=Report.Status.WITHDRAWN)
        .annotate(updated=Coalesce(Subquery(last_change), F("reported_at")))
        .filter(*rules, **filters)
        .values(*PUBLIC_COLUMNS)
    )


def _q_keys(rule: Q) -> list[str]:
    keys: list[str] = []
    for child in rule.children:
        keys += _q_keys(child) if isinstance(child, Q) else [child[0]]
    return keys


def public_status_changes(
    *, municipality_id: int | None = None, report_ids: Any = None, **filters: Any
) -> QuerySet[ReportEvent]:
    """Status changes of public reports as dicts: id, report, when, from, to. No actor.

    `municipality_id` and `report_ids` (ids, or a queryset of them) narrow the
    reports; `filters` apply to the change (`at__gte`, …).
    """
    _public_only({key.split("__")[0] for key in filters}, frozenset({"at", "pk"}))
    public = Report.objects.filter(sharing=Report.Sharing.PUBLIC).exclude(
        status=Report.Status.WITHDRAWN
    )
    if municipality_id is not None:
        public = public.filter(municipality_id=municipality_id)
    if report_ids is not None:
        public = public.filter(pk__in=report_ids)
    return (
        ReportEvent.objects.filter(report__in=public, what=ReportEvent.What.STATUS, **filters)
        .order_by("at", "pk")
        .values("pk", "report_id", "at", "old", "new")
    )


def filed_through(source: str, report_id: Any) -> bool:
    """True if the report exists and came in through `source` (an Open311 token's answer)."""
    try:
        return Report.objects.filter(pk=report_id, source=source).exists()
    except (ValueError, TypeError, ValidationError):
        return False
