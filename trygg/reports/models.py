from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trygg.geo.models import Area
from trygg.partners.models import Municipality, Organisation


class Category(models.Model):
    """One taxonomy for every intake channel; codes are stable, labels editable."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_sv = models.CharField(_("Swedish name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    colour = models.CharField(_("colour"), max_length=7, default="#666666")
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # False for the "all calm" check-in: it counts as reporting activity, never as an incident.
    is_incident = models.BooleanField(_("counts as incident"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    @property
    def group_code(self) -> str:
        return self.group.code if self.group_id else self.code  # type: ignore[union-attr]


def category_tree(categories: Iterable[Category]) -> list[tuple[Category, list[Category]]]:
    """The top-level categories among `categories`, each with its own among them, in their order."""
    categories = list(categories)
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.group_id:
            children.setdefault(category.group_id, []).append(category)
    return [(c, children.get(c.pk, [])) for c in categories if c.group_id is None]


class Report(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Web or app")
        API = "api", _("API")
        # Set by the channels still to come: file import and Open311 and the police
        # events feed (the interoperability issue), safety walks (their module).
        IMPORT = "import", _("File import")
        OPEN311 = "open311", _("Open311")
        WALK = "walk", _("Safety walk")
        POLICE_FEED = "police_feed", _("Police feed")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REVIEWED = "reviewed", _("Reviewed")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Sharing(models.TextChoices):
        ORGANISATION = "organisation", _("Own organisation")
        PARTNERSHIP = "partnership", _("EST partners")
        PUBLIC = "public", _("Public aggregate")

    class Assessment(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("Unsure")

    class PlaceType(models.TextChoices):
        STAIRWELL = "stairwell", _("Stairwell")
        BASEMENT = "basement", _("Basement or storage")
        GARAGE = "garage", _("Garage")
        CENTRE = "centre", _("Centre")
        SCHOOLYARD = "schoolyard", _("Schoolyard")
        PARK = "park", _("Park")
        OUTDOORS = "outdoors", _("Outdoors")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(_("client id"), max_length=100, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("occurred at"))
    occurred_to = models.DateTimeField(_("occurred until"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    x = models.FloatField(_("SWEREF 99 TM easting"))
    y = models.FloatField(_("SWEREF 99 TM northing"))
    h3_cell = models.CharField(_("H3 cell (res. 9)"), max_length=16)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    place_type = models.CharField(
        _("place type"), max_length=20, choices=PlaceType.choices, blank=True
    )
    persons = models.PositiveSmallIntegerField(
        _("approximate number of persons"), null=True, blank=True
    )
    creates_insecurity = models.CharField(
        _("creates insecurity"), max_length=10, choices=Assessment.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    reported_to_police = models.BooleanField(_("reported to the police"), null=True, blank=True)
    damage_cost_sek = models.PositiveIntegerField(_("damage cost (SEK)"), null=True, blank=True)
    sharing = models.CharField(
        _("sharing"), max_length=20, choices=Sharing.choices, default=Sharing.PARTNERSHIP
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    photo = models.ImageField(_("photo"), upload_to="photos/%Y/%m/", blank=True)
    details_removed_at = models.DateTimeField(
        _("free text removed"), null=True, blank=True, editable=False
    )
    # Set by a coordinator for the next EST meeting's agenda (trygg/meetings reads it).
    flagged_for_discussion = models.BooleanField(_("flagged for discussion"), default=False)

    # Where a status may go; closed and withdrawn are final. Withdrawn is the
    # reporter's own move (actions.withdraw_report), the rest a coordinator's.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        Status.RECEIVED: (Status.REVIEWED, Status.CLOSED, Status.WITHDRAWN),
        Status.REVIEWED: (Status.CLOSED, Status.WITHDRAWN),
        Status.CLOSED: (),
        Status.WITHDRAWN: (),
    }

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client_id"],
                condition=~models.Q(client_id=""),
                name="report_unique_client_id",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "occurred_at"], name="report_muni_time"),
            models.Index(
                fields=["municipality", "category", "occurred_at"], name="report_muni_cat_time"
            ),
            models.Index(fields=["organisation", "occurred_at"], name="report_org_time"),
            models.Index(fields=["area", "occurred_at"], name="report_area_time"),
            # The report list's default order, newest received first (pages.listed_reports).
            models.Index(fields=["reported_at", "id"], name="report_received"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_at:%Y-%m-%d %H:%M}"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class DailyCount(models.Model):
    """Reports per local day, area, category and sharing level: the rollup the picture reads.

    Maintained by the write action in the same transaction as the reports, so
    it never disagrees with them; `trygg rollup --rebuild` recomputes it.
    `area_key` is the area id, or 0 for reports outside every area (a
    nullable column would defeat the unique key the upsert relies on).
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    area_key = models.BigIntegerField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    sharing = models.CharField(max_length=20, choices=Report.Sharing.choices)
    n = models.PositiveIntegerField()
    # When the row last changed: a kept picture asks whether any day it counts
    # changed since it was built (situation/cache.py), from any server process.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "day", "area_key", "category", "sharing"],
                name="dailycount_unique_key",
            )
        ]
        indexes = [
            # Covers the picture's reads (windows per area and category, the
            # 52-week series per day and category) so both databases answer from
            # the index alone, already in (day, category) order: the 52-week
            # series reads ~110,000 rollup rows at 1M reports and ~10× that at
            # 10M, and fetching each row's `n` from the table cost 3× the scan.
            models.Index(
                fields=["municipality", "day", "category", "area_key", "sharing", "n"],
                name="dailycount_cover",
            ),
            # Covers the public reads (the open lägesbild, the citizen-promise
            # page) that ask for sharing=public only: public rows are ~1 in 9 of
            # the rollup, and dailycount_cover, with sharing after day, scans all
            # of them (~650,000 rows for five years at 1M reports, 74,000 public).
            # Same order after sharing, so the grouped reads stay in index order.
            models.Index(
                fields=["municipality", "sharing", "day", "category", "area_key", "n"],
                name="dailycount_public_cover",
            ),
            models.Index(fields=["municipality", "changed_at"], name="dailycount_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id} {self.area_key} {self.sharing}: {self.n}"


class _AppendOnly(models.Model):
    """A row written once and never changed or deleted (history must not be rewritten)."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("report history is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("report history is append-only")


class ReportEvent(_AppendOnly):
    """One change of a report: who, when, what, from which value, to which.

    A correction keeps the earlier version whole in `previous` (the fields as
    they were), so what a reporter first wrote is never lost.
    """

    class What(models.TextChoices):
        STATUS = "status", _("Status")
        FLAG = "flag", _("Flagged for discussion")
        COMMENT = "comment", _("Comment")
        NOTE = "note", _("Internal note")
        MEASURE = "measure", _("Linked to a measure")
        CORRECTION = "correction", _("Correction")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    old = models.TextField(_("from"), blank=True)
    new = models.TextField(_("to"), blank=True)
    previous = models.JSONField(_("earlier version"), default=dict, blank=True)

    class Meta:
        verbose_name = _("report change")
        verbose_name_plural = _("report changes")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.what}: {self.old} → {self.new}"


class ReportComment(_AppendOnly):
    """A coordinator's word on a report: to the reporting organisation, or an internal note.

    `internal` notes are read by coordinators only (access.visible_comments).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    at = models.DateTimeField(_("when"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("text"))
    internal = models.BooleanField(_("internal note"), default=False)

    class Meta:
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {'note' if self.internal else 'comment'} {self.at:%Y-%m-%d}"


class DigestSubscription(models.Model):
    """A reporting organisation's choice to get the weekly digest of measures in its areas.

    A row of its own, not a field of Organisation: the digest is about reports
    and what is done about them, and opting in or out touches nothing else.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="report_digest"
    )
    since = models.DateTimeField(_("subscribed"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # When the last digest was queued: a second run within the week sends nothing.
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly digest subscription")
        verbose_name_plural = _("weekly digest subscriptions")

    def __str__(self) -> str:
        return str(self.organisation)
