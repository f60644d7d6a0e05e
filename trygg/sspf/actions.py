"""Writes of SSPF cases: one named action per verb, in one transaction, each logged.

Consent comes first: until a valid consent exists a case is a shell (age
band, school unit, concern, coordinator, perhaps the encrypted name), and no
participant, meeting or plan item can be added. Withdrawal is one action
that closes the case for everyone; what remains for the coordinator is the
purge. Closing writes the anonymous CaseStatistic row, the only thing the
purge leaves.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db import connections, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.partners.access import has_confirmed_second_factor
from trygg.partners.models import Municipality
from trygg.reports.masking import mask_personal_data
from trygg.sspf import access, crypto
from trygg.sspf.audit import Action, Target, record
from trygg.sspf.models import (
    NOTE_MAX_LENGTH,
    PLAN_TEXT_MAX_LENGTH,
    AgeBand,
    Case,
    CaseStatistic,
    Concern,
    Consent,
    CoordinatorGrant,
    Meeting,
    Note,
    OrganisationKind,
    Outcome,
    Participant,
    PlanItem,
    ScopeEntry,
    SspfAuditEvent,
    SspfSettings,
)

NAME_MAX_LENGTH = 150
# A consent longer than this is not what the family signed up for; a new one is recorded.
CONSENT_MAX_DAYS = 3 * 366
# A case shell that gets no consent in this many days closes and is deleted: without
# consent there is nothing to coordinate, and nothing to keep.
SHELL_DAYS = 30


class SspfRefused(ValueError):
    """A change the rules do not allow; the message says why, for the person who tried."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Covered:
    """One line of a consent's scope: an organisation, and the named person in it (if any)."""

    organisation_kind: str
    organisation_name: str = ""
    user: Any = None


def _require(allowed: bool) -> None:
    # Someone who may not do this may not know the case exists either: the same 404.
    if not allowed:
        raise Http404


def _open_case_of(by: Any, case: Case) -> Case:
    """The case locked for a change by its coordinator; refused once it is closed."""
    _require(access.is_coordinator_of(by, case))
    case = Case.objects.select_for_update().get(pk=case.pk)
    # A consent that ran out closes the case now, not when the daily command next runs.
    if not access.is_open_today(case):
        raise SspfRefused(_("The case is closed."))
    return case


def _has_valid_consent(case: Case, today: date) -> bool:
    return case.consents.valid(today).exists()


# --- The coordinator role -------------------------------------------------------------------


@transaction.atomic
def grant_coordinator(*, by: Any, user: Any, municipality: Municipality) -> CoordinatorGrant:
    """Make `user` an SSPF coordinator of `municipality`: an administrator's act, 2FA required."""
    _require(access.may_grant_coordinator(by, municipality.pk))
    if not has_confirmed_second_factor(user):
        raise SspfRefused(
            _("An SSPF coordinator must have a second factor (an authenticator app) first."),
            "user",
        )
    grant = CoordinatorGrant.objects.active().filter(user=user, municipality=municipality).first()
    if grant is None:
        grant = CoordinatorGrant.objects.create(user=user, municipality=municipality, granted_by=by)
        record(actor=by, action=Action.GRANT, target=Target.ROLE, target_id=user.pk,
               municipality_id=municipality.pk)  # fmt: skip
    return grant


@transaction.atomic
def revoke_coordinator(*, by: Any, grant: CoordinatorGrant) -> None:
    _require(access.may_grant_coordinator(by, grant.municipality_id))
    CoordinatorGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    record(actor=by, action=Action.REVOKE, target=Target.ROLE, target_id=grant.user_id,
           municipality_id=grant.municipality_id)  # fmt: skip


@transaction.atomic
def set_retention(
    *, by: Any, municipality: Municipality, purge_after_months: int, audit_months: int
) -> SspfSettings:
    """How long the municipality keeps closed cases and their access log: its administrators'."""
    _require(access.may_grant_coordinator(by, municipality.pk))
    low, high = SspfSettings.PURGE_AFTER_RANGE
    if not low <= purge_after_months <= high:
        raise SspfRefused(_("Between %(low)d and %(high)d months.") % {"low": low, "high": high},
                          "purge_after_months")  # fmt: skip
    low, high = SspfSettings.AUDIT_RANGE
    if not low <= audit_months <= high:
        raise SspfRefused(_("Between %(low)d and %(high)d months.") % {"low": low, "high": high},
                          "audit_months")  # fmt: skip
    own, _created = SspfSettings.objects.update_or_create(
        municipality=municipality,
        defaults={"purge_after_months": purge_after_months, "audit_months": audit_months},
    )
    record(actor=by, action=Action.CHANGE, target=Target.SETTINGS, target_id=own.pk,
           municipality_id=municipality.pk)  # fmt: skip
    return own


# --- Opening and consent -------------------------------------------------------------------


@transaction.atomic
def open_case(
    *,
    by: Any,
    municipality: Municipality,
    age_band: str,
    school_unit: str,
    concern: str,
    name: str = "",
) -> Case:
    """A case shell with a generated pseudonym; a name, if kept, encrypted."""
    _require(access.is_coordinator_in(by, municipality.pk))
    if age_band not in AgeBand.values:
        raise SspfRefused(_("Choose an age band."), "age_band")
    if concern not in Concern.values:
        raise SspfRefused(_("Choose a concern."), "concern")
    school_unit = mask_personal_data(school_unit.strip())
    if not school_unit or len(school_unit) > 120:
        raise SspfRefused(_("Name the school unit (at most 120 characters)."), "school_unit")
    case = Case.objects.create(
        municipality=municipality, age_band=age_band, school_unit=school_unit,
        concern=concern, coordinator=by, name_token=_name_token(name),
    )  # fmt: skip
    record(actor=by, action=Action.CREATE, target=Target.CASE, case=case, target_id=case.pk)
    return case


def _name_token(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    if len(name) > NAME_MAX_LENGTH:
        raise SspfRefused(_("The name is too long."), "name")
    if not crypto.has_key():
        raise SspfRefused(_("No encryption key is configured, so no name can be kept."), "name")
    return crypto.encrypt(name)


def _secret_text(text: str, max_length: int, field: str) -> str:
    """Free text that may hold a name despite the warning: masked, then encrypted like the name."""
    text = mask_personal_data(text.strip())[:max_length]
    if not text:
        return ""
    if not crypto.has_key():
        raise SspfRefused(_("No encryption key is configured, so no consent can be kept."), field)
    return crypto.encrypt(text)


def _check_consent(case: Case, consent: Consent, today: date) -> None:
    if not consent.is_complete_for(case.age_band):
        raise SspfRefused(_consent_rule(case.age_band), "by_guardian_1")
    if consent.given_on > today:
        raise SspfRefused(_("The consent cannot be dated in the future."), "given_on")
    if consent.expires_on < today:
        raise SspfRefused(_("The consent has already expired."), "expires_on")
    if (consent.expires_on - consent.given_on).days > CONSENT_MAX_DAYS:
        raise SspfRefused(_("A consent is valid for at most three years."), "expires_on")


def _consent_rule(age_band: str) -> str:
    if age_band == AgeBand.ADULT:
        return _("From 18 the young person consents alone.")
    if age_band == AgeBand.FROM_15:
        return _("From 15 both the guardians and the young person must consent.")
    return _("Both guardians must consent (one, if that guardian has sole custody).")


def _check_scope(scope: list[Covered]) -> None:
    if not scope:
        raise SspfRefused(_("Name who the consent covers."), "scope")
    for line in scope:
        if line.organisation_kind not in OrganisationKind.values:
            raise SspfRefused(_("Choose the kind of organisation."), "scope")
        if line.user is not None and not line.user.is_active:
            raise SspfRefused(_("A person named in the consent has no active account."), "scope")


@transaction.atomic
def record_consent(
    *,
    by: Any,
    case: Case,
    given_on: date,
    expires_on: date,
    document_reference: str,
    scope: Iterable[Covered],
    by_guardian_1: bool = False,
    by_guardian_2: bool = False,
    sole_custody: bool = False,
    by_young_person: bool = False,
) -> Consent:
    """A written consent with whom it covers; it must be complete for the young person's age."""
    case = _open_case_of(by, case)
    if not document_reference.strip():
        raise SspfRefused(_("Say where the signed consent is kept."), "document_reference")
    consent = Consent(
        case=case, by_guardian_1=by_guardian_1, by_guardian_2=by_guardian_2,
        sole_custody=sole_custody, by_young_person=by_young_person, given_on=given_on,
        expires_on=expires_on, recorded_by=by,
    )  # fmt: skip
    _check_consent(case, consent, timezone.localdate())
    scope = list(scope)
    _check_scope(scope)
    consent.document_reference = _secret_text(document_reference, 100, "document_reference")
    consent.save()
    ScopeEntry.objects.bulk_create(
        ScopeEntry(consent=consent, organisation_kind=line.organisation_kind,
                   organisation_name=_secret_text(line.organisation_name, 150, "scope"),
                   user=line.user)
        for line in scope
    )  # fmt: skip
    record(actor=by, action=Action.CREATE, target=Target.CONSENT, case=case, target_id=consent.pk)
    return consent


@transaction.atomic
def withdraw_consent(*, by: Any, case: Case) -> Case:
    """The family withdrew consent: one step closes the case for everyone but the purge."""
    case = _open_case_of(by, case)
    case.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    _close(case, Case.Status.WITHDRAWN, Outcome.CONSENT_WITHDRAWN, timezone.localdate())
    record(actor=by, action=Action.WITHDRAW, target=Target.CONSENT, case=case)
    return case


# --- Participants, meetings, plan, notes ---------------------------------------------------


def _in_scope(case: Case, user: Any, organisation_kind: str, today: date) -> bool:
    """Whether the deciding (newest valid) consent names `user` for `organisation_kind`."""
    deciding = access.deciding_consent(case, today)
    return (
        deciding is not None
        and deciding.scope.filter(user=user, organisation_kind=organisation_kind).exists()
    )


@transaction.atomic
def add_participant(*, by: Any, case: Case, user: Any, organisation_kind: str) -> Participant:
    """Someone named in a valid consent, for the organisation it names him with; nobody else."""
    case = _open_case_of(by, case)
    today = timezone.localdate()
    if not _has_valid_consent(case, today):
        raise SspfRefused(_("Record a valid consent before adding participants."), "user")
    if not _in_scope(case, user, organisation_kind, today):
        raise SspfRefused(_("The consent does not name this person for this organisation."),
                          "user")  # fmt: skip
    participant, created = Participant.objects.get_or_create(
        case=case, user=user, defaults={"organisation_kind": organisation_kind}
    )
    if not created:
        raise SspfRefused(_("This person already takes part."), "user")
    record(actor=by, action=Action.CREATE, target=Target.PARTICIPANT, case=case,
           target_id=participant.pk)  # fmt: skip
    return participant


@transaction.atomic
def add_meeting(
    *,
    by: Any,
    case: Case,
    kind: str,
    held_on: date,
    attendees: Iterable[Participant] = (),
    guardians_present: bool = False,
    young_person_present: bool = False,
) -> Meeting:
    case = _open_case_of(by, case)
    if not _has_valid_consent(case, timezone.localdate()):
        raise SspfRefused(_("Record a valid consent before planning meetings."), "held_on")
    if kind not in Meeting.Kind.values:
        raise SspfRefused(_("Choose the kind of meeting."), "kind")
    attendees = list(attendees)
    if any(a.case_id != case.pk for a in attendees):
        raise SspfRefused(_("Only the case's participants can attend."), "attendees")
    meeting = Meeting.objects.create(
        case=case, kind=kind, held_on=held_on, guardians_present=guardians_present,
        young_person_present=young_person_present,
    )  # fmt: skip
    meeting.attendees.set(attendees)
    record(actor=by, action=Action.CREATE, target=Target.MEETING, case=case, target_id=meeting.pk)
    return meeting


def _plan_text(text: str, field: str) -> str:
    text = mask_personal_data(text.strip())
    if not text or len(text) > PLAN_TEXT_MAX_LENGTH:
        raise SspfRefused(_("Write at most %(n)d characters.") % {"n": PLAN_TEXT_MAX_LENGTH}, field)
    return text


@transaction.atomic
def add_plan_item(
    *, by: Any, case: Case, goal: str, action: str, owner_kind: str, due_on: date | None = None
) -> PlanItem:
    case = _open_case_of(by, case)
    if not _has_valid_consent(case, timezone.localdate()):
        raise SspfRefused(_("Record a valid consent before making a plan."), "goal")
    if owner_kind not in OrganisationKind.values:
        raise SspfRefused(_("Choose the responsible organisation."), "owner_kind")
    item = PlanItem.objects.create(
        case=case, goal=_plan_text(goal, "goal"), action=_plan_text(action, "action"),
        owner_kind=owner_kind, due_on=due_on,
    )  # fmt: skip
    record(actor=by, action=Action.CREATE, target=Target.PLAN, case=case, target_id=item.pk)
    return item


@transaction.atomic
def set_plan_status(*, by: Any, item: PlanItem, status: str) -> PlanItem:
    """The coordinator, or a participant for the owning organisation, follows an item up."""
    item = PlanItem.objects.select_for_update().select_related("case").get(pk=item.pk)
    _require(access.may_set_plan_status(by, item))
    if status not in PlanItem.Status.values:
        raise SspfRefused(_("Choose a status."), "status")
    item.status, item.updated_at = status, timezone.now()
    item.save(update_fields=["status", "updated_at"])
    record(actor=by, action=Action.CHANGE, target=Target.PLAN, case=item.case, target_id=item.pk)
    return item


@transaction.atomic
def add_note(*, by: Any, case: Case, text: str) -> Note:
    """A short logistics note, masked like report text; the narrative stays in the journals.

    Only under a valid consent (access.may_write_note): a shell or a lapsed case takes none.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(access.may_write_note(by, case))
    text = mask_personal_data(text.strip())
    if not text:
        raise SspfRefused(_("The note is empty."), "text")
    if len(text) > NOTE_MAX_LENGTH:
        raise SspfRefused(
            _("A note holds at most %(n)d characters; the narrative belongs in your own journal.")
            % {"n": NOTE_MAX_LENGTH},
            "text",
        )
    note = Note.objects.create(case=case, text=text, author=by)
    record(actor=by, action=Action.CREATE, target=Target.NOTE, case=case, target_id=note.pk)
    return note


# --- Closing --------------------------------------------------------------------------------


def _close(case: Case, status: str, outcome: str, today: date) -> None:
    """Close `case` and write what will be left of it: the anonymous statistic row."""
    case.status, case.outcome, case.closed_on = status, outcome, today
    case.save(update_fields=["status", "outcome", "closed_on"])
    CaseStatistic.objects.create(
        year=case.opened_on.year, municipality_id=case.municipality_id, age_band=case.age_band,
        concern=case.concern, duration_days=max((today - case.opened_on).days, 0),
        outcome=outcome,
    )  # fmt: skip


@transaction.atomic
def close_case(*, by: Any, case: Case, outcome: str) -> Case:
    case = _open_case_of(by, case)
    automatic = (Outcome.CONSENT_WITHDRAWN, Outcome.CONSENT_EXPIRED, Outcome.NO_CONSENT)
    if outcome not in Outcome.values or outcome in automatic:
        raise SspfRefused(_("Choose an outcome."), "outcome")
    _close(case, Case.Status.CLOSED, outcome, timezone.localdate())
    record(actor=by, action=Action.CLOSE, target=Target.CASE, case=case, target_id=case.pk)
    return case


def close_expired(*, today: date | None = None) -> int:
    """Close every open case whose consents all expired, or that never got one; how many."""
    today = today or timezone.localdate()
    consented = Case.objects.open().filter(consents__isnull=False).distinct()
    expired = consented.exclude(consents__in=Consent.objects.valid(today))
    shells = Case.objects.open().filter(
        consents__isnull=True, opened_on__lte=today - timedelta(days=SHELL_DAYS)
    )
    closed = 0
    for case_id in [*expired.values_list("pk", flat=True), *shells.values_list("pk", flat=True)]:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            outcome = _automatic_outcome(case, today)
            if outcome:
                _close(case, Case.Status.CLOSED, outcome, today)
                record(actor=None, action=Action.CLOSE, target=Target.CASE, case=case,
                       target_id=case.pk)  # fmt: skip
                closed += 1
    return closed


def _automatic_outcome(case: Case, today: date) -> str:
    """Why `case` closes by itself today ("" if it stays open), checked under its lock."""
    if not case.is_open:
        return ""
    if not case.consents.exists():
        shell_ended = (today - case.opened_on).days >= SHELL_DAYS
        return Outcome.NO_CONSENT if shell_ended else ""
    return "" if _has_valid_consent(case, today) else Outcome.CONSENT_EXPIRED


# --- Purge ------------------------------------------------------------------------------------


@transaction.atomic
def purge_case(*, by: Any, case: Case) -> None:
    """Delete the case and everything of it; its statistic row was written when it closed.

    `by` None is the scheduled purge; a person must be the case's coordinator,
    and the case closed or withdrawn. The access log of the case stays, with
    the case's number only, until SspfSettings.audit_months have passed
    (`purge_expired_audit`).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if by is not None:
        _require(access.is_coordinator_of(by, case))
    if access.is_open_today(case):
        raise SspfRefused(_("Close the case before deleting it."))
    if case.is_open:
        # Its consent ran out and the daily command has not closed it yet: close it now,
        # so its statistic row is written before the case goes.
        _close(case, Case.Status.CLOSED, Outcome.CONSENT_EXPIRED, timezone.localdate())
        record(actor=by, action=Action.CLOSE, target=Target.CASE, case=case, target_id=case.pk)
    record(actor=by, action=Action.PURGE, target=Target.CASE, case=case, target_id=case.pk)
    case.delete()


def _months_ago(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(today.day, last))


def cases_due_for_purge(today: date) -> list[int]:
    """Cases whose consent was withdrawn or ran out, and closed ones past their time."""
    settings = {s.municipality_id: s for s in SspfSettings.objects.all()}
    ended = Case.objects.filter(
        Q(status=Case.Status.WITHDRAWN)
        | Q(status=Case.Status.CLOSED, outcome__in=(Outcome.CONSENT_EXPIRED, Outcome.NO_CONSENT))
    )
    due = set(ended.values_list("pk", flat=True))
    closed = Case.objects.filter(status=Case.Status.CLOSED)
    for municipality_id in set(closed.values_list("municipality_id", flat=True)):
        own = settings.get(municipality_id)
        months = own.purge_after_months if own else SspfSettings.DEFAULT_PURGE_AFTER_MONTHS
        old = closed.filter(
            municipality_id=municipality_id, closed_on__lte=_months_ago(today, months)
        )
        due.update(old.values_list("pk", flat=True))
    return sorted(due)


@transaction.atomic
def purge_expired_audit(*, today: date) -> int:
    """Remove the access log of cases deleted more than their municipality's audit months ago."""
    settings = {s.municipality_id: s for s in SspfSettings.objects.all()}
    purged = SspfAuditEvent.objects.filter(action=Action.PURGE, target=Target.CASE)
    expired = []
    for event in purged.only("case_id", "municipality_id", "at"):
        own = settings.get(event.municipality_id)
        months = own.audit_months if own else SspfSettings.DEFAULT_AUDIT_MONTHS
        if timezone.localdate(event.at) <= _months_ago(today, months):
            expired.append(event.case_id)
    return SspfAuditEvent.objects.purge_expired(expired) if expired else 0


def purge_due(*, today: date | None = None) -> dict[str, int]:
    """The daily run: close cases whose consent expired, delete what is due, then old logs."""
    today = today or timezone.localdate()
    closed = close_expired(today=today)
    due = cases_due_for_purge(today)
    for case in Case.objects.filter(pk__in=due):
        purge_case(by=None, case=case)
    return {"closed": closed, "purged": len(due), "audit": purge_expired_audit(today=today)}


# Every encrypted column of SSPF: what `rotate_secrets` re-encrypts.
ENCRYPTED_FIELDS = (
    (Case, "name_token"),
    (Consent, "document_reference"),
    (ScopeEntry, "organisation_name"),
)


def vacuum_tables(using: str = "default") -> int:
    """PostgreSQL: VACUUM the SSPF tables, so purged rows leave the data files; how many tables.

    VACUUM cannot run in a transaction: called by `trygg sspf_purge` after the
    purge committed, and skipped (0) inside one. SQLite needs none: its
    connections overwrite deleted rows (PRAGMA secure_delete, trygg/env.py).
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 0
    tables = [m._meta.db_table for m in apps.get_app_config("sspf").get_models(
        include_auto_created=True)]  # fmt: skip
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
    return len(tables)


def rotate_secrets() -> int:
    """Re-encrypt every stored secret under the newest key; returns how many values were."""
    count = 0
    for model, field in ENCRYPTED_FIELDS:
        ids = list(model.objects.exclude(**{field: ""}).values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                row = model.objects.select_for_update().get(pk=pk)
                setattr(row, field, crypto.rotate(getattr(row, field)))
                row.save(update_fields=[field])
        count += len(ids)
    return count
