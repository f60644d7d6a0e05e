"""Steering-group statistics: counts of closed cases, small cells suppressed.

Read only from CaseStatistic, the anonymous rows closing leaves, so the
figures survive the purge and can never lead back to a case. Each year
shows its total and the counts by age band, by concern and by outcome
(each one-way, not crossed: crossing four small numbers would make most
cells a handful of children). A count under 5 is shown as suppressed; where
that would leave exactly one suppressed cell in a row whose total is shown,
the next smallest is suppressed too, or subtraction would reveal it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from trygg.sspf import access
from trygg.sspf.audit import Action, Target, record
from trygg.sspf.models import AgeBand, CaseStatistic, Concern, Outcome

SMALLEST_SHOWN = 5
DIMENSIONS = ("age_band", "concern", "outcome")
_LABELS = (
    ("age_band", _("Age band"), AgeBand.choices),
    ("concern", _("Concern"), Concern.choices),
    ("outcome", _("Outcome"), Outcome.choices),
)


@dataclass(frozen=True)
class YearFigures:
    year: int
    total: int | None
    # Per dimension: {code: count, or None where suppressed}; codes with no case are left out.
    cells: dict[str, dict[str, int | None]] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Each dimension's heading and (label, count) pairs, in the choices' order, for pages."""
        return [
            {
                "label": heading,
                "cells": [
                    (label, self.cells[dim][code])
                    for code, label in choices
                    if code in self.cells[dim]
                ],
            }
            for dim, heading, choices in _LABELS
        ]


def suppress(counts: dict[str, int], total_shown: bool) -> dict[str, int | None]:
    """`counts` with cells under SMALLEST_SHOWN hidden, and one more if the total would tell."""
    shown: dict[str, int | None] = {
        code: (n if n >= SMALLEST_SHOWN else None) for code, n in counts.items()
    }
    hidden = [code for code, n in shown.items() if n is None]
    visible = sorted((n, code) for code, n in shown.items() if n is not None)
    if total_shown and len(hidden) == 1 and visible:
        shown[visible[0][1]] = None
    return shown


def figures(municipality_id: int) -> list[YearFigures]:
    rows = list(
        CaseStatistic.objects.filter(municipality_id=municipality_id).values(*DIMENSIONS, "year")
    )
    years = sorted({row["year"] for row in rows}, reverse=True)
    result = []
    for year in years:
        of_year = [row for row in rows if row["year"] == year]
        total = len(of_year)
        total_shown = total >= SMALLEST_SHOWN
        cells = {
            dim: suppress(Counter(row[dim] for row in of_year), total_shown) for dim in DIMENSIONS
        }
        result.append(YearFigures(year, total if total_shown else None, cells))
    return result


def statistics_for(user: Any, municipality_id: int) -> list[YearFigures]:
    """The figures of a municipality for an SSPF coordinator or its steering group, logged."""
    if municipality_id not in access.statistics_municipality_ids(user):
        raise Http404
    record(
        actor=user, action=Action.READ, target=Target.STATISTICS, municipality_id=municipality_id
    )
    return figures(municipality_id)
