"""An indicator's chart against its target, as geometry for a small inline SVG.

Drawn by the template (promises/_indicator_chart.html), not by matplotlib: a
page of fifty indicators must answer in well under 100 ms, and a few
rectangles need no plotting library. The same SVG goes into the PDF. Every
number comes from the public dict (public.indicator_dict), and the table
beside the chart says the same in text.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

WIDTH = 320
HEIGHT = 150
LEFT = 6  # room to the left of the first bar
TOP = 14  # room above the tallest bar for its value
BOTTOM = 22  # room under the bars for the period labels
GAP = 4


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
