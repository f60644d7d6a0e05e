from __future__ import annotations

import uuid
from collections.abc import Iterable

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
        IMPORT = "import", _("File import")
        OPEN311 = "open311", _("Open311")
        WALK = "walk", _("Safety walk")
        POLICE_FEED = "police_feed", _("Police feed")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REVIEWED = "reviewed", _("Reviewed")
        CLOSED = "closed", _("Closed")

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
            models.Index(fields=["municipality", "changed_at"], name="dailycount_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id} {self.area_key} {self.sharing}: {self.n}"
