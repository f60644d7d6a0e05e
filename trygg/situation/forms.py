"""The lägesbild's input, parsed once: what a request asks of the picture (municipality,
period and categories, from the query string) and the coordinator's assessment form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core.errors import FieldError, InputRejected
from trygg.partners.models import Municipality
from trygg.reports.models import Category
from trygg.situation.periods import (
    Period,
    PeriodError,
    custom_period,
    default_period,
    parse_period,
    read_period,
    refuse_future,
)

MAX_ASSESSMENT = 20_000  # the action keeps this much; say so before it cuts


class AssessmentForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput, max_length=30)
    text = forms.CharField(
        label=gettext_lazy("Assessment"),
        required=False,
        max_length=MAX_ASSESSMENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What the group should know about this period. Write about places and "
            "situations, never name people."
        ),
    )

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


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
    today = timezone.localdate()
    try:
        period = _asked_period(params, today)
        return (
            refuse_future(period, today)
            if period
            else default_period(municipality.meeting_cadence, today)
        )
    except PeriodError as exc:
        raise InputRejected([FieldError(0, "period", str(exc))]) from None


def _asked_period(params: Mapping[str, Any], today: date) -> Period | None:
    """The period typed (`period`), picked (`kind` and its control) or given as `from`/`to`."""
    key = _text(params, "period") or _picked_key(params)
    if key:
        return read_period(key, today)
    first, last = _text(params, "from"), _text(params, "to")
    if not (first or last):
        return None
    if not (first and last):
        raise PeriodError(_("Give both from and to."))
    return custom_period(_day(first), _day(last))


# The picker's controls per kind: <input type="week">, "month", a tertial and a year.
_PICKED = {
    "week": lambda p: _text(p, "week"),
    "weeks": lambda p: f"{_text(p, 'week')}+2" if _text(p, "week") else "",
    "month": lambda p: _text(p, "month"),
    "tertial": lambda p: f"{_text(p, 'year')}-T{_text(p, 'tertial')}" if _text(p, "year") else "",
    "year": lambda p: _text(p, "year"),
}


def _picked_key(params: Mapping[str, Any]) -> str:
    pick = _PICKED.get(_text(params, "kind"))
    return pick(params) if pick else ""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(_("%(day)s is not a date (YYYY-MM-DD).") % {"day": text}) from None


def _categories(params: Mapping[str, Any]) -> tuple[str, ...]:
    codes = tuple(sorted({c for c in _text(params, "category").split(",") if c}))
    known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        raise InputRejected([FieldError(0, "category", _("Unknown category."))])
    return codes
