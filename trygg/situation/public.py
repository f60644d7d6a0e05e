"""The public lägesbild's reads: what was published, for anyone without logging in.

What anyone sees is `pages.public_dict` of a picture built with `public_only=True`:
only reports whose sharing is "public aggregate", counted per area over every
incident category, 1–4 only marked as suppressed, no points, no free text. Filters
are not offered on purpose: with a category filter, "all" minus "graffiti" would
reveal a suppressed count by subtraction. The pages are in `views/public.py`.
"""

from __future__ import annotations

from typing import Any

from trygg.partners.models import Municipality
from trygg.situation.access import get_publication
from trygg.situation.models import Publication
from trygg.situation.pages import public_version
from trygg.situation.periods import Period, PeriodError, parse_period


def published_picture(code: str, key: str) -> dict[str, Any]:
    """The public version of a published period; 404 if it is not published."""
    publication = get_publication(code, key)
    if publication.snapshot is not None:
        return dict(publication.snapshot)
    # Published before snapshots were kept: computed as of now.
    return public_version(publication.municipality, parse_period(publication.period_key))


def published_periods(municipality: Municipality) -> list[Period]:
    keys = Publication.objects.filter(
        municipality=municipality, withdrawn_at__isnull=True
    ).values_list("period_key", flat=True)
    periods = []
    for key in keys:
        try:
            periods.append(parse_period(key))
        except PeriodError:
            continue  # a key stored by an older rule; not shown rather than a 500
    return sorted(periods, key=lambda p: (p.start, p.end), reverse=True)
