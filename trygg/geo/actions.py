"""Writes to areas."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from trygg.geo.forms import AreaShape
from trygg.geo.models import Area
from trygg.partners.models import Municipality


@transaction.atomic
def import_areas(
    *, municipality: Municipality, shapes: Sequence[AreaShape], kind: str
) -> tuple[int, int]:
    """Create or replace the named areas, all or none; (created, updated).

    An area whose name the municipality already has gets the new geometry and
    kind, so uploading a corrected file twice leaves one area per name.
    """
    created = updated = 0
    for item in shapes:
        _, was_created = Area.objects.update_or_create(
            municipality=municipality,
            name=item.name,
            defaults={"geometry": item.geometry, "kind": kind},
        )
        created, updated = created + was_created, updated + (not was_created)
    return created, updated
