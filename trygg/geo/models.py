from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.partners.models import Municipality


class Area(models.Model):
    """A named polygon of a municipality; every report gets its area at write time."""

    class Kind(models.TextChoices):
        CENTRE = "centrum", _("Town centre")
        RESIDENTIAL = "residential", _("Residential area")
        LOCALITY = "locality", _("Locality")
        STREET = "street", _("Street")
        INDUSTRIAL = "industrial", _("Industrial area")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    geometry = models.JSONField(
        _("geometry"), help_text=_("GeoJSON Polygon or MultiPolygon, WGS84")
    )
    deso_code = models.CharField(_("DeSO code"), max_length=9, blank=True)
    regso_code = models.CharField(_("RegSO code"), max_length=9, blank=True)
    # Later areas win where polygons overlap, so a street inside a district can
    # be its own area: the lookup prefers the highest priority.
    priority = models.SmallIntegerField(_("priority"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="area_unique_name")
        ]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name
