"""Writes of the situational picture: the coordinator's assessment, publishing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.partners.models import Municipality
from trygg.reports.masking import mask_personal_data
from trygg.situation.models import Assessment, Publication
from trygg.situation.pages import public_dict
from trygg.situation.periods import Period
from trygg.situation.picture import build_picture


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


class PublicationRefused(Exception):
    """A period that may not be published, with the reason in words."""


@transaction.atomic
def publish_period(
    *, municipality: Municipality, period: Period, by: Any, today: date | None = None
) -> Publication:
    """Publish the public numbers of `period` as they are now (a frozen snapshot).

    Refused for a period that has not ended, and for one that overlaps another
    published period: W46+2 and W46 together would give W47 by subtraction,
    and with it any count hidden as "<5".
    """
    today = today or timezone.localdate()
    if period.end > today:
        raise PublicationRefused(_("Only a period that has ended can be published."))
    existing = Publication.objects.filter(municipality=municipality, period_key=period.key).first()
    if existing is not None:
        return existing
    overlapping = Publication.objects.filter(
        municipality=municipality, first_day__lte=period.last_day, last_day__gte=period.start
    ).first()
    if overlapping is not None:
        raise PublicationRefused(
            _("It overlaps the published period %(key)s; unpublish that first.")
            % {"key": overlapping.period_key}
        )
    picture = build_picture(municipality, period, (), public_only=True)
    return Publication.objects.create(
        municipality=municipality,
        period_key=period.key,
        published_by=by,
        first_day=period.start,
        last_day=period.last_day,
        snapshot=public_dict(picture),
    )


@transaction.atomic
def unpublish_period(*, municipality: Municipality, period: Period) -> None:
    Publication.objects.filter(municipality=municipality, period_key=period.key).delete()
