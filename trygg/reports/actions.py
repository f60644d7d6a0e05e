"""Writes of reports: every channel (web form, API, import, demo) comes here."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trygg.core.errors import FieldError, InputRejected
from trygg.core.links import absolute_url
from trygg.partners.models import Municipality, Organisation
from trygg.reports import rollup
from trygg.reports.fast_insert import NewReports
from trygg.reports.intake import context_for, validate_each, validate_items
from trygg.reports.masking import mask_personal_data
from trygg.reports.models import DigestSubscription, Report, ReportComment, ReportEvent

CLIENT_ID_CHUNK = 500


@dataclass(frozen=True)
class BatchResult:
    reports: list[Report]  # in input order; an existing report where a client_id repeated
    created: int
    existing: int


def _existing_by_client_id(organisation: Organisation, client_ids: set[str]) -> dict[str, Report]:
    found: dict[str, Report] = {}
    ids = sorted(client_ids)
    for start in range(0, len(ids), CLIENT_ID_CHUNK):
        chunk = ids[start : start + CLIENT_ID_CHUNK]
        # `client_id != ""` changes no result (the ids are non-empty) but lets the
        # planner use the partial unique index report_unique_client_id, whose
        # condition it is; without it SQLite scans all the organisation's
        # reports once per chunk, which made batches slower the fuller the table.
        # order_by(): the default ordering is of no use here and costs a sort.
        queryset = Report.objects.filter(organisation=organisation, client_id__in=chunk)
        for report in queryset.exclude(client_id="").order_by():
            found[report.client_id] = report
    return found


def submit_reports(
    *,
    organisation: Organisation,
    by: Any,
    items: Sequence[Any],
    source: str = Report.Source.API,
    now: datetime | None = None,
    max_age_days: int | None = None,
) -> BatchResult:
    """Store every item or none; raises InputRejected listing each bad item and field.

    An item whose client_id the organisation has already used is not stored
    again: the existing report takes its place in the result.
    """
    now = now or timezone.now()
    # Validation (masking, projection, area lookup) is most of the work and only
    # reads, so it runs before the write transaction: SQLite has one writer at a
    # time, and every millisecond inside holds up every other report.
    ctx = context_for(organisation.municipality, now=now, max_age_days=max_age_days)
    rows = validate_items(items, ctx)
    with transaction.atomic():
        batch, created = _store(rows, organisation=organisation, by=by, source=source, now=now)
        _count(created)
    return batch


def _count(created: list[Report]) -> None:
    """Add new reports to the rollup, as the last write of their transaction.

    In their transaction, so the picture's counts never disagree with the
    reports. Last, so the busiest rows of the database (today's counts) stay
    locked only until the commit right after, and their changed_at is at most
    moments older than that commit (rollup.CHANGE_MARGIN).
    """
    rollup.add(rollup.keys_of(created))


def _store(
    rows: list[dict[str, Any]], *, organisation: Organisation, by: Any, source: str, now: datetime
) -> tuple[BatchResult, list[Report]]:
    """Write validated rows after their client_id check, inside a transaction; and the new ones.

    The caller adds the new ones to the rollup (`_count`) last before committing.
    """
    seen = _existing_by_client_id(
        organisation, {r["client_id"] for r in rows if r.get("client_id")}
    )
    result: list[Report] = []
    created_reports: list[Report] = []
    fresh = NewReports(organisation=organisation, by=by, source=source, now=now)
    for row in rows:
        client_id = row.get("client_id")
        if client_id and client_id in seen:
            result.append(seen[client_id])
            continue
        report = fresh.add(row)
        if client_id:
            seen[client_id] = report
        result.append(report)
        created_reports.append(report)
    fresh.write()
    created = len(fresh.params)
    batch = BatchResult(reports=result, created=created, existing=len(rows) - created)
    return batch, created_reports


# Channels that keep a batch's good items (file imports) check first, then
# store what passed: the checks are validate_items', item by item.
CHECK_CHUNK = 5000


@dataclass(frozen=True)
class CheckedReports:
    organisation: Organisation
    now: datetime
    rows: list[dict[str, Any] | None]  # per item: ready to store, or None (see errors)
    errors: list[FieldError]  # index = the item's index in the whole batch

    @property
    def valid(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row is not None]


def check_reports(
    *,
    organisation: Organisation,
    items: Sequence[Any],
    now: datetime | None = None,
    max_age_days: int | None = None,
    progress: Any = None,
) -> CheckedReports:
    """Validate every item as submit_reports does, keeping the good ones; writes nothing.

    In chunks, calling `progress(done)` after each, so a long file can show
    how far it has come. Runs outside any transaction (it only reads).
    """
    now = now or timezone.now()
    ctx = context_for(organisation.municipality, now=now, max_age_days=max_age_days)
    rows: list[dict[str, Any] | None] = []
    errors: list[FieldError] = []
    for start in range(0, len(items), CHECK_CHUNK):
        chunk_rows, chunk_errors = validate_each(items[start : start + CHECK_CHUNK], ctx)
        rows += chunk_rows
        errors += [FieldError(e.index + start, e.field, e.message) for e in chunk_errors]
        if progress is not None:
            progress(len(rows))
    return CheckedReports(organisation=organisation, now=now, rows=rows, errors=errors)


def store_checked_reports(*, checked: CheckedReports, by: Any, source: str) -> BatchResult:
    """Store the items `check_reports` passed, all in one transaction (the caller's, if any).

    A repeated client_id is not stored again, as in submit_reports.
    """
    with transaction.atomic():
        batch, created = _store(
            checked.valid, organisation=checked.organisation, by=by, source=source, now=checked.now
        )
        _count(created)
    return batch


def submit_report(
    *,
    organisation: Organisation,
    by: Any,
    data: dict[str, Any],
    source: str = Report.Source.API,
    photo: Any = None,
) -> tuple[Report, bool]:
    """The stored report and whether it was created (False: its client_id was seen before).

    The photo is checked and re-encoded before anything is written, and stored
    in the same transaction as the report: both are kept, or neither.
    """
    from trygg.reports.photos import clean_photo, store_photo

    now = timezone.now()
    rows = validate_items([data], context_for(organisation.municipality, now=now))
    cleaned = clean_photo(photo) if photo is not None else None
    try:
        with transaction.atomic():
            batch, created = _store(rows, organisation=organisation, by=by, source=source, now=now)
            report = batch.reports[0]
            if cleaned is not None and batch.created:
                store_photo(report, *cleaned)
            _count(created)
            return report, bool(batch.created)
    except IntegrityError:
        # Two requests with the same client_id raced; the other one won.
        client_id = data.get("client_id")
        existing = Report.objects.filter(organisation=organisation, client_id=client_id).first()
        if not client_id or existing is None:
            raise
        return existing, False


ALL_CALM = "all_calm"


def _interior_point(municipality: Any) -> tuple[float, float]:
    """A (lat, lon) surely inside the municipality boundary.

    Not the centroid: the centroid of a crescent-shaped or island municipality
    can lie outside it, and intake refuses such points. The point is found in
    SWEREF 99 TM, the frame intake tests the boundary in.
    """
    from trygg.geo.lookup import geometry_to_sweref
    from trygg.geo.projection import to_wgs84

    if not municipality.boundary:
        message = _("The municipality has no boundary: mark the place on the map.")
        raise InputRejected([FieldError(0, "lat", message)])
    point = geometry_to_sweref(municipality.boundary).representative_point()
    lat, lon = to_wgs84(np.array([point.x]), np.array([point.y]))
    return float(lat[0]), float(lon[0])


def _calm_position(organisation: Organisation, by: Any) -> tuple[float, float]:
    """Where an "all calm" check-in is placed.

    The check-in says "I was out on my patch and nothing happened"; it is
    counted as reporting activity per area, never as an incident. The
    reporter's own last report for the organisation is the best guess of that
    patch, so activity lands in a plausible area; a first-time reporter's
    check-in falls back to a point inside the municipality.
    """
    last = (
        Report.objects.filter(organisation=organisation, reporter=by)
        .order_by("-reported_at")
        .values_list("lat", "lon")
        .first()
    )
    return (last[0], last[1]) if last else _interior_point(organisation.municipality)


def submit_all_calm(
    *, organisation: Organisation, by: Any, client_id: str = "", source: str = Report.Source.WEB
) -> tuple[Report, bool]:
    """The one-tap "all calm" check-in, stored like any report (see `_calm_position`)."""
    lat, lon = _calm_position(organisation, by)
    data = {"category": ALL_CALM, "lat": lat, "lon": lon, "client_id": client_id}
    return submit_report(organisation=organisation, by=by, data=data, source=source)


__all__ = [
    "BatchResult",
    "CheckedReports",
    "InputRejected",
    "check_reports",
    "store_checked_reports",
    "submit_all_calm",
    "submit_report",
    "submit_reports",
]


@dataclass(frozen=True)
class RetentionResult:
    municipality: Municipality
    cutoff: datetime
    reports: int  # reports whose free text, address and photo were (or would be) removed
    photos: int


def months_before(moment: datetime, months: int) -> datetime:
    """The same wall-clock moment `months` calendar months earlier (31 March − 1 → 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def remove_expired_details(
    *, municipality: Municipality, now: datetime | None = None, commit: bool = False
) -> RetentionResult:
    """Remove free text, address and photo from reports stored longer than the municipality keeps.

    Age counts from `reported_at`, when Trygg received the data. Everything
    counted stays (category, place, time, area, the daily rollup), so the
    lägesbild of old periods is unchanged. Without `commit` nothing is written:
    the result says what would be removed. Photo files go after the commit.
    """
    now = now or timezone.now()
    cutoff = months_before(now, municipality.retention_months)
    expired = Report.objects.filter(
        municipality=municipality, reported_at__lt=cutoff, details_removed_at__isnull=True
    )
    photos = list(expired.exclude(photo="").values_list("photo", flat=True))
    if not commit:
        return RetentionResult(municipality, cutoff, expired.count(), len(photos))
    with transaction.atomic():
        _remove_handling_text(list(expired.values_list("pk", flat=True)))
        removed = expired.update(description="", address="", photo="", details_removed_at=now)
        storage = Report._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in photos])
    return RetentionResult(municipality, cutoff, removed, len(photos))


def _remove_handling_text(report_ids: list[Any]) -> None:
    """The same removal in what handling kept: comments, and earlier versions' text.

    The one change ever made to history rows, by update() past their
    append-only save(): the retention rule outranks keeping every word.
    """
    ReportComment.objects.filter(report_id__in=report_ids).update(text="")
    corrections = ReportEvent.objects.filter(
        report_id__in=report_ids, what=ReportEvent.What.CORRECTION
    )
    for pk, previous in corrections.values_list("pk", "previous"):
        kept = {k: v for k, v in previous.items() if k not in ("description", "address")}
        ReportEvent.objects.filter(pk=pk).update(previous=kept)


# Handling: a coordinator reviews, flags, comments, links and closes; the
# reporter corrects or withdraws within REPORT_EDIT_HOURS. Each change is one
# append-only ReportEvent in the same transaction as the change itself.

MAX_COMMENT = 2000
# What a correction may change: the fields intake validates, but the client's id.
CORRECTABLE = (
    "category_id", "occurred_at", "occurred_to", "lat", "lon", "x", "y", "h3_cell", "area_id",
    "address", "place_type", "persons", "creates_insecurity", "description",
    "reported_to_police", "damage_cost_sek", "sharing",
)  # fmt: skip


class HandlingRefused(ValueError):
    """A change the rules do not allow now; the message says why, for the person who tried."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.field = field


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _as_handler(report: Report, by: Any) -> Report:
    """The report locked for the change; PermissionDenied unless `by` handles it."""
    from trygg.reports import access

    if not access.handles(by, report):
        raise PermissionDenied
    return Report.objects.select_for_update().get(pk=report.pk)


def _move(report: Report, by: Any, to: str) -> None:
    if to not in Report.Status.values or not report.can_move_to(to):
        raise HandlingRefused(
            _("A report that is %(now)s cannot become %(to)s.")
            % {"now": report.get_status_display().lower(), "to": _status_label(to).lower()},
            "status",
        )
    old, report.status = report.status, to
    report.save(update_fields=["status"])
    ReportEvent.objects.create(
        report=report, actor=_actor(by), what=ReportEvent.What.STATUS, old=old, new=to
    )


def _status_label(status: str) -> str:
    return str(Report.Status(status).label) if status in Report.Status.values else status


@transaction.atomic
def change_report_status(*, report: Report, by: Any, to: str, comment: str = "") -> Report:
    """A coordinator marks the report reviewed or closes it, with an optional comment."""
    report = _as_handler(report, by)
    if to == Report.Status.WITHDRAWN:
        raise HandlingRefused(_("Only the reporter can withdraw a report."), "status")
    _move(report, by, to)
    if comment.strip():
        _add_comment(report, by, comment, internal=False)
    return report


@transaction.atomic
def clear_discussed_flags(*, meeting: Any, by: Any, report_ids: Any) -> int:
    """The flagged reports a held meeting listed come off the agenda; how many did.

    Called as the meeting is closed (trygg.meetings.actions.close_meeting):
    without it a flagged report would return on every later agenda. Each
    report's history says which meeting discussed it (in `previous`, the
    flag's context); a report flagged again later returns on the next agenda.
    """
    reports = list(
        Report.objects.select_for_update()
        .filter(pk__in=list(report_ids), municipality_id=meeting.municipality_id)
        .filter(flagged_for_discussion=True)
        .only("pk")
    )
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(flagged_for_discussion=False)
    for report in reports:
        ReportEvent.objects.create(
            report=report, actor=_actor(by), what=ReportEvent.What.FLAG, old="true",
            new="false", previous={"meeting": meeting.pk, "held_on": str(meeting.held_on)},
        )  # fmt: skip
    return len(reports)


@transaction.atomic
def flag_for_discussion(*, report: Report, by: Any, flagged: bool) -> Report:
    """Put the report on (or take it off) the next EST meeting's agenda."""
    report = _as_handler(report, by)
    if report.flagged_for_discussion == flagged:
        return report
    report.flagged_for_discussion = flagged
    report.save(update_fields=["flagged_for_discussion"])
    ReportEvent.objects.create(
        report=report, actor=_actor(by), what=ReportEvent.What.FLAG,
        old=str(not flagged).lower(), new=str(flagged).lower(),
    )  # fmt: skip
    return report


def _add_comment(report: Report, by: Any, text: str, *, internal: bool) -> ReportComment:
    text = text.strip()
    if not text:
        raise HandlingRefused(_("Write something."), "text")
    if len(text) > MAX_COMMENT:
        raise HandlingRefused(_("At most %(n)d characters.") % {"n": MAX_COMMENT}, "text")
    if "\x00" in text or not _storable_text(text):
        raise HandlingRefused(_("Contains a forbidden character."), "text")
    comment = ReportComment.objects.create(
        report=report, author=_actor(by), text=mask_personal_data(text), internal=internal
    )
    what = ReportEvent.What.NOTE if internal else ReportEvent.What.COMMENT
    ReportEvent.objects.create(report=report, actor=_actor(by), what=what, new=str(comment.pk))
    return comment


def _storable_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@transaction.atomic
def comment_on_report(
    *, report: Report, by: Any, text: str, internal: bool = False
) -> ReportComment:
    """A comment the reporting organisation reads, or an internal note for coordinators only.

    The text is masked like a report's note: no identity numbers, phones or plates.
    """
    report = _as_handler(report, by)
    return _add_comment(report, by, text, internal=internal)


@transaction.atomic
def link_to_measure(*, report: Report, by: Any, measure: Any) -> Report:
    """Link the report to an open measure of its municipality; both histories say so."""
    from trygg.measures.actions import link_reports
    from trygg.measures.models import Measure

    report = _as_handler(report, by)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)  # its status now
    if measure.municipality_id != report.municipality_id or measure.status not in Measure.OPEN:
        raise HandlingRefused(_("Choose an open measure of the municipality."), "measure")
    if report.status == Report.Status.WITHDRAWN:
        raise HandlingRefused(_("The report is withdrawn."), "measure")
    if measure.reports.filter(pk=report.pk).exists():
        return report
    link_reports(measure=measure, by=by, reports=[report])
    ReportEvent.objects.create(
        report=report, actor=_actor(by), what=ReportEvent.What.MEASURE, new=str(measure.pk)
    )
    return report


def _as_reporter(report: Report, by: Any, now: datetime) -> Report:
    """The report locked for its reporter's change; refused outside his window."""
    from trygg.reports import access

    if not access.owns(by, report):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in (Report.Status.RECEIVED, Report.Status.REVIEWED):
        raise HandlingRefused(_("A closed or withdrawn report cannot be changed."), "status")
    if now >= access.edit_deadline(report):
        raise HandlingRefused(
            _("A report can be changed for %(hours)d hours after it was sent.")
            % {"hours": settings.REPORT_EDIT_HOURS}
        )
    return report


@transaction.atomic
def withdraw_report(*, report: Report, by: Any, now: datetime | None = None) -> Report:
    """The reporter takes his report back: it stays, withdrawn, and is no longer counted."""
    report = _as_reporter(report, by, now or timezone.now())
    _move(report, by, Report.Status.WITHDRAWN)
    rollup.remove(rollup.keys_of([report]))
    return report


def _earlier(report: Report) -> dict[str, Any]:
    """The correctable fields as JSON values: the version a correction keeps."""
    return {
        field: value.isoformat() if isinstance(value, datetime) else value
        for field in CORRECTABLE
        for value in [getattr(report, field)]
    }


def correct_report(
    *, report: Report, by: Any, data: dict[str, Any], now: datetime | None = None
) -> Report:
    """The reporter's corrected report, validated and masked as at intake.

    `data` is the whole report as it should now read (like a new one). The
    earlier version is kept in the history entry, and the rollup moves the
    report from its old cell to its new one in the same transaction.
    """
    now = now or timezone.now()
    municipality = Municipality.objects.get(pk=report.municipality_id)
    [row] = validate_items([data], context_for(municipality, now=now))
    with transaction.atomic():
        report = _as_reporter(report, by, now)
        before, old_cell = _earlier(report), rollup.keys_of([report])
        defaults = {f.attname: f.get_default() for f in Report._meta.concrete_fields}
        changed = [f for f in CORRECTABLE if getattr(report, f) != row.get(f, defaults[f])]
        if not changed:
            return report
        for field in changed:
            setattr(report, field, row.get(field, defaults[field]))
        report.save(update_fields=changed)
        ReportEvent.objects.create(
            report=report, actor=_actor(by), what=ReportEvent.What.CORRECTION,
            old=" ".join(changed), previous=before,
        )  # fmt: skip
        new_cell = rollup.keys_of([report])
        if new_cell != old_cell:
            rollup.remove(old_cell)
            rollup.add(new_cell)
    return report


@transaction.atomic
def handle_report(
    *, report: Report, by: Any, status: str | None = None, flagged: bool | None = None,
    comment: str = "",
) -> Report:  # fmt: skip
    """One request's changes together, all or none: a status, the flag, a comment.

    A withdrawal is the reporter's and comes alone; the rest are a coordinator's.
    """
    if status == Report.Status.WITHDRAWN:
        if flagged is not None or comment.strip():
            raise HandlingRefused(_("A withdrawal comes without flag or comment."), "status")
        return withdraw_report(report=report, by=by)
    if status is None and flagged is None and not comment.strip():
        raise HandlingRefused(_("Give a status, a flag or a comment."), "status")
    if status is not None:
        report = change_report_status(report=report, by=by, to=status, comment=comment)
    elif comment.strip():
        comment_on_report(report=report, by=by, text=comment)
    if flagged is not None:
        report = flag_for_discussion(report=report, by=by, flagged=flagged)
    return report


# The weekly digest: each opted-in reporting organisation hears what is done
# in its areas. Queued through operations.send_email in the transaction that
# notes it as sent, so a failed run sends nothing and a re-run within the week
# sends nothing twice.

DIGEST_EVERY = timedelta(days=6)  # a weekly timer that fires a little late still sends


@transaction.atomic
def set_report_digest(*, organisation: Organisation, by: Any, on: bool) -> bool:
    """Opt the organisation in to (or out of) the weekly digest; whether it is now in."""
    if on:
        DigestSubscription.objects.get_or_create(
            organisation=organisation, defaults={"by": _actor(by)}
        )
    else:
        DigestSubscription.objects.filter(organisation=organisation).delete()
    return on


def send_report_digests(*, now: datetime | None = None) -> int:
    """Queue this week's digest to every opted-in organisation with news; how many were queued."""
    now = now or timezone.now()
    sent = 0
    due = DigestSubscription.objects.filter(
        models.Q(last_sent_at__isnull=True) | models.Q(last_sent_at__lte=now - DIGEST_EVERY)
    ).select_related("organisation__municipality")
    for subscription in due:
        with transaction.atomic():
            sent += _send_digest(subscription, now)
    return sent


def _send_digest(subscription: DigestSubscription, now: datetime) -> int:
    from trygg.operations.actions import send_email
    from trygg.partners.models import Membership
    from trygg.reports import access

    organisation = subscription.organisation
    readers = [
        m.user
        for m in Membership.objects.filter(organisation=organisation, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    ]
    measures, linked = access.digest_measures(organisation, now, readers=readers)
    recipients = sorted({reader.email for reader in readers})
    if not measures or not recipients:
        return 0
    with translation.override("sv"):
        subject, body = _digest_text(organisation, measures, linked, now)
    send_email(kind="reports.digest", to=recipients, subject=subject, body=body)
    DigestSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
    return 1


def _digest_text(
    organisation: Organisation, measures: list[Any], linked: set[int], now: datetime
) -> tuple[str, str]:
    week = timezone.localtime(now).isocalendar()[1]
    subject = _("Trygg: what is being done in your areas, week %(week)d") % {"week": week}
    lines = [
        _("Weekly digest for %(organisation)s.") % {"organisation": organisation.name},
        _("Measures in the areas where you report, open or changed in the last week:"),
        "",
    ]
    for measure in measures:
        facts = [str(measure.get_status_display()).lower()]
        if measure.area_id:
            facts.append(measure.area.name)
        if measure.deadline:
            facts.append(_("deadline %(date)s") % {"date": measure.deadline.isoformat()})
        if measure.light:
            facts.append(str(measure.get_light_display()).lower())
        mark = " " + _("(answers your reports)") if measure.pk in linked else ""
        lines.append(f"- {measure.title} ({', '.join(facts)}){mark}")
        lines.append(f"  {absolute_url('measures:detail', measure.pk)}")
    lines += [
        "",
        _("You get this because your organisation chose the weekly digest in Trygg."),
        _("Turn it off here: %(link)s") % {"link": absolute_url("reports:digest")},
    ]
    return subject, "\n".join(lines) + "\n"
