"""An indicator's chart against its target, as a small inline SVG.

Written here as text, not drawn by matplotlib nor laid out by a template: a
page of fifty indicators must answer in well under 100 ms, and a few
rectangles need neither. The same SVG goes into the PDF. Every number comes
from the public dict (public.indicator_dict), and the table beside the chart
says the same in text; the SVG is an image with a name and a description.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 320
HEIGHT = 150
LEFT = 6  # room to the left of the first bar
TOP = 14  # room above the tallest bar for its value
BOTTOM = 22  # room under the bars for the period labels
GAP = 4
INK, MUTED, BASELINE = "#1b1f24", "#5a6470", "#5a6470"
DONE, GOING, TARGET = "#1f5fa8", "#8fb0d6", "#a32020"


def indicator_chart(indicator: dict[str, Any]) -> dict[str, Any]:
    """Bars for the baseline and each period, and a line at the target, scaled to fit."""
    points = [("baseline", str(indicator["baseline_year"]), indicator["baseline"], True)]
    points += [("period", p["period"], p, p["complete"]) for p in indicator["series"]]
    values = [p[2]["value"] for p in points if p[2]["value"] is not None]
    target = indicator["target"]["value"] or 0.0
    top = max([*values, target, 1.0]) * 1.1
    plot_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT) / len(points)
    width = max(step - GAP, 2.0)
    bars = []
    for index, (kind, label, value, complete) in enumerate(points):
        number = value["value"] or 0.0
        height = plot_h * number / top
        x = LEFT + index * step
        bars.append({
            "kind": kind, "label": _short(label), "text": value["text"], "complete": complete,
            "x": round(x, 1), "width": round(width, 1), "y": round(TOP + plot_h - height, 1),
            "height": round(height, 1), "mid": round(x + width / 2, 1),
            "value_y": round(TOP + plot_h - height - 3, 1),
        })  # fmt: skip
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "target_y": round(TOP + plot_h - plot_h * target / top, 1),
        "axis_y": TOP + plot_h,
        "label_y": HEIGHT - 6,
        "small": len(points) > 8,
    }


def _short(period: str) -> str:
    """2024-Q3 as "K3 24" so a quarter fits under its bar; a year stays as it is."""
    year, _sep, quarter = period.partition("-Q")
    if not quarter:
        return year
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year[2:]}


def indicator_svg(indicator: dict[str, Any], n: int) -> SafeString:
    """The chart of `indicator` as SVG markup; `n` keeps its ids apart from the others'."""
    c = indicator_chart(indicator)
    desc = _(
        "Bars: the baseline year %(year)s and each period since. Dashed line: the target, "
        "%(target)s. The table gives every value."
    ) % {"year": indicator["baseline_year"], "target": indicator["target"]["text"]}
    parts = [
        f'<svg class="indicator-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="chart-{n}-title chart-{n}-desc" '
        f'focusable="false"><title id="chart-{n}-title">{escape(indicator["name"])}</title>'
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>'
        f'<line x1="0" x2="{WIDTH}" y1="{c["axis_y"]}" y2="{c["axis_y"]}" stroke="{MUTED}" '
        f'stroke-width="1"/>'
    ]
    size = 7 if c["small"] else 10
    for b in c["bars"]:
        fill = BASELINE if b["kind"] == "baseline" else DONE if b["complete"] else GOING
        parts.append(
            f'<rect x="{b["x"]}" y="{b["y"]}" width="{b["width"]}" height="{b["height"]}" '
            f'fill="{fill}"/>'
        )
        if not c["small"]:
            parts.append(_text(b["mid"], b["value_y"], 10, b["text"]))
        parts.append(_text(b["mid"], c["label_y"], size, b["label"]))
    parts.append(
        f'<line x1="0" x2="{WIDTH}" y1="{c["target_y"]}" y2="{c["target_y"]}" stroke="{TARGET}" '
        f'stroke-width="2" stroke-dasharray="6 4"/></svg>'
    )
    return mark_safe("".join(parts))  # every text in it went through escape()


def _text(x: float, y: float, size: int, text: str) -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="middle" font-size="{size}" fill="{INK}">'
        f"{escape(text)}</text>"
    )
