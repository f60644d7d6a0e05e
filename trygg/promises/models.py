"""Citizen promises (medborgarlöften): the promise, its action plan, indicators and follow-ups.

The rows of Promise, FocusArea, Commitment, Activity, Indicator and Signatory
are the promise as it stands now. What it was before is kept apart and never
changed: a PromiseVersion holds the whole promise as it stood at one revision
(with what changed since the one before), a FollowUp what the coordinator
reported at one moment (each activity's status, each indicator's value
against its target). Both refuse to be saved twice or deleted.

The register of other initiatives the partnership takes part in (Initiative)
lives here too, so an activity can point to one. It holds programme-level
figures only (sessions held, participants counted), never anything about a
person taking part.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.geo.models import Area
from trygg.partners.models import Municipality, Organisation
from trygg.reports.models import Category


class _AppendOnly(models.Model):
    """A row written once and never changed or deleted: what was said then stays said."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{type(self).__name__} is append-only")


class Owner(models.TextChoices):
    """Who owns a commitment."""

    POLICE = "police", _("The police")
    MUNICIPALITY = "municipality", _("The municipality")
    BOTH = "both", _("Police and municipality together")


class PromiseQuerySet(models.QuerySet["Promise"]):
    def published(self) -> PromiseQuerySet:
        """Promises citizens may read: published now, or archived after being published."""
        return self.filter(status__in=(Promise.Status.PUBLISHED, Promise.Status.ARCHIVED))


class Promise(models.Model):
    """One medborgarlöfte of a municipality for one to three calendar years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # Allowed moves: a published promise is archived when its period is over or a new
    # one replaces it; an archived one stays archived. Nothing goes back to draft:
    # citizens have read it.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        Status.DRAFT: (Status.PUBLISHED,),
        Status.PUBLISHED: (Status.ARCHIVED,),
        Status.ARCHIVED: (),
    }

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="promises"
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("the situation today"), blank=True)
    situation_sources = models.TextField(_("sources of the situation today"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    follow_up_months = models.PositiveSmallIntegerField(_("follow up every (months)"), default=12)
    # The number of the latest PromiseVersion; 0 until first published.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = PromiseQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")
        ordering = ["municipality", "-start_year", "pk"]
        indexes = [models.Index(fields=["municipality", "status", "start_year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="promise_period_forward",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class FocusArea(models.Model):
    """A fokusområde of the promise, e.g. "Young people's alcohol, narcotics and tobacco"."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="focus_areas")
    title = models.CharField(_("focus area"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["promise", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Commitment(models.Model):
    """ "This is what we will do": one commitment, owned by the police, the municipality or both."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="commitments")
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="commitments"
    )
    owner = models.CharField(_("owned by"), max_length=12, choices=Owner.choices)
    text = models.TextField(_("we will"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["promise", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Initiative(models.Model):
    """Another initiative the partnership takes part in (Hej Främling!, Purple Flag, …).

    Programme-level only: who runs it, who to ask, when, and counts of sessions
    and participants (InitiativeFigure). Trygg holds no case data about people
    taking part, and this model has no place for any.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="initiatives"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it is"), blank=True)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="initiatives_owned"
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    link = models.URLField(_("web page"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["municipality", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class InitiativeFigure(models.Model):
    """One year's programme-level figures of an initiative: counts, never people."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"))
    sessions = models.PositiveIntegerField(_("sessions held"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants counted"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("initiative figure")
        verbose_name_plural = _("initiative figures")
        ordering = ["initiative", "year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="initiative_figure_year")
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.year}"


class Activity(models.Model):
    """One line of a commitment's action plan: what, who, when, and how far it has come.

    An activity may be a measure (trygg.measures): then its status is the
    measure's, followed up the same way as every other measure.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="activities")
    what = models.CharField(_("what"), max_length=300)
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="promise_activities"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=120, blank=True)
    when = models.CharField(_("when"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promise_activities",
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["commitment", "position", "pk"]

    def __str__(self) -> str:
        return self.what


class Indicator(models.Model):
    """ "This is what we will achieve together": a goal with baseline, target and direction.

    A computed indicator counts Trygg's own reports of some categories in some
    areas (none: the whole municipality), optionally only in a band of hours,
    per quarter or year (trygg.promises.indicators). A manual one is entered
    by hand per period, with its source (IndicatorValue).
    """

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from Trygg's reports")
        MANUAL = "manual", _("Entered by hand")

    class Every(models.TextChoices):
        QUARTER = "quarter", _("Per quarter")
        YEAR = "year", _("Per year")

    class Direction(models.TextChoices):
        LOWER = "lower", _("Lower is better")
        HIGHER = "higher", _("Higher is better")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="indicators")
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=200)
    goal = models.CharField(_("goal"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    every = models.CharField(
        _("measured"), max_length=10, choices=Every.choices, default=Every.YEAR
    )
    # Computed: what is counted. No categories: every incident; no areas: the whole municipality.
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    areas = models.ManyToManyField(Area, blank=True, related_name="+")
    # Local hours [hour_from, hour_to); 23 → 2 wraps past midnight. Both empty: all day.
    hour_from = models.PositiveSmallIntegerField(_("from hour"), null=True, blank=True)
    hour_to = models.PositiveSmallIntegerField(_("until hour"), null=True, blank=True)
    # Manual: where the numbers come from.
    source = models.CharField(_("source"), max_length=300, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    # Empty for a computed indicator: then it is counted for the baseline year.
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["promise", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_time_band(self) -> bool:
        return self.hour_from is not None and self.hour_to is not None


class IndicatorValue(models.Model):
    """One period's value of a manual indicator, with its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(_("period"), max_length=7)  # "2024" or "2024-Q3"
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="indicator_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"


class Signatory(models.Model):
    """Who signs the promise, e.g. the local police area head and the municipal board chair."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["promise", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class PromiseVersion(_AppendOnly):
    """The whole promise as it stood at one revision, and what changed since the one before.

    `snapshot` is trygg.promises.versions.snapshot(promise); `changes` the list
    trygg.promises.versions.diff computed when it was written.
    """

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("what and why"), max_length=300, blank=True)
    snapshot = models.JSONField(_("snapshot"))
    changes = models.JSONField(_("what changed"), default=list)

    class Meta:
        verbose_name = _("promise version")
        verbose_name_plural = _("promise versions")
        ordering = ["promise", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["promise", "number"], name="promise_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} v{self.number}"


class FollowUp(_AppendOnly):
    """A dated follow-up: the narrative, and each activity and indicator as they stood then.

    `snapshot` is frozen at writing (trygg.promises.followup.freeze): later
    values, late reports or a revised plan do not change what was reported.
    """

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="follow_ups")
    made_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    narrative = models.TextField(_("how it goes"))
    revision = models.PositiveIntegerField(_("of version"), default=0)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["promise", "-made_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.promise_id} {self.made_on}"
