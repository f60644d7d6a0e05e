"""Small formatting filters for the lägesbild templates: marks and ratios."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe

from trygg.situation.wording import Mark, mark_of

register = template.Library()


@register.filter
def mark(comparison: Any) -> Mark:
    """The one mark (words, arrow, class, change) of a comparison: see wording.py."""
    return mark_of(comparison)


@register.filter
def ratio(value: float | None) -> str:
    """The rate ratio as '×1,5'; an unbounded one (nothing before) as '–'."""
    if value is None or not math.isfinite(value):
        return "–"
    return "×" + formats.number_format(value, 1)


@register.filter
def wbr(name: str) -> str:
    """A name with a line-break opportunity after each '/': "Arrangemang/händelse"
    may break after the slash instead of in the middle of a word."""
    return mark_safe(escape(name).replace("/", "/<wbr>"))  # escaped first
