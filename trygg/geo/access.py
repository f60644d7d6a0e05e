"""Which areas a user may see: those of the municipalities they are a member of."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from trygg.geo.models import Area
from trygg.partners.access import standing_of


def visible_areas(user: Any) -> QuerySet[Area]:
    standing = standing_of(user)
    if standing.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(municipality_id__in=standing.municipality_ids)


def get_area_for(user: Any, area_id: int) -> Area:
    """The area if it lies in a municipality `user` is a member of; 404 otherwise."""
    areas = visible_areas(user).select_related("municipality").defer("municipality__boundary")
    return get_object_or_404(areas, pk=area_id)
