"""Measures (åtgärder) decided by the EST group, with append-only history.

A measure answers a problem seen in the picture (linked reports, hot-spot
cells, an area and categories, and the cause) and is followed up until it is
done or cancelled. Its history is append-only: who changed what, when, from
which value, so a follow-up can show how a measure went, not just where it
ended.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.geo.models import Area
from trygg.partners.models import Municipality, Organisation
from trygg.reports.models import Category, Report


class MeasureQuerySet(models.QuerySet["Measure"]):
    def open(self) -> MeasureQuerySet:
        return self.filter(status__in=Measure.OPEN)

    def overdue(self, today: date) -> MeasureQuerySet:
        return self.open().filter(deadline__lt=today)

    def due_within(self, today: date, days: int) -> MeasureQuerySet:
        return self.open().filter(deadline__gte=today, deadline__lte=today + timedelta(days=days))

    def follow_up_due(self, today: date) -> MeasureQuerySet:
        return self.exclude(status=Measure.Status.CANCELLED).filter(follow_up_on__lte=today)


class Measure(models.Model):
    """An åtgärd: what is done about a problem, by whom, until when, and how it went."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DECIDED = "decided", _("Decided")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        SITUATIONAL = "situational", _("Physical or situational")
        POLICE_PRESENCE = "police_presence", _("Police presence")
        ADULT_PRESENCE = "adult_presence", _("Adult presence or night walking")
        SOCIAL_OUTREACH = "social_outreach", _("Social outreach")
        INFORMATION = "information", _("Information")
        INSPECTION = "inspection", _("Inspection")
        OTHER = "other", _("Other")

    class Light(models.TextChoices):
        GREEN = "green", _("Green: on track")
        YELLOW = "yellow", _("Yellow: at risk")
        RED = "red", _("Red: off track")

    OPEN: ClassVar[tuple[str, ...]] = (Status.PROPOSED, Status.DECIDED, Status.ONGOING)
    # Allowed moves; DONE and CANCELLED are final.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        Status.PROPOSED: (Status.DECIDED, Status.CANCELLED),
        Status.DECIDED: (Status.ONGOING, Status.DONE, Status.CANCELLED),
        Status.ONGOING: (Status.DONE, Status.CANCELLED),
        Status.DONE: (),
        Status.CANCELLED: (),
    }

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("what is done"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    goal = models.CharField(_("operational goal"), max_length=300, blank=True)
    # The problem it answers.
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    reports = models.ManyToManyField(Report, blank=True, related_name="measures")
    # Hot-spot cells as drawn in the picture, SWEREF 99 TM metres:
    # [{"x": west edge, "y": south edge, "size": side}].
    cells = models.JSONField(_("hot-spot cells"), default=list, blank=True)
    # A presence measure's planned weekday × hour slots ([{"weekday": 0–6, "hour": 0–23}]),
    # from Planera närvaro: its page counts the Lugnt check-ins in each since the start.
    planned_slots = models.JSONField(_("planned slots"), default=list, blank=True)
    # The treated area drawn on the map, when the measure covers less (or other)
    # than one of the municipality's areas: a GeoJSON Polygon, WGS84 lon/lat,
    # checked by trygg.measures.polygon. When set, the evaluation uses it.
    treated_polygon = models.JSONField(_("treated area polygon"), null=True, blank=True)
    # Who.
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="measures_owned"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=120, blank=True)
    partners = models.ManyToManyField(Organisation, blank=True, related_name="measures_joined")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    # When.
    starts_on = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    ordinary_work = models.BooleanField(_("ordinary work (not a one-off)"), default=False)
    # How it goes.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    light = models.CharField(_("traffic light"), max_length=6, choices=Light.choices, blank=True)
    light_comment = models.CharField(_("traffic light comment"), max_length=300, blank=True)
    cost_sek = models.PositiveIntegerField(_("cost (SEK)"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # Kept from partners (who see the list but not these notes).
    internal_notes = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["municipality", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def is_overdue(self, today: date) -> bool:
        return self.status in self.OPEN and self.deadline is not None and self.deadline < today


class MeasureEvent(models.Model):
    """One change of a measure: append-only (who, when, which field, from what, to what)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    field = models.CharField(_("what"), max_length=40)  # "created", "status", "light", ...
    old = models.TextField(_("from"), blank=True)
    new = models.TextField(_("to"), blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("measure change")
        verbose_name_plural = _("measure changes")
        ordering = ["measure", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.field}: {self.old} → {self.new}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("measure history is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("measure history is append-only")


class Evaluation(models.Model):
    """A dated snapshot of a measure's effect evaluation (trygg.measures.effect).

    The counts change as late reports arrive, so what the group saw when it
    judged a measure is kept as it was: the parameters asked and the results.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evaluations")
    created_at = models.DateTimeField(_("evaluated"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    results = models.JSONField(_("results"), default=dict)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["measure", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.created_at:%Y-%m-%d}"


class MeasureReminder(models.Model):
    """A reminder about a measure, once per measure, reason and date: reruns send nothing twice.

    The date is the deadline or follow-up date the reminder was about: when it
    moves, the new date earns a reminder of its own.
    """

    class Reason(models.TextChoices):
        DEADLINE_SOON = "deadline_soon", _("Deadline within 7 days")
        OVERDUE = "overdue", _("Overdue")
        FOLLOW_UP = "follow_up", _("Follow-up due")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reminders")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    on = models.DateField(_("about the date"))
    email = models.ForeignKey(
        "operations.OutgoingEmail", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("measure reminder")
        verbose_name_plural = _("measure reminders")
        constraints = [
            models.UniqueConstraint(fields=["measure", "reason", "on"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.reason} {self.on}"
