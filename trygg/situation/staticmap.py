"""The lägesbild map as SVG for the PDF: areas shaded by change, hotspot cells on top.

Drawn in SWEREF 99 TM metres (EPSG:3006), where a metre is a metre in both
directions, so the map needs no projection library at draw time and the scale
bar is exact. Grid north of SWEREF 99 TM is within about a degree of true north
across Sweden's populated areas (central meridian 15° E), close enough for a
north arrow on a municipal map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils.translation import gettext as _
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PatchCollection
from matplotlib.colors import LogNorm, to_rgb
from matplotlib.patches import Patch, Rectangle
from shapely.geometry.base import BaseGeometry

from trygg.geo.lookup import geometry_to_sweref
from trygg.situation.charts import INK, MUTED, new_figure, to_svg
from trygg.situation.picture import Comparison, Picture

# Ratios beyond a quartering or a fourfold change get the strongest colour;
# the scale is logarithmic so a halving and a doubling look equally strong.
RATIO_LIMIT = 4.0
CHANGE_COLOURS = "RdBu_r"
NOT_COMPARED = "#d9d9d9"  # too few reports, or no baseline: no colour claims a change
UNCOMPARABLE_FLAGS = ("too_few", "no_baseline")
HOT = "#b2182b"
DEMO = "#9a3412"
# A detail panel is drawn when the smallest third of the areas spans less than a
# third of the map: then their labels would crowd into an unreadable knot.
DETAIL_MAX_SHARE = 3
COLD = "#2166ac"


@dataclass(frozen=True)
class MapShapes:
    """A municipality's outline and areas in SWEREF 99 TM."""

    boundary: BaseGeometry | None
    areas: list[tuple[int, str, BaseGeometry]]  # id, name, polygon


# Vertices within a metre of the line are dropped before drawing: no print shows
# them, and an outline densified to thousands of points made the map SVG, and the
# PDF's time to draw it, several times larger.
DRAW_TOLERANCE_M = 1.0


def load_shapes(municipality: Any) -> MapShapes:
    """The outline and the area polygons of `municipality`, projected for drawing."""
    rows = municipality.areas.values_list("id", "name", "geometry")
    areas = [(pk, name, _for_drawing(g)) for pk, name, g in rows]
    boundary = _for_drawing(municipality.boundary) if municipality.boundary else None
    return MapShapes(boundary=boundary, areas=areas)


def _for_drawing(geometry: dict[str, Any]) -> BaseGeometry:
    projected = geometry_to_sweref(geometry)
    simpler = projected.simplify(DRAW_TOLERANCE_M, preserve_topology=True)
    return projected if simpler.is_empty else simpler


def static_map_svg(picture: Picture, shapes: MapShapes) -> str:
    """Areas shaded by the change against the baseline, with significant Gi* cells.

    Where the small areas crowd together (a town inside a large rural
    municipality), a detail panel shows them beside the whole municipality.
    """
    norm = LogNorm(vmin=1 / RATIO_LIMIT, vmax=RATIO_LIMIT)
    cmap = colormaps[CHANGE_COLOURS]
    colours = {line.area_id: _area_colour(line.total, cmap, norm) for line in picture.areas}
    detail = detail_box(shapes)
    figure = new_figure(7.2, 6.0 if detail else 7.0)
    if detail is None:
        panels = [(figure.add_subplot(), None)]
    else:
        overview, zoomed = figure.subplots(1, 2, width_ratios=[1, 1.5])
        panels = [(overview, detail), (zoomed, None)]
    for ax, marked in panels:
        _draw_panel(ax, picture, shapes, colours, marked)
    if detail is not None:
        zoomed.set_xlim(detail.bounds[0], detail.bounds[2])
        zoomed.set_ylim(detail.bounds[1], detail.bounds[3])
    for ax, _marked in panels:
        _scale_bar(ax)
    _north_arrow(panels[-1][0])
    _legend(panels[-1][0], figure, cmap, norm, picture)
    if picture.is_demo:
        figure.text(
            0.01,
            0.99,
            _("Demo data"),
            ha="left",
            va="top",
            fontsize=10,
            fontweight="bold",
            color=DEMO,
        )
    return to_svg(figure)


def detail_box(shapes: MapShapes) -> BaseGeometry | None:
    """The box around the smallest third of the areas, if it is under a third as wide as all."""
    if len(shapes.areas) < 4:
        return None
    polygons = sorted((polygon for _, _, polygon in shapes.areas), key=lambda g: g.area)
    small = shapely.union_all(polygons[: len(polygons) // 3])
    everything = shapes.boundary or shapely.union_all(polygons)
    if _width(small) * DETAIL_MAX_SHARE > _width(everything):
        return None
    xmin, ymin, xmax, ymax = small.bounds
    margin = 0.08 * max(xmax - xmin, ymax - ymin)
    return shapely.box(xmin - margin, ymin - margin, xmax + margin, ymax + margin)


def _width(geometry: BaseGeometry) -> float:
    xmin, ymin, xmax, ymax = geometry.bounds
    return max(xmax - xmin, ymax - ymin)


def _draw_panel(
    ax: Axes,
    picture: Picture,
    shapes: MapShapes,
    colours: dict[int, Any],
    detail: BaseGeometry | None,
) -> None:
    """One map panel; with `detail`, the areas inside it are left unlabelled and outlined."""
    if shapes.boundary is not None:
        _draw(ax, shapes.boundary, facecolor="#f7f7f7", edgecolor=MUTED, linewidth=0.8)
    # Largest first, so a small area inside a larger one (a street) stays visible.
    for area_id, _name, polygon in sorted(shapes.areas, key=lambda a: -a[2].area):
        colour = colours.get(area_id, NOT_COMPARED)
        _draw(ax, polygon, facecolor=colour, edgecolor="white", linewidth=0.7)
    _draw_hotspots(ax, picture)
    for _area_id, name, polygon in shapes.areas:
        point = polygon.representative_point()
        if detail is not None and detail.contains(point):
            continue
        ax.annotate(
            name,
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=6.5 if detail is None else 5.5,
            color=INK,
            clip_on=True,
        )
    if detail is not None:
        x, y = detail.exterior.xy
        ax.plot(x, y, color=INK, linewidth=0.8, linestyle="--")
    ax.set_aspect("equal")
    ax.set_axis_off()


def _area_colour(total: Comparison, cmap: Any, norm: LogNorm) -> Any:
    """Grey unless the change could be judged; then the ratio on the diverging scale."""
    if total.flag in UNCOMPARABLE_FLAGS or not math.isfinite(total.ratio):
        return NOT_COMPARED
    ratio = min(max(total.ratio, 1 / RATIO_LIMIT), RATIO_LIMIT)
    return cmap(norm(ratio))


def _draw(ax: Axes, geometry: BaseGeometry, **style: Any) -> None:
    """Fill a Polygon or MultiPolygon; holes are cut by drawing them in the page colour."""
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        x, y = polygon.exterior.xy
        ax.fill(x, y, **style)
        for hole in polygon.interiors:
            hx, hy = hole.xy
            ax.fill(hx, hy, facecolor="white", edgecolor=style.get("edgecolor"), linewidth=0.5)


def _draw_hotspots(ax: Axes, picture: Picture) -> None:
    """All cells as one collection: a patch each cost a draw call and an SVG group each."""
    if not picture.hotspots:
        return
    cells = [Rectangle((c.x, c.y), c.size_m, c.size_m) for c in picture.hotspots]
    colours = [HOT if c.level > 0 else COLD for c in picture.hotspots]
    # A light fill keeps the area's change colour readable beneath.
    fills = [
        (*to_rgb(colour), 0.1 + 0.1 * min(abs(c.level), 3))
        for colour, c in zip(colours, picture.hotspots, strict=True)
    ]
    ax.add_collection(
        PatchCollection(cells, facecolors=fills, edgecolors=colours, linewidths=0.6),
        autolim=False,
    )


def _scale_bar(ax: Axes) -> None:
    """A bar of a round length, about a fifth of the map's width, bottom left."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length = _round_length((x1 - x0) / 5)
    left, base = x0 + 0.03 * (x1 - x0), y0 + 0.03 * (y1 - y0)
    ax.plot([left, left + length], [base, base], color=INK, linewidth=2.5, solid_capstyle="butt")
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(
        left + length / 2,
        base + 0.012 * (y1 - y0),
        label,
        ha="center",
        va="bottom",
        fontsize=7,
        color=INK,
    )


def _round_length(approx: float) -> float:
    """The largest 1, 2 or 5 × 10^k metres not above `approx`."""
    power = 10 ** math.floor(math.log10(max(approx, 1.0)))
    return max(step * power for step in (1, 2, 5) if step * power <= approx)


def _north_arrow(ax: Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.96, 0.97),
        xytext=(0.96, 0.87),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        color=INK,
        arrowprops={"arrowstyle": "-|>", "color": INK, "linewidth": 1.2},
    )


def _legend(ax: Axes, figure: Any, cmap: Any, norm: LogNorm, picture: Picture) -> None:
    mappable = ScalarMappable(norm=norm, cmap=cmap)
    bar = figure.colorbar(
        mappable, ax=ax, orientation="horizontal", shrink=0.6, pad=0.02, aspect=35
    )
    ticks = [0.25, 0.5, 1, 2, 4]
    bar.set_ticks(ticks, labels=["¼", "½", "1", "2", "4"])
    bar.ax.minorticks_off()
    bar.ax.tick_params(labelsize=7)
    bar.set_label(
        _("Reports in the period against the mean of the previous %(n)d periods")
        % {"n": len(picture.baseline)},
        fontsize=7,
        color=MUTED,
    )
    handles = [
        Patch(facecolor=NOT_COMPARED, label=_("Too few reports to compare")),
        Patch(
            facecolor=(*to_rgb(HOT), 0.3),
            edgecolor=HOT,
            label=_("Hot spot: more reports than chance explains"),
        ),
    ]
    if any(cell.level < 0 for cell in picture.hotspots):
        cold = Patch(facecolor=(*to_rgb(COLD), 0.3), edgecolor=COLD, label=_("Cold spot"))
        handles.append(cold)
    figure.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7, frameon=False)
