from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.partners.models import Municipality


class Assessment(models.Model):
    """The coordinator's written assessment of one period's picture."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(_("period"), max_length=30)
    text = models.TextField(_("assessment"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_key"], name="assessment_unique_period"
            )
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.period_key}"


class Publication(models.Model):
    """A period whose public, aggregated picture anyone may see, or once could.

    A withdrawn publication keeps its row: its period must block every later
    publication that overlaps it, or withdrawing W47 and then publishing W46+2
    would hand out W46's hidden counts by subtraction from the copies people kept.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(_("period"), max_length=30)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    first_day = models.DateField(_("first day"), null=True)
    last_day = models.DateField(_("last day"), null=True)
    # The public numbers as they were when published: a live count would let
    # anyone watch single late reports arrive by comparing two visits.
    snapshot = models.JSONField(_("published numbers"), null=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period_key"], name="publication_unique_period"
            )
        ]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.period_key}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
