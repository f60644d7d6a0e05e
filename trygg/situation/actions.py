"""Writes of the situational picture: the coordinator's assessment, publishing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.partners.models import Municipality
from trygg.reports.masking import mask_personal_data
from trygg.situation.models import Assessment, Publication
from trygg.situation.pages import digest, public_version
from trygg.situation.periods import Period, PeriodError, parse_period


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
    """A period that may not be published (or withdrawn), with the reason in words."""


def _overlapping(municipality: Municipality, period: Period) -> Publication | None:
    """A publication, live or withdrawn, whose days meet `period`'s."""
    rows = Publication.objects.filter(municipality=municipality).exclude(period_key=period.key)
    meets = Q(first_day__lte=period.last_day, last_day__gte=period.start)
    for row in rows.filter(meets | Q(first_day__isnull=True)).order_by("first_day"):
        if row.first_day is not None:
            return row
        try:  # published before the days were kept
            other = parse_period(row.period_key)
        except PeriodError:
            continue
        if other.start <= period.last_day and other.last_day >= period.start:
            return row
    return None


def refusal(municipality: Municipality, period: Period, today: date) -> str | None:
    """Why `period` may not be published, in words; None if it may.

    The rule of `publish_period`, also asked by the preview so that it offers
    no button that would be refused. Any period ever published counts, withdrawn
    or not: copies of a withdrawn publication live on, and an overlapping one
    would give its hidden counts by subtraction.
    """
    if period.end > today:
        return _("Only a period that has ended can be published.")
    same = Publication.objects.filter(municipality=municipality, period_key=period.key).first()
    if same is not None and same.is_withdrawn:
        return _(
            "Period %(key)s was published and then withdrawn; a withdrawn period can never "
            "be published again."
        ) % {"key": period.key}
    other = _overlapping(municipality, period)
    if other is None:
        return None
    if other.is_withdrawn:
        message = _(
            "It overlaps period %(key)s, which was published and then withdrawn. "
            "A period that was ever published can never be overlapped."
        )
    else:
        message = _(
            "It overlaps the published period %(key)s. Published periods may not overlap, "
            "not even after one is withdrawn; choose a period beside it."
        )
    return message % {"key": other.period_key}


@transaction.atomic
def publish_period(
    *,
    municipality: Municipality,
    period: Period,
    by: Any,
    today: date | None = None,
    previewed: str | None = None,
) -> Publication:
    """Publish the public numbers of `period` as they are now (a frozen snapshot).

    Refused for a period that has not ended, one withdrawn before, and one that
    overlaps any period ever published: W46+2 and W47 together would give W46
    by subtraction, and with it any count hidden as suppressed. With `previewed`
    (the `digest` of the numbers the coordinator saw) it is also refused when
    the numbers have changed since.
    """
    # One publisher at a time per municipality, so two overlapping periods
    # cannot both pass the check (PostgreSQL; SQLite locks the whole file).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    reason = refusal(municipality, period, today or timezone.localdate())
    if reason is not None:
        raise PublicationRefused(reason)
    existing = Publication.objects.filter(municipality=municipality, period_key=period.key).first()
    if existing is not None:
        return existing
    snapshot = public_version(municipality, period)
    if previewed is not None and previewed != digest(snapshot):
        raise PublicationRefused(
            _("The numbers have changed since the preview. Check them again before publishing.")
        )
    return Publication.objects.create(
        municipality=municipality,
        period_key=period.key,
        published_by=by,
        first_day=period.start,
        last_day=period.last_day,
        snapshot=snapshot,
    )


@transaction.atomic
def unpublish_period(
    *, municipality: Municipality, period: Period, by: Any, now: datetime | None = None
) -> Publication:
    """Take a published period down, keeping its row: it still blocks every overlap."""
    publication = (
        Publication.objects.select_for_update()
        .filter(municipality=municipality, period_key=period.key, withdrawn_at__isnull=True)
        .first()
    )
    if publication is None:
        raise PublicationRefused(_("Period %(key)s is not published.") % {"key": period.key})
    publication.withdrawn_at = now or timezone.now()
    publication.withdrawn_by = by
    publication.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return publication
