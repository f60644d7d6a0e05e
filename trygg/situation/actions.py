"""Writes of the situational picture: the coordinator's assessment, publishing."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from trygg.partners.models import Municipality
from trygg.reports.masking import mask_personal_data
from trygg.situation.models import Assessment, Publication
from trygg.situation.periods import Period


@transaction.atomic
def save_assessment(
    *, municipality: Municipality, period: Period, by: Any, text: str
) -> Assessment:
    """Store the assessment of `period`, masked like every free text."""
    assessment, _ = Assessment.objects.update_or_create(
        municipality=municipality,
        period_key=period.key,
        defaults={"text": mask_personal_data(text.strip())[:20_000], "written_by": by},
    )
    return assessment


@transaction.atomic
def publish_period(*, municipality: Municipality, period: Period, by: Any) -> Publication:
    publication, _ = Publication.objects.get_or_create(
        municipality=municipality, period_key=period.key, defaults={"published_by": by}
    )
    return publication


@transaction.atomic
def unpublish_period(*, municipality: Municipality, period: Period) -> None:
    Publication.objects.filter(municipality=municipality, period_key=period.key).delete()
