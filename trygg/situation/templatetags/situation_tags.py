"""Small formatting filters for the lägesbild templates: marks, changes, names."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from trygg.situation.wording import Mark, change_text, mark_of

register = template.Library()


@register.filter
def mark(comparison: Any) -> Mark:
    """The one mark (words, arrow, class, change) of a comparison: see wording.py."""
    return mark_of(comparison)


@register.filter
def wbr(name: str) -> str:
    """A name with a line-break opportunity after each '/': "Arrangemang/händelse"
    may break after the slash instead of in the middle of a word."""
    return mark_safe(escape(name).replace("/", "/<wbr>"))  # escaped first


@register.filter
def change_from(current: int, expected: float) -> str:
    """The change in per cent as the marks show it ('+35 %', 'ny'): see wording.py."""
    return change_text(current, expected)
