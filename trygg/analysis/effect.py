"""Did a measure work? Before/after counts in treated, buffer and control areas.

Two established summaries:

- the weighted displacement difference (WDD; Wheeler & Ratcliffe 2018, Crime
  Science 7:11), a difference-in-differences on counts with a Poisson standard
  error, so it comes with z and p;
- the weighted displacement quotient (WDQ; Bowers & Johnson 2003), which says
  whether crime moved to the buffer (displacement) or fell there too
  (diffusion of benefits), with no standard error.

Both answer "too few events to conclude" when the counts cannot carry a conclusion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy import special  # type: ignore[import-untyped, unused-ignore]

WddConclusion = Literal["reduction", "increase", "no_significant_change", "too_few_events"]
WdqInterpretation = Literal[
    "too_few_events",
    "no_success",
    "diffusion_exceeds_treatment",
    "diffusion_of_benefits",
    "no_displacement_or_diffusion",
    "displacement",
    "displacement_exceeds_treatment",
]

# A before-count under 10 has a Poisson s.d. of over 30 % of itself, so a ratio such as
# T1/T0 can swing by a third from noise alone: the WDQ then says "too few events".
MIN_PRE_COUNT = 10


@dataclass(frozen=True)
class PrePost:
    """Event counts in one area before and after the measure."""

    pre: int
    post: int

    @property
    def change(self) -> int:
        return self.post - self.pre


@dataclass(frozen=True)
class Wdd:
    """Weighted displacement difference: `estimate` < 0 means fewer crimes than expected.

    `local` = ΔT − ΔC, `displacement` = ΔD − ΔCd, `estimate` their sum;
    `se` = √(sum of all counts) (Poisson); `z`, two-sided `p`, the interval at
    `confidence`, and a `conclusion`: "reduction"/"increase" when p < 1 −
    confidence; otherwise "too_few_events" when even the disappearance of every
    treated-area event before the measure (an estimate of −T_pre) would not have
    reached significance at this standard error, else "no_significant_change".
    """

    local: float
    displacement: float
    estimate: float
    se: float
    z: float
    p: float
    ci_low: float
    ci_high: float
    confidence: float
    conclusion: WddConclusion


def wdd(
    treated: PrePost,
    control: PrePost,
    buffer: PrePost | None = None,
    buffer_control: PrePost | None = None,
    *,
    confidence: float = 0.95,
) -> Wdd:
    """WDD of a measure in `treated` against `control`, with an optional displacement buffer."""
    empty = PrePost(0, 0)
    buffer, buffer_control = buffer or empty, buffer_control or empty
    areas = (treated, control, buffer, buffer_control)
    if any(a.pre < 0 or a.post < 0 for a in areas):
        raise ValueError("counts must be non-negative")
    local = float(treated.change - control.change)
    displacement = float(buffer.change - buffer_control.change)
    estimate = local + displacement
    se = math.sqrt(sum(a.pre + a.post for a in areas))
    critical = float(special.ndtri(1.0 - (1.0 - confidence) / 2.0))
    z = estimate / se if se > 0 else 0.0
    p = float(2.0 * special.ndtr(-abs(z)))
    if p < 1.0 - confidence:
        conclusion: WddConclusion = "reduction" if estimate < 0 else "increase"
    elif treated.pre < critical * se or se == 0:
        conclusion = "too_few_events"
    else:
        conclusion = "no_significant_change"
    low, high = estimate - critical * se, estimate + critical * se
    return Wdd(local, displacement, estimate, se, z, p, low, high, confidence, conclusion)


@dataclass(frozen=True)
class Wdq:
    """Weighted displacement quotient WDQ = BM / SM.

    SM = T1/T0 − C1/C0 (success measure, < 0 means the treated area did better
    than control); BM = D1/D0 − C1/C0 (buffer measure). `wdq` is None when it is
    not meaningful: SM ≥ 0 ("no_success") or any before-count under
    `MIN_PRE_COUNT` ("too_few_events"). `total_net_effect` = [T0·C1/C0 − T1] +
    [D0·C1/C0 − D1], crimes prevented net of displacement (None when C0 = 0).
    """

    success_measure: float | None
    buffer_measure: float | None
    wdq: float | None
    total_net_effect: float | None
    interpretation: WdqInterpretation


def wdq(treated: PrePost, buffer: PrePost, control: PrePost) -> Wdq:
    """Bowers & Johnson's WDQ and what it means, as a text code."""
    if control.pre == 0:
        return Wdq(None, None, None, None, "too_few_events")
    control_ratio = control.post / control.pre
    net = (treated.pre * control_ratio - treated.post) + (buffer.pre * control_ratio - buffer.post)
    if min(treated.pre, buffer.pre, control.pre) < MIN_PRE_COUNT:
        return Wdq(None, None, None, net, "too_few_events")
    sm = treated.post / treated.pre - control_ratio
    bm = buffer.post / buffer.pre - control_ratio
    if sm >= 0:
        return Wdq(sm, bm, None, net, "no_success")
    quotient = bm / sm
    return Wdq(sm, bm, quotient, net, _interpret(quotient))


def _interpret(quotient: float) -> WdqInterpretation:
    """Bowers & Johnson's reading: > 0 diffusion, < 0 displacement; beyond ±1 it exceeds SM."""
    if quotient > 1.0:
        return "diffusion_exceeds_treatment"
    if quotient > 0.0:
        return "diffusion_of_benefits"
    if quotient == 0.0:
        return "no_displacement_or_diffusion"
    if quotient >= -1.0:
        return "displacement"
    return "displacement_exceeds_treatment"
