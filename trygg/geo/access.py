"""Which areas a user may see: those of the municipalities they are a member of."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trygg.geo.models import Area
from trygg.partners.access import standing_of


def visible_areas(user: Any) -> QuerySet[Area]:
    standing = standing_of(user)
    if standing.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(municipality_id__in=standing.municipality_ids)
