"""The only place that decides who sees and who changes which SSPF case.

- The case's coordinator, while she holds the SSPF coordinator grant of the
  case's municipality, reads her open and closed cases and changes the open
  ones. A case whose consent was withdrawn she may only delete.
- A participant reads an open case while its deciding consent (the newest
  valid one: given, not expired, not withdrawn) names him, with the
  organisation he takes part for. An older consent naming him no longer counts.
  He may write a short note and set the status of the plan items his kind
  of organisation owns.
- Nobody else: not the other SSPF coordinators, not an administrator, not a
  superuser. A case one may not see is a 404, the same as a case that does not exist.
- Everyone reading a case must have passed the second factor in this
  session (docs/sspf.md), unless TWO_FACTOR_REQUIRED is off.

Every read of a case, its consent, plan, participants, meetings, notes or
name writes an SspfAuditEvent (trygg.sspf.audit), so reading goes through the
functions below and nowhere else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from trygg.partners.access import has_confirmed_second_factor, standing_of
from trygg.partners.models import Municipality, Role
from trygg.sspf import crypto
from trygg.sspf.audit import Action, Target, record, record_reads
from trygg.sspf.models import (
    Case,
    Consent,
    CoordinatorGrant,
    Meeting,
    Note,
    Participant,
    PlanItem,
    ScopeEntry,
    SspfAuditEvent,
    SspfSettings,
)

# Partnership roles that read the steering-group statistics (suppressed counts only).
STATISTICS_ROLES = (Role.STEERING, Role.COORDINATOR)


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def second_factor_passed(user: Any) -> bool:
    """Whether `user` has passed the second factor: in a session, verified; outside, enrolled."""
    if not settings.TWO_FACTOR_REQUIRED:
        return True
    verified = getattr(user, "is_verified", None)
    if verified is not None:
        return bool(verified())
    # An action called from a command or the shell: no session to verify, so the
    # person must at least hold a confirmed authenticator.
    return has_confirmed_second_factor(user)


def coordinator_municipality_ids(user: Any) -> frozenset[int]:
    """Municipalities where `user` is an SSPF coordinator now (grant active, second factor)."""
    if not _is_active_user(user) or not second_factor_passed(user):
        return frozenset()
    grants = CoordinatorGrant.objects.active().filter(user=user)
    return frozenset(grants.values_list("municipality_id", flat=True))


def is_coordinator_in(user: Any, municipality_id: int) -> bool:
    return municipality_id in coordinator_municipality_ids(user)


def may_grant_coordinator(user: Any, municipality_id: int) -> bool:
    """An administrator of the municipality (or a superuser) grants it; she reads no case."""
    standing = standing_of(user)
    return standing.is_superuser or standing.has_role(municipality_id, Role.ADMIN)


def _newest_valid(case: Any, today: date) -> QuerySet[Consent]:
    """The deciding consent of `case` (a case or an OuterRef): the newest one valid today.

    A later consent replaces the earlier ones' scope: when the family narrows
    it, whoever it no longer names is out at once, however long the old one runs.
    """
    valid = Consent.objects.valid(today).filter(case=case)
    return valid.order_by("-given_on", "-pk")


def deciding_consent(case: Case, today: date | None = None) -> Consent | None:
    return _newest_valid(case, today or timezone.localdate()).first()


def _valid_scope(user: Any, today: date) -> QuerySet[ScopeEntry]:
    """Entries naming `user` in the deciding consent, for the participant row's case and kind."""
    deciding = _newest_valid(OuterRef(OuterRef("case")), today).values("pk")[:1]
    return ScopeEntry.objects.filter(
        user=user,
        consent=Subquery(deciding),
        organisation_kind=OuterRef("organisation_kind"),
    )


def participations(user: Any, today: date | None = None) -> QuerySet[Participant]:
    """`user`'s participations in open cases that a valid consent covers today."""
    if not _is_active_user(user) or not second_factor_passed(user):
        return Participant.objects.none()
    today = today or timezone.localdate()
    return Participant.objects.filter(user=user, case__status=Case.Status.OPEN).filter(
        Exists(_valid_scope(user, today))
    )


def _coordinated(user: Any, statuses: tuple[str, ...]) -> QuerySet[Case]:
    municipalities = coordinator_municipality_ids(user)
    if not municipalities:
        return Case.objects.none()
    return Case.objects.filter(
        coordinator=user, municipality_id__in=municipalities, status__in=statuses
    )


def readable_cases(user: Any, today: date | None = None) -> QuerySet[Case]:
    """Cases `user` may read (not yet logged: the functions below log what they show)."""
    own = _coordinated(user, (Case.Status.OPEN, Case.Status.CLOSED))
    taking_part = participations(user, today).values("case_id")
    return Case.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=taking_part))


def list_cases(user: Any) -> list[Case]:
    """The cases `user` may read, each read logged."""
    cases = list(readable_cases(user))
    record_reads(actor=user, target=Target.CASE, cases=cases)
    return cases


def _readable_or_404(user: Any, case_id: int) -> Case:
    case = readable_cases(user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def get_case(user: Any, case_id: int) -> Case:
    """The case for reading, logged; a 404 for anyone who may not read it."""
    case = _readable_or_404(user, case_id)
    record(actor=user, action=Action.READ, target=Target.CASE, case=case, target_id=case.pk)
    return case


def is_coordinator_of(user: Any, case: Case) -> bool:
    return case.coordinator_id == getattr(user, "pk", None) and is_coordinator_in(
        user, case.municipality_id
    )


def get_case_to_manage(user: Any, case_id: int) -> Case:
    """The case for its coordinator's changes (open or closed; the actions check which), logged.

    Logged as a read: the page that asks for the change shows the case.
    """
    case = _coordinated(user, (Case.Status.OPEN, Case.Status.CLOSED)).filter(pk=case_id).first()
    if case is None:
        raise Http404
    record(actor=user, action=Action.READ, target=Target.CASE, case=case, target_id=case.pk)
    return case


def get_case_to_purge(user: Any, case_id: int) -> Case:
    """A closed or withdrawn case, for its coordinator's purge (all that withdrawal leaves).

    A case still open on paper whose consent ran out counts as closed (`is_open_today`).
    """
    statuses = (Case.Status.OPEN, Case.Status.CLOSED, Case.Status.WITHDRAWN)
    case = _coordinated(user, statuses).filter(pk=case_id).first()
    if case is None or is_open_today(case):
        raise Http404
    record(actor=user, action=Action.READ, target=Target.CASE, case=case, target_id=case.pk)
    return case


def _read(user: Any, case: Case, target: str, queryset: QuerySet[Any]) -> list[Any]:
    """The rows of `queryset` of a case `user` may read, with one logged read."""
    _readable_or_404(user, case.pk)
    record(actor=user, action=Action.READ, target=target, case=case)
    return list(queryset)


def readable_text(token: str) -> str:
    """An encrypted value in clear, or a plain warning where no configured key opens it."""
    try:
        return crypto.decrypt(token)
    except (crypto.UnreadableError, crypto.NoKeyError):
        return gettext("[cannot be read: the key is missing]")


def consents_of(user: Any, case: Case) -> list[Consent]:
    """The consents with their scope; the encrypted text decrypted as `document`, `organisation`."""
    consents = _read(user, case, Target.CONSENT, case.consents.prefetch_related("scope"))
    for consent in consents:
        consent.document = readable_text(consent.document_reference)
        for entry in consent.scope.all():
            entry.organisation = readable_text(entry.organisation_name)
    return consents


def participants_of(user: Any, case: Case) -> list[Participant]:
    """The participants, each marked `in_scope`: whether the deciding consent still names him."""
    queryset = case.participants.select_related("user").order_by("organisation_kind", "pk")
    participants = _read(user, case, Target.PARTICIPANT, queryset)
    deciding = deciding_consent(case)
    covered = set(deciding.scope.values_list("user_id", "organisation_kind")) if deciding else set()
    for participant in participants:
        participant.in_scope = (participant.user_id, participant.organisation_kind) in covered
    return participants


def meetings_of(user: Any, case: Case) -> list[Meeting]:
    queryset = case.meetings.prefetch_related("attendees__user")
    return _read(user, case, Target.MEETING, queryset)


def plan_of(user: Any, case: Case) -> list[PlanItem]:
    return _read(user, case, Target.PLAN, case.plan.all())


def notes_of(user: Any, case: Case) -> list[Note]:
    return _read(user, case, Target.NOTE, case.notes.select_related("author"))


def name_of(user: Any, case: Case) -> str:
    """The young person's name, decrypted for the coordinator and named participants, logged."""
    _readable_or_404(user, case.pk)
    if not case.name_token:
        return ""
    record(actor=user, action=Action.READ, target=Target.NAME, case=case)
    return crypto.decrypt(case.name_token)


def access_history(user: Any, case: Case, person_id: int | None = None) -> list[SspfAuditEvent]:
    """Who read or changed the case (or only `person_id`'s entries): for its coordinator only."""
    if not is_coordinator_of(user, case):
        raise Http404
    events = SspfAuditEvent.objects.filter(case_id=case.pk)
    if person_id is not None:
        events = events.filter(actor_id=person_id)
    record(actor=user, action=Action.READ, target=Target.ACCESS_LOG, case=case, target_id=person_id)
    return list(events)


def has_valid_consent(case: Case, today: date | None = None) -> bool:
    return case.consents.valid(today or timezone.localdate()).exists()


def is_open_today(case: Case, today: date | None = None) -> bool:
    """Open, and not past its consent: a case that had a consent but holds no valid one today
    is closed for every read and write, whether or not the daily command has closed it yet."""
    if not case.is_open:
        return False
    return not case.consents.exists() or has_valid_consent(case, today)


def may_write_note(user: Any, case: Case) -> bool:
    """Only under a valid consent: before it the case is a shell, after it closed."""
    if not case.is_open or not has_valid_consent(case):
        return False
    return is_coordinator_of(user, case) or participations(user).filter(case=case).exists()


def may_set_plan_status(user: Any, item: PlanItem) -> bool:
    """The coordinator, or a participant for the kind of organisation that owns the item."""
    case = item.case
    if not case.is_open or not has_valid_consent(case):
        return False
    if is_coordinator_of(user, case):
        return True
    return participations(user).filter(case=case, organisation_kind=item.owner_kind).exists()


def statistics_municipality_ids(user: Any) -> frozenset[int]:
    """Where `user` reads the suppressed statistics: SSPF coordinators and the steering group."""
    standing = standing_of(user)
    steering = {m for m, roles in standing.roles.items() if roles & set(STATISTICS_ROLES)}
    return frozenset(steering) | coordinator_municipality_ids(user)


def coordinator_municipality(user: Any, code: str) -> Municipality:
    """The municipality `code` where `user` opens SSPF cases; a 404 for anyone else."""
    municipality = Municipality.objects.filter(code=code).defer("boundary").first()
    if municipality is None or not is_coordinator_in(user, municipality.pk):
        raise Http404
    return municipality


def statistics_municipality(user: Any, code: str) -> Municipality:
    municipality = Municipality.objects.filter(code=code).defer("boundary").first()
    if municipality is None or municipality.pk not in statistics_municipality_ids(user):
        raise Http404
    return municipality


def coordinated_municipalities(user: Any) -> list[Municipality]:
    ids = coordinator_municipality_ids(user)
    return list(Municipality.objects.filter(pk__in=ids).defer("boundary").order_by("name"))


def offers_sspf(user: Any) -> bool:
    """Whether the menu shows the SSPF link: to coordinators, and participants of a readable case.

    The link says "SSPF" and nothing more; everyone else (the other roles, a
    participant whose cases all closed) sees no link, so its presence tells
    nobody but the person about her own part.
    """
    if not _is_active_user(user):
        return False
    if CoordinatorGrant.objects.active().filter(user=user).exists():
        return True
    return participations(user).exists()


def needs_second_factor(user: Any) -> bool:
    """Whether `user` has an SSPF part this session cannot use until the second factor is passed.

    Tells the person about her own standing only, to send her to the code page
    instead of a 404 she could not make sense of.
    """
    if not settings.TWO_FACTOR_REQUIRED or not _is_active_user(user):
        return False
    verified = getattr(user, "is_verified", None)
    if verified is None or verified():
        return False
    grants = CoordinatorGrant.objects.active().filter(user=user)
    return grants.exists() or Participant.objects.filter(user=user).exists()


def granting_municipality(user: Any, code: str) -> Municipality:
    """The municipality whose SSPF coordinators `user` administers; a 404 for anyone else."""
    municipality = Municipality.objects.filter(code=code).defer("boundary").first()
    if municipality is None or not may_grant_coordinator(user, municipality.pk):
        raise Http404
    return municipality


def grants_of(user: Any, municipality: Municipality) -> QuerySet[CoordinatorGrant]:
    """The active SSPF coordinator grants of `municipality`, for its administrators."""
    if not may_grant_coordinator(user, municipality.pk):
        return CoordinatorGrant.objects.none()
    grants = CoordinatorGrant.objects.active().filter(municipality=municipality)
    return grants.select_related("user").order_by("user__username")


def retention_of(municipality: Municipality) -> SspfSettings:
    """The municipality's retention, its defaults if it chose none (not saved)."""
    own = SspfSettings.objects.filter(municipality=municipality).first()
    return own or SspfSettings(municipality=municipality)
