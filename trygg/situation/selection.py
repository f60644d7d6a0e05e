"""What a request asks of the picture: municipality, period and categories, parsed once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.partners.models import Municipality
from trygg.reports.intake import FieldError, ReportRejected
from trygg.reports.models import Category
from trygg.situation.periods import Period, PeriodError, custom_period, default_period, parse_period


@dataclass(frozen=True)
class Selection:
    period: Period
    categories: tuple[str, ...]


def parse_selection(municipality: Municipality, params: Mapping[str, Any]) -> Selection:
    """Period from `period`, or `from` and `to`, or the cadence default; and `category`."""
    return Selection(period=_period(municipality, params), categories=_categories(params))


def _text(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    return str(value).strip() if value not in (None, "") else ""


def _period(municipality: Municipality, params: Mapping[str, Any]) -> Period:
    key, first, last = _text(params, "period"), _text(params, "from"), _text(params, "to")
    try:
        if key:
            return parse_period(key)
        if first or last:
            if not (first and last):
                raise PeriodError(_("Give both from and to."))
            return custom_period(date.fromisoformat(first), date.fromisoformat(last))
    except (PeriodError, ValueError) as exc:
        raise ReportRejected([FieldError(0, "period", str(exc))]) from None
    return default_period(municipality.meeting_cadence, timezone.localdate())


def _categories(params: Mapping[str, Any]) -> tuple[str, ...]:
    codes = tuple(sorted({c for c in _text(params, "category").split(",") if c}))
    known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        raise ReportRejected([FieldError(0, "category", _("Unknown category."))])
    return codes
