"""SSPF: consent-based coordination around one young person, sealed from everything else.

The app holds coordination logistics only (DOMAIN.md "SSPF"): a case
pseudonym, age band, school unit, consent records, participants, meetings,
plan items and a short masked note. No personal identity number, and a name
only encrypted (trygg.sspf.crypto). Narratives stay in each organisation's own
journal.

Sealing by design: no model here points at reports, areas, measures,
meetings or anything place-based, and nothing there points here
(tests/sspf/test_isolation.py reads the model graph). Links to users and the
municipality carry `related_name="+"`, so neither a user nor a municipality
offers a path back to SSPF data. Nothing here is registered in the admin.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.partners.models import Municipality

NOTE_MAX_LENGTH = 500
PLAN_TEXT_MAX_LENGTH = 300
# Unambiguous letters and digits (no 0/O, 1/I/L): a pseudonym is read aloud in meetings.
_PSEUDONYM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_pseudonym() -> str:
    """A random case name, e.g. `SSPF-7KQ4-MX2P`: it says nothing about the young person."""
    chars = [secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(8)]
    return f"SSPF-{''.join(chars[:4])}-{''.join(chars[4:])}"


class AgeBand(models.TextChoices):
    """Bands cut where the consent rules change: at 15 and at 18."""

    UNDER_12 = "6-11", _("6–11 years")
    FROM_12 = "12-14", _("12–14 years")
    FROM_15 = "15-17", _("15–17 years")
    ADULT = "18-21", _("18–21 years")


class Concern(models.TextChoices):
    """Why a case is opened: the SSPF triggers (research/domain.md §5)."""

    CRIME = "crime", _("Suspected of or has committed a crime")
    CRIMINAL_FRIENDS = "criminal_friends", _("Friends who commit crimes")
    SUBSTANCES = "substances", _("Own or friends' use of alcohol or drugs")
    BEHAVIOUR = "behaviour", _("Destructive behaviour or change of behaviour")
    RISKY_ENVIRONMENT = "risky_environment", _("Risky environments")
    SCHOOL = "school", _("High school absence or school problems")
    NO_LEISURE = "no_leisure", _("No positive leisure activity")


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    SOCIAL_SERVICES = "social_services", _("Social services")
    POLICE = "police", _("Police")
    LEISURE = "leisure", _("Leisure")


class Outcome(models.TextChoices):
    PLAN_COMPLETED = "plan_completed", _("Plan completed")
    PARTLY_COMPLETED = "partly_completed", _("Plan partly completed")
    HANDED_OVER = "handed_over", _("Handed over to other support")
    MOVED = "moved", _("Moved away")
    DECLINED = "declined", _("Did not wish to continue")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CONSENT_EXPIRED = "consent_expired", _("Consent expired")
    NO_CONSENT = "no_consent", _("No consent was given")
    OTHER = "other", _("Other")


class SspfSettings(models.Model):
    """How long one municipality keeps SSPF data; absent means the defaults below."""

    DEFAULT_PURGE_AFTER_MONTHS = 6
    DEFAULT_AUDIT_MONTHS = 24
    # What a municipality may choose: a closed case kept at most 3 years, its log 1 to 10.
    PURGE_AFTER_RANGE = (1, 36)
    AUDIT_RANGE = (12, 120)

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="+")
    purge_after_months = models.PositiveSmallIntegerField(
        _("delete closed cases after (months)"), default=DEFAULT_PURGE_AFTER_MONTHS
    )
    audit_months = models.PositiveSmallIntegerField(
        _("keep the access log of deleted cases (months)"), default=DEFAULT_AUDIT_MONTHS
    )

    class Meta:
        verbose_name = _("SSPF settings")
        verbose_name_plural = _("SSPF settings")

    def __str__(self) -> str:
        return f"SSPF {self.municipality_id}"


class CoordinatorGrantQuerySet(models.QuerySet["CoordinatorGrant"]):
    def active(self) -> CoordinatorGrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class CoordinatorGrant(models.Model):
    """The SSPF coordinator role for one municipality, granted by an administrator.

    Kept apart from partners.Role on purpose: the roles there are ranked, and a
    new rank would be read by every check that says "coordinator or above".
    This grant widens nothing outside this app.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = CoordinatorGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("SSPF coordinator")
        verbose_name_plural = _("SSPF coordinators")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=models.Q(revoked_at__isnull=True),
                name="sspf_one_active_grant",
            )
        ]

    def __str__(self) -> str:
        return f"SSPF coordinator {self.user_id} @ {self.municipality_id}"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status=Case.Status.OPEN)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Case open")
        CLOSED = "closed", _("Case closed")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    pseudonym = models.CharField(_("case"), max_length=20, unique=True, default=new_pseudonym)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices)
    # Text, not a link: a school is a unit of the organisation, and a link to a place would
    # join person-based data to the place-based picture.
    school_unit = models.CharField(_("school unit"), max_length=120)
    concern = models.CharField(_("concern"), max_length=20, choices=Concern.choices)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_on = models.DateField(_("opened"), default=date.today)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # A Fernet token (authenticated encryption), never the name itself: see crypto.py.
    name_token = models.TextField(_("name (encrypted)"), blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("SSPF case")
        verbose_name_plural = _("SSPF cases")
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid(self, today: date) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True, given_on__lte=today, expires_on__gte=today)


class Consent(models.Model):
    """A written consent: who gave it, when, whom it covers, until when, and the document.

    Under 15 the guardians consent; from 15 also the young person; from 18 the
    person alone (`Consent.is_complete_for`). One guardian is enough only where
    that guardian has sole custody.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    by_guardian_1 = models.BooleanField(_("guardian 1 consented"), default=False)
    by_guardian_2 = models.BooleanField(_("guardian 2 consented"), default=False)
    sole_custody = models.BooleanField(_("one guardian has sole custody"), default=False)
    by_young_person = models.BooleanField(_("the young person consented"), default=False)
    given_on = models.DateField(_("date of consent"))
    expires_on = models.DateField(_("valid until"))
    # Where the signed paper or scan is kept (e.g. a diary number), never the document.
    # A Fernet token like Case.name_token: people write names into any text box.
    document_reference = models.TextField(_("document reference (encrypted)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.given_on}–{self.expires_on}"

    def is_complete_for(self, age_band: str) -> bool:
        """Whether the right people consented for a young person in `age_band`."""
        if age_band == AgeBand.ADULT:
            return self.by_young_person
        guardians = self.by_guardian_1 and (self.by_guardian_2 or self.sole_custody)
        if age_band == AgeBand.FROM_15:
            return guardians and self.by_young_person
        return guardians

    def is_valid_on(self, today: date) -> bool:
        return self.withdrawn_at is None and self.given_on <= today <= self.expires_on


class ScopeEntry(models.Model):
    """One organisation, and optionally one named person of it, that the consent covers.

    Only a named person may become a participant; an entry without a person
    records that the organisation is covered but lets nobody in.
    """

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="scope")
    organisation_kind = models.CharField(
        _("organisation"), max_length=20, choices=OrganisationKind.choices
    )
    # Encrypted too (a Fernet token): "Anna at Parkskolan" is a name.
    organisation_name = models.TextField(_("organisation name (encrypted)"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("covered by the consent")
        verbose_name_plural = _("covered by the consent")

    def __str__(self) -> str:
        return f"{self.consent_id} {self.organisation_kind} {self.user_id or ''}"


class Participant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    organisation_kind = models.CharField(
        _("organisation"), max_length=20, choices=OrganisationKind.choices
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="sspf_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id} ({self.organisation_kind})"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MAPPING = "mapping", _("Mapping conversation")
        NETWORK = "network", _("Network meeting")
        FOLLOW_UP = "follow_up", _("Follow-up meeting")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(Participant, blank=True, related_name="meetings")
    # The family is there, but not as users: they have no login and no name here.
    guardians_present = models.BooleanField(_("guardians present"), default=False)
    young_person_present = models.BooleanField(_("young person present"), default=False)

    class Meta:
        verbose_name = _("SSPF meeting")
        verbose_name_plural = _("SSPF meetings")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.held_on}"


class PlanItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan")
    goal = models.CharField(_("goal"), max_length=PLAN_TEXT_MAX_LENGTH)
    action = models.CharField(_("action"), max_length=PLAN_TEXT_MAX_LENGTH)
    owner_kind = models.CharField(
        _("responsible organisation"), max_length=20, choices=OrganisationKind.choices
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.owner_kind} {self.due_on}"


class Note(models.Model):
    """A short logistics note, masked on write; narrative belongs in each organisation's journal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.written_at:%Y-%m-%d}"


class SspfAuditEventQuerySet(models.QuerySet["SspfAuditEvent"]):
    """Append-only: no bulk update; bulk delete only through `purge_expired`."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The SSPF audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The SSPF audit log is append-only.")

    def purge_expired(self, case_ids: list[int]) -> int:
        """The retention purge: the only way rows leave, for cases deleted long enough ago."""
        # A raw delete: nothing cascades from this table, and delete() above refuses.
        # The database's trigger (migration 0005) lets it through only inside purging_audit.
        from trygg.sspf.guard import purging_audit

        with transaction.atomic(using=self.db), purging_audit(self.db):
            return self.filter(case_id__in=case_ids)._raw_delete(self.db)


class SspfAuditEvent(models.Model):
    """Who read or changed which SSPF object, when and from where. Never free text.

    Plain numbers, not foreign keys: deleting a case must not cascade into its
    access history, which outlives the case for the legal period
    (SspfSettings.audit_months) and is then removed by the retention purge.
    The pseudonym is not copied in, so the log holds no trace of who the case was.
    Database triggers refuse UPDATE (migration 0002) and any DELETE but the
    retention purge's (migration 0005, trygg.sspf.guard).
    """

    class Action(models.TextChoices):
        READ = "read", _("Read")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        WITHDRAW = "withdraw", _("Consent withdrawn")
        CLOSE = "close", _("Closed")
        PURGE = "purge", _("Deleted")
        GRANT = "grant", _("Role granted")
        REVOKE = "revoke", _("Role revoked")

    class Target(models.TextChoices):
        CASE = "case", _("Case")
        CONSENT = "consent", _("Consent")
        PARTICIPANT = "participant", _("Participant")
        MEETING = "meeting", _("Meeting")
        PLAN = "plan", _("Plan")
        NOTE = "note", _("Note")
        NAME = "name", _("Name")
        ACCESS_LOG = "access_log", _("Access history")
        STATISTICS = "statistics", _("Statistics")
        ROLE = "role", _("SSPF coordinator role")
        SETTINGS = "settings", _("Retention settings")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    target = models.CharField(_("which"), max_length=12, choices=Target.choices)
    target_id = models.BigIntegerField(_("object id"), null=True)
    case_id = models.BigIntegerField(_("case id"), null=True, db_index=True)
    municipality_id = models.BigIntegerField(_("municipality id"), null=True)
    address = models.GenericIPAddressField(_("from address"), null=True)
    path = models.CharField(_("path"), max_length=300, blank=True)

    objects = SspfAuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("SSPF audit event")
        verbose_name_plural = _("SSPF audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The SSPF audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The SSPF audit log is append-only.")


class CaseStatistic(models.Model):
    """What is left of a case for the steering group: no id, no pseudonym, no link back."""

    year = models.PositiveSmallIntegerField(_("year opened"))
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices)
    concern = models.CharField(_("concern"), max_length=20, choices=Concern.choices)
    duration_days = models.PositiveIntegerField(_("duration (days)"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    STATISTIC_FIELDS: ClassVar[tuple[str, ...]] = ("year", "age_band", "concern", "outcome")

    class Meta:
        verbose_name = _("SSPF statistic")
        verbose_name_plural = _("SSPF statistics")

    def __str__(self) -> str:
        return f"{self.year} {self.age_band} {self.concern} {self.outcome}"
