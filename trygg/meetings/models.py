"""Meetings of a municipality's EST group: the drafted agenda, who attended, notes and decisions.

The measures a meeting decides live in trygg.measures and point back here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.partners.models import Municipality, Organisation


class Meeting(models.Model):
    """One EST meeting of a municipality's group; its agenda is drafted from the picture."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")  # minutes are final once held

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # The picture the agenda was drafted from: reports since this day.
    since = models.DateField(_("since"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "held_on"], name="one_meeting_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.held_on}"


class AgendaItem(models.Model):
    """One point of a meeting's agenda, drafted or added by hand, with its notes."""

    class Kind(models.TextChoices):
        RISING = "rising", _("New or rising")
        HOTSPOT = "hotspot", _("Hot spot")
        DUE = "due", _("Measure due or overdue")
        FOLLOW_UP = "follow_up", _("Measure to follow up")
        FLAGGED = "flagged", _("Report flagged for discussion")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    # What the item is about, for links: {"area": id, "category": code, "measure": id, ...}
    subject = models.JSONField(_("subject"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The measures decided on this item (each also points to the meeting).
    decided = models.ManyToManyField(
        "measures.Measure", blank=True, related_name="agenda_items", verbose_name=_("decided")
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Which organisations were at a meeting (people are not recorded)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="attended_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.meeting}"
