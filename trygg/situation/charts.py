"""Charts of the lägesbild as SVG strings, drawn by matplotlib from a `Picture`.

The page and the PDF embed the same SVG, and every number comes from the
same `Picture` the table and the API show, so a chart can never disagree with
the table beside it. Only matplotlib's object API is used (`Figure()`, never
pyplot): pyplot keeps global figure state that is not safe across threads.
"""

from __future__ import annotations

import io
import math

import matplotlib

# Agg is the only backend that needs no display; set before anything draws.
matplotlib.use("Agg")
# These two are process-wide settings, not per-chart state, and nothing else
# in Trygg changes them: "none" keeps text as <text> (searchable, small, and
# WeasyPrint renders it with the same DejaVu Sans); a fixed salt makes element
# ids, and so the SVG bytes, repeatable.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "trygg"
matplotlib.rcParams["font.family"] = "DejaVu Sans"

from django.utils.dates import WEEKDAYS_ABBR  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from trygg.situation.picture import GroupLine, Picture  # noqa: E402

TREND_COLUMNS = 3
TREND_ROW_IN = 1.5  # height of one row of trend panels, inches
NARROW_ROW_IN = 1.15  # the same on a phone, one panel a row
INK = "#222222"
MUTED = "#777777"
HEAT_COLOURS = "YlOrRd"


def new_figure(width_in: float, height_in: float, *, layout: str | None = "constrained") -> Figure:
    """A white figure, laid out by matplotlib's constrained engine unless `layout` is None."""
    return Figure(figsize=(width_in, height_in), layout=layout, facecolor="white")


def to_svg(figure: Figure) -> str:
    """The figure as an SVG document, without the volatile creation date."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def trend_svg(picture: Picture, *, columns: int = TREND_COLUMNS, width_in: float = 7.2) -> str:
    """52-week trend: one small panel per category group, in the group's colour.

    A phone gets one column 3.6 in wide (`trend_narrow_svg`): scaled to 360 px its
    text is as large as the page's, where three columns would shrink it to 5 px.
    """
    groups = picture.groups or []
    rows = max(1, math.ceil(len(groups) / columns))
    row_in = TREND_ROW_IN if columns > 1 else NARROW_ROW_IN
    height = row_in * rows + 0.45
    # Fixed margins in inches: the constrained engine would cost ~0.4 s on twelve panels.
    figure = new_figure(width_in, height, layout=None)
    margins = {"left": 0.55 / width_in, "right": 1 - 0.3 / width_in, "top": 1 - 0.25 / height}
    margins |= {"bottom": 0.35 / height, "hspace": 0.6, "wspace": 0.22}
    axes = figure.subplots(rows, columns, squeeze=False, sharex=True, gridspec_kw=margins)
    for index, ax in enumerate(axes.flat):
        if index < len(groups):
            _trend_panel(ax, picture, groups[index])
        else:
            ax.set_axis_off()
    if not groups:
        axes.flat[0].text(0.5, 0.5, _("No categories selected."), ha="center", va="center")
    figure.supylabel(_("Reports per week"), fontsize=8, color=MUTED, x=0.01)
    return to_svg(figure)


def trend_narrow_svg(picture: Picture) -> str:
    """The 52-week trend for a phone's width: one panel a row."""
    return trend_svg(picture, columns=1, width_in=3.6)


def _trend_panel(ax: Axes, picture: Picture, group: GroupLine) -> None:
    counts = picture.trend.get(group.code, [])
    weeks = list(range(len(counts)))
    ax.fill_between(weeks, counts, color=group.colour, alpha=0.15, linewidth=0)
    ax.plot(weeks, counts, color=group.colour, linewidth=1.3)
    if counts:
        # The last point is the period itself (or its last week): mark it.
        ax.plot([weeks[-1]], [counts[-1]], "o", color=group.colour, markersize=3.5)
    ax.set_title(group.name, fontsize=8, loc="left", color=INK)
    ax.set_ylim(bottom=0, top=max([*counts, 1]) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True, nbins=3)
    ticks = weeks[::-13][::-1]  # the period's week and every quarter before it
    ax.set_xticks(ticks, [_week_label(picture.trend_weeks[k]) for k in ticks])
    ax.tick_params(labelsize=7, colors=MUTED, length=2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _week_label(key: str) -> str:
    """'2026-W47' as a short week label: 'v. 47' in Swedish, 'W47' in English."""
    week = int(key.rsplit("-W", 1)[1])
    return _("W%(week)s") % {"week": week}


def time_of_week_svg(picture: Picture) -> str:
    """The weekday × hour heat matrix, Monday at the top, hours 0–23 left to right."""
    matrix = picture.time_of_week
    figure = new_figure(7.2, 2.6)
    ax = figure.add_subplot()
    image = ax.imshow(matrix, cmap=HEAT_COLOURS, aspect="auto", vmin=0, interpolation="nearest")
    ax.set_yticks(range(7), [str(WEEKDAYS_ABBR[d]).capitalize() for d in range(7)])
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel(_("Hour of the day"), fontsize=8, color=MUTED)
    ax.tick_params(labelsize=7, length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    bar = figure.colorbar(image, ax=ax, shrink=0.9, pad=0.01)
    bar.ax.tick_params(labelsize=7)
    bar.set_label(_("Reports"), fontsize=8, color=MUTED)
    ax.set_title(
        _("%(events)d reports; a report with a time window is spread over it")
        % {"events": picture.time_of_week_events},
        fontsize=8,
        loc="left",
        color=MUTED,
    )
    return to_svg(figure)
