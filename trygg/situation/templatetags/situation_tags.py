"""Small formatting filters for the lägesbild templates: arrows, flag words, ratios."""

from __future__ import annotations

import math

from django import template
from django.utils import formats

from trygg.situation.screen import FLAG_WORDS

register = template.Library()


@register.filter
def arrow(current: float, reference: float) -> str:
    """▲ above the reference, ▼ below, → equal: the direction only, not its significance."""
    if current > reference:
        return "▲"
    if current < reference:
        return "▼"
    return "→"


@register.filter
def flag_word(flag: str) -> str:
    return str(FLAG_WORDS.get(flag, flag))


@register.filter
def ratio(value: float | None) -> str:
    """The rate ratio as '×1,5'; an unbounded one (nothing before) as '–'."""
    if value is None or not math.isfinite(value):
        return "–"
    return "×" + formats.number_format(value, 1)
