"""The Swedish Police's public notices (polisen.se's events feed), kept as context.

A notice is stored once, by the feed's id, and updated when the police change
it. Its position in the feed (`location.gps`) is the centre of a municipality
or a county, not the place of the event: so a notice is kept at the level of
the area it names, never as a point, and never becomes a Report.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.reports.models import Category

# Types that are the police's own digests or follow-ups of other notices: kept, never
# counted ("Sammanfattning natt", "Sammanfattning kväll och natt", … and "Uppdatering").
SUMMARY_PREFIX = "Sammanfattning"
UPDATE_TYPE = "Uppdatering"


def is_summary(type_name: str) -> bool:
    """A digest or follow-up of other notices, which would count their events twice."""
    return type_name.startswith(SUMMARY_PREFIX) or type_name == UPDATE_TYPE


class PoliceEventTypeQuerySet(models.QuerySet["PoliceEventType"]):
    def needs_mapping(self) -> PoliceEventTypeQuerySet:
        """Types first met in the feed that no administrator has looked at."""
        return self.filter(reviewed=False)


class PoliceEventType(models.Model):
    """One of the police's event types and the category group it counts under."""

    name = models.CharField(_("police event type"), max_length=100, unique=True)
    group = models.ForeignKey(
        Category,
        verbose_name=_("category group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"group__isnull": True},
        help_text=_("Our category group these notices belong to; empty for none of them."),
    )
    counted = models.BooleanField(
        _("counted"),
        default=True,
        help_text=_("Shown in the lägesbild's police series. Summaries and updates never are."),
    )
    # False for a type first met in the feed: listed for the administrator to map.
    reviewed = models.BooleanField(_("mapped by an administrator"), default=False)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)

    objects = PoliceEventTypeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("police event type")
        verbose_name_plural = _("police event types")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A summary repeats other notices: counting it would count their events twice.
        if is_summary(self.name):
            self.counted = False
        super().save(*args, **kwargs)


class PoliceEvent(models.Model):
    """One notice of the police's events feed, at the level of the area it names."""

    class Level(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        COUNTY = "county", _("County")
        UNKNOWN = "unknown", _("Not resolved")

    feed_id = models.BigIntegerField(_("feed id"), unique=True)
    name = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    url = models.CharField(_("address on polisen.se"), max_length=500, blank=True)
    event_type = models.ForeignKey(
        PoliceEventType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="events"
    )
    # The feed's own time stamp (published or last changed); the title's time has no year.
    published_at = models.DateTimeField(_("published"))
    location_name = models.CharField(_("location in the feed"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    municipality_code = models.CharField(_("municipality code"), max_length=4, blank=True)
    county_code = models.CharField(_("county code"), max_length=2, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("police event")
        verbose_name_plural = _("police events")
        indexes = [
            models.Index(
                fields=["municipality_code", "published_at"], name="policeevent_municipality"
            ),
            models.Index(
                fields=["county_code", "level", "published_at"], name="policeevent_county"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PollState(models.Model):
    """When the feed was last asked, and until when it asked us to wait (one row)."""

    last_attempt_at = models.DateTimeField(_("last poll"), null=True, blank=True)
    not_before = models.DateTimeField(_("no poll before"), null=True, blank=True)
    last_status = models.CharField(_("last outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("police feed poll")
        verbose_name_plural = _("police feed polls")

    def __str__(self) -> str:
        return self.last_status or "-"
