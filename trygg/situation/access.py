"""Who may see and change the situational picture of a municipality.

Every member of a partnership sees its aggregated picture; report points on
the map follow trygg.reports.access; coordinators write the assessment and
publish periods; anyone sees what was published, aggregated and suppressed.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from trygg.partners.access import standing_of
from trygg.partners.models import Municipality, Role
from trygg.situation.models import Assessment, Publication
from trygg.situation.periods import Period


def get_partnership_for(user: Any, municipality_code: str | None) -> Municipality:
    """The municipality whose picture `user` may see (their only one if no code); else 404."""
    standing = standing_of(user)
    # The outline is read (one query more) only where it is drawn or a study area is
    # built anew; decoding it on every read of the picture cost ~1.5 ms.
    municipalities = Municipality.objects.defer("boundary")
    if not standing.is_superuser:
        municipalities = municipalities.filter(pk__in=standing.municipality_ids)
    if municipality_code:
        municipalities = municipalities.filter(code=municipality_code)
    found = list(municipalities[:2])
    if len(found) != 1:
        raise Http404("No such partnership")
    return found[0]


def may_coordinate(user: Any, municipality: Municipality) -> bool:
    """True for the municipality's coordinators: they write assessments and publish."""
    standing = standing_of(user)
    return standing.is_superuser or standing.has_role(municipality.pk, Role.COORDINATOR)


def get_publication(municipality_code: str, period_key: str) -> Publication:
    """A published period, for anyone; 404 if it was never published or was withdrawn."""
    publication = (
        Publication.objects.select_related("municipality")
        .filter(
            municipality__code=municipality_code, period_key=period_key, withdrawn_at__isnull=True
        )
        .first()
    )
    if publication is None:
        raise Http404("Not published")
    return publication


def publication_of(municipality: Municipality, period_key: str) -> Publication | None:
    """The publication of a period, withdrawn or not, with who published and withdrew it."""
    return (
        Publication.objects.select_related("published_by", "withdrawn_by")
        .filter(municipality=municipality, period_key=period_key)
        .first()
    )


def assessment_of(municipality: Municipality, period: Period) -> Assessment | None:
    """The coordinators' assessment of the period, if one was written (members read it)."""
    return Assessment.objects.filter(municipality=municipality, period_key=period.key).first()


def assessment_text(municipality: Municipality, period: Period) -> str:
    """The assessment's text, empty where none was written."""
    found = assessment_of(municipality, period)
    return found.text if found else ""
