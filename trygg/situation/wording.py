"""The one wording rule for every statistical mark of the lägesbild.

A mark says how THIS period's count changed against the baseline (the mean of
the previous periods). The page's cards and table, the map popups, the PDF and
the CSV/XLSX exports all take their words, arrow and CSS class from `mark_of`,
so no two places can describe the same comparison differently.

The rule (docs/lagesbild.md says it for a coordinator):
- "Ökar" / "Minskar" only when the exact test says the change is more than chance;
- "Stabilt" only when the trend module rules out both a halving and a doubling
  AND the count lies within a fifth of the usual (ratio 0.8–1.25);
- a change outside that band that chance still explains: "Ingen säker förändring";
- "För få för att säga" when neither a change nor stability can be shown;
- "Ingen historik" when the baseline lies before the first report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Within a fifth either way (symmetric on the ratio's log scale) a count reads
# as "about as usual"; a larger change that chance explains is not "stable".
STABLE_BAND = (0.8, 1.25)


@dataclass(frozen=True)
class MarkKind:
    code: str  # stable machine code: JSON, CSS, international exports
    word: Promise  # the words a person reads
    arrow: str  # shown next to the CURRENT count, never the baseline
    significant: bool  # the test says more than chance
    meaning: Promise  # one sentence for the method page and the PDF


RISING = MarkKind(
    "rising", _("Rising"), "▲", True,
    _("More reports than the mean of the previous periods, by more than chance explains."),
)  # fmt: skip
FALLING = MarkKind(
    "falling", _("Falling"), "▼", True,
    _("Fewer reports than the mean of the previous periods, by more than chance explains."),
)  # fmt: skip
STABLE = MarkKind(
    "stable", _("Stable"), "→", False,
    _("About as usual (within a fifth), and the numbers rule out both a halving and a doubling."),
)  # fmt: skip
UNSURE = MarkKind(
    "no_clear_change", _("No certain change"), "", False,
    _("The count differs from the usual, but no more than chance can explain."),
)  # fmt: skip
TOO_FEW = MarkKind(
    "too_few", _("Too few to tell"), "", False,
    _("Too few reports to show either a change or stability."),
)  # fmt: skip
NO_HISTORY = MarkKind(
    "no_baseline", _("No history"), "", False,
    _("The previous periods lie before the first report in Trygg: nothing to compare with."),
)  # fmt: skip
KINDS = (RISING, FALLING, STABLE, UNSURE, TOO_FEW, NO_HISTORY)


@dataclass(frozen=True)
class Mark:
    """What one comparison shows: the words, the arrow, the class and the change."""

    code: str
    word: str
    arrow: str
    css: str
    significant: bool
    change: str  # "+35 %", "−20 %", "±0 %", "ny" or "–"


def kind_of(flag: str, ratio: float | None) -> MarkKind:
    """The mark's kind from the trend flag and the current/baseline ratio."""
    if flag == "rising":
        return RISING
    if flag == "falling":
        return FALLING
    if flag == "stable":
        inside = ratio is not None and STABLE_BAND[0] <= ratio <= STABLE_BAND[1]
        return STABLE if inside else UNSURE
    if flag == "no_baseline":
        return NO_HISTORY
    return TOO_FEW


def mark_of(comparison: Any) -> Mark:
    """The mark of a picture Comparison or its JSON dict (same fields)."""
    get = comparison.get if isinstance(comparison, dict) else comparison.__getattribute__
    current, mean = get("current"), get("baseline_mean")
    ratio = current / mean if mean else None
    kind = kind_of(get("flag"), ratio)
    return Mark(
        code=kind.code,
        word=str(kind.word),
        arrow=kind.arrow,
        css=f"mark-{kind.code}",
        significant=kind.significant,
        change=change_text(current, mean),
    )


def change_text(current: int, mean: float) -> str:
    """The change against the baseline mean in per cent; 'new' when the mean was 0."""
    if not mean:
        return str(_("new")) if current else "–"
    percent = round((current / mean - 1) * 100)
    sign = "+" if percent > 0 else "−" if percent < 0 else "±"
    return f"{sign}{abs(percent)} %"


def rounded(value: Any, digits: int = 2) -> Any:
    """A float as a person reads it (two decimals); other values unchanged."""
    if isinstance(value, float):
        return round(value, digits) if math.isfinite(value) else None
    return value
