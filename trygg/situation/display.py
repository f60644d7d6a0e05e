"""What the lägesbild page shows around the picture (page-only formatting): the period
switcher, the table's columns, the heat matrix's shades and the areas map layer.

Nothing here computes a statistic: every number comes from the Picture, so the
page, its map layers and the JSON twin cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.reports.models import Category, category_tree
from trygg.situation.forms import Selection
from trygg.situation.pages import comparison_dict, hotspot_features
from trygg.situation.periods import FIRST_YEAR, Period, PeriodError, parse_period
from trygg.situation.picture import AreaLine, Comparison, GroupLine, Picture
from trygg.situation.wording import Mark, mark_of

# The kinds a user can switch between, in the order the switcher shows them.
KINDS = (
    ("week", gettext_lazy("Week")),
    ("weeks", gettext_lazy("Two weeks")),
    ("month", gettext_lazy("Month")),
    ("tertial", gettext_lazy("Tertial")),
    ("year", gettext_lazy("Year")),
)
SHADES = 5  # heat classes 1..5; 0 is "nothing"


def selection_query(selection: Selection) -> str:
    """The query string that asks for `selection` again (no leading '?')."""
    params = {"period": selection.period.key}
    if selection.categories:
        params["category"] = ",".join(selection.categories)
    return urlencode(params)


def period_of_kind(kind: str, day: date) -> Period:
    """The period of `kind` that contains `day` (two weeks: ending with its week)."""
    year, week, _weekday = day.isocalendar()
    if kind == "weeks":
        year, week, _weekday = (day - timedelta(weeks=1)).isocalendar()
    keys = {
        "week": f"{year}-W{week:02d}",
        "weeks": f"{year}-W{week:02d}+2",
        "month": f"{day:%Y-%m}",
        "tertial": f"{day.year}-T{(day.month - 1) // 4 + 1}",
        "year": str(day.year),
    }
    return parse_period(keys[kind])


def _period_of_kind_or_none(kind: str, day: date) -> Period | None:
    """As period_of_kind; None where it would fall before FIRST_YEAR (two weeks in 2000-W01)."""
    try:
        return period_of_kind(kind, day)
    except PeriodError:
        return None


def period_title(period: Period) -> str:
    """A person's name for the period, e.g. 'Vecka 47, 2026' or 'November 2026'."""
    year, week, _weekday = period.start.isocalendar()
    if period.kind == "week":
        return _("Week %(week)d, %(year)d") % {"week": week, "year": year}
    if period.kind == "weeks":
        last = period.last_day.isocalendar()[1]
        return _("Weeks %(first)d–%(last)d, %(year)d") % {"first": week, "last": last, "year": year}
    if period.kind == "month":
        return formats.date_format(period.start, "F Y").capitalize()
    if period.kind == "tertial":
        n = (period.start.month - 1) // 4 + 1
        return _("Tertial %(n)d, %(year)d") % {"n": n, "year": period.start.year}
    if period.kind == "year":
        return str(period.start.year)
    return _("%(first)s to %(last)s") % {
        "first": formats.date_format(period.start, "j M Y"),
        "last": formats.date_format(period.last_day, "j M Y"),
    }


@dataclass(frozen=True)
class KindLink:
    kind: str
    label: str
    query: str
    current: bool


@dataclass(frozen=True)
class PeriodNav:
    title: str
    period: Period
    previous: str | None  # query strings; None before the first year a period may have
    next: str | None  # None when the next period has not begun
    kinds: list[KindLink]


def period_nav(selection: Selection, today: date) -> PeriodNav:
    """Links to the previous and next period and to the other kinds around this one."""
    period = selection.period

    def query(other: Period) -> str:
        return selection_query(Selection(other, selection.categories))

    following, before = period.shifted(1), period.shifted(-1)
    kinds = [
        KindLink(kind, str(label), query(other), kind == period.kind)
        for kind, label in KINDS
        if (other := _period_of_kind_or_none(kind, period.last_day)) is not None
    ]
    return PeriodNav(
        title=period_title(period),
        period=period,
        previous=query(before) if before.start.year >= FIRST_YEAR else None,
        next=query(following) if following.start <= today else None,
        kinds=kinds,
    )


def category_choices() -> list[tuple[Category, list[Category]]]:
    """Incident category groups with their sub-categories, in the taxonomy's order."""
    return category_tree(c for c in Category.objects.all() if c.is_incident)


def active_groups(picture: Picture) -> list[GroupLine]:
    """The groups with any report in the period, its baseline or last year."""
    return [g for g in picture.groups if _any(g.comparison)]


def _any(c: Comparison) -> bool:
    return bool(c.current or c.baseline_mean or c.last_year)


def shade(value: float, peak: float) -> int:
    """Heat class 0..SHADES of `value` against the `peak` (0 only for nothing)."""
    if value <= 0 or peak <= 0:
        return 0
    return max(1, min(SHADES, round(SHADES * value / peak)))


@dataclass(frozen=True)
class HeatCell:
    label: str  # what the title attribute says
    value: float
    shade: int


@dataclass(frozen=True)
class HeatRow:
    label: str
    cells: list[HeatCell]


def heat_rows(matrix: list[list[float]]) -> list[HeatRow]:
    """The 7 × 24 time-of-week matrix as table rows, Monday first, shaded by the peak."""
    peak = max((v for row in matrix for v in row), default=0.0)
    rows = []
    for weekday, values in enumerate(matrix):
        day = str(WEEKDAYS_ABBR[weekday])
        cells = [
            HeatCell(f"{day} {hour:02d}–{hour + 1:02d}: {_number(v)}", v, shade(v, peak))
            for hour, v in enumerate(values)
        ]
        rows.append(HeatRow(day, cells))
    return rows


def trend_strips(
    groups: list[GroupLine], weeks: list[str], trend: dict[str, list[int]]
) -> list[HeatRow]:
    """One shaded row of 52 weekly counts per group with any report, NEWEST week first.

    Newest first like the weekly table below the strips: the period itself is
    where the eye starts, and on a phone it must never be the part cut off.
    """
    shown = [g for g in groups if any(trend.get(g.code, ()))]
    peak = max((n for g in shown for n in trend[g.code]), default=0)
    return [HeatRow(g.name, _strip(weeks, trend[g.code], peak)) for g in shown]


def _strip(weeks: list[str], counts: list[int], peak: int) -> list[HeatCell]:
    pairs = list(zip(weeks, counts, strict=True))[::-1]
    return [HeatCell(f"{week}: {n}", n, shade(n, peak)) for week, n in pairs]


def _number(value: float) -> str:
    # Spread (aoristic) events give fractions; whole counts read better without ",0".
    return str(int(value)) if float(value).is_integer() else formats.number_format(value, 1)


@dataclass(frozen=True)
class TrendRow:
    week: str
    counts: list[int]


def trend_rows(
    groups: list[GroupLine], weeks: list[str], trend: dict[str, list[int]]
) -> tuple[list[GroupLine], list[TrendRow]]:
    """Groups with any report in the weeks, and one row of counts per week, newest first."""
    shown = [g for g in groups if any(trend.get(g.code, ()))]
    rows = [TrendRow(week, [trend[g.code][i] for g in shown]) for i, week in enumerate(weeks)]
    return shown, rows[::-1]


@dataclass(frozen=True)
class AreaRow:
    area_id: int  # 0: outside every area
    name: str
    total: Comparison
    cells: list[Comparison | None]  # aligned with the table's groups
    flagged: list[tuple[str, Mark]]  # groups that rose or fell more than chance


def area_rows(areas: list[AreaLine], groups: list[GroupLine]) -> list[AreaRow]:
    """The area table in the picture's order, one cell per shown group (None: no report).

    The significant cells are also named up front, so a phone (or a wide table)
    shows what changed without scrolling to the cell.
    """
    rows = []
    for a in areas:
        cells = [a.cells.get(g.code) for g in groups]
        marks = [(g.name, mark_of(c)) for g, c in zip(groups, cells, strict=True) if c]
        flagged = [(name, m) for name, m in marks if m.significant]
        rows.append(AreaRow(a.area_id, a.name, a.total, cells, flagged))
    return rows


def points_query(picture: Picture) -> str:
    """The report map's filter for the picture's period and categories (incidents only)."""
    codes = picture.categories or tuple(g.code for g in picture.groups)
    return urlencode(
        {
            "since": picture.period.start.isoformat(),
            "until": picture.period.last_day.isoformat(),
            "category": ",".join(codes),
        }
    )


def area_features(picture: Picture, municipality: Any) -> dict[str, Any]:
    """Every area of the municipality as GeoJSON with the picture's numbers for it."""
    lines = {a.area_id: a for a in picture.areas if a.area_id}
    features = []
    for area_id, name, geometry in municipality.areas.values_list("id", "name", "geometry"):
        line = lines.get(area_id)
        total = line.total if line else picture.quiet
        numbers = comparison_dict(total)
        mark = mark_of(total)
        groups = {code: c.current for code, c in line.cells.items()} if line else {}
        properties = {
            "id": area_id,
            "name": name,
            "url": reverse("situation:area", args=[area_id]),
            **numbers,
            "mark": mark.code,
            "mark_word": f"{mark.arrow} {mark.word} {mark.change}".strip(),
            "groups": groups,
        }
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def area_map(area: Any, picture: Picture) -> dict[str, Any]:
    """The profile's small map: the area's outline and the given picture's hot spots."""
    outline = {"type": "Feature", "geometry": area.geometry, "properties": {"name": area.name}}
    return {"area": outline, "hotspots": hotspot_features(picture)}


def map_labels() -> dict[str, str]:
    """Layer names and popup words for the map script, in the page's language."""
    return {
        "areas": _("Areas (change)"),
        "hotspots": _("Hot spots"),
        "density": _("Density"),
        "points": _("Reports"),
        "current": _("This period"),
        "mean": _("Mean of the previous 4"),
        "lastYear": _("Last year"),
        "profile": _("Area profile"),
        "count": _("Reports in cell"),
        "neighbours": _("Marked because the cells around it have many reports"),
        "perWeek": _("per km² and week"),
    }


@dataclass(frozen=True)
class Picker:
    """What the period picker's controls show: the chosen kind and each control's value."""

    kind: str
    kinds: list[tuple[str, str]]
    values: dict[str, str]  # by control name: week, month, tertial, year, from, to
    latest: dict[str, str]  # the newest value each control may take (periods that have begun)
    first_year: int


def picker(selection: Selection | None, chosen: Any, today: date) -> Picker:
    """The picker set to the selection shown, else to what was asked (to correct it)."""
    kinds = [(kind, str(label)) for kind, label in KINDS] + [("custom", _("From–to"))]
    names = ("week", "month", "tertial", "year", "from", "to")
    if selection is None:
        kind = chosen.get("kind") or ("custom" if chosen.get("from") else "week")
        values = {name: chosen.get(name, "") for name in names}
    else:
        kind, values = selection.period.kind, _picker_values(selection.period)
    year, week, _weekday = today.isocalendar()
    latest = {
        "week": f"{year}-W{week:02d}",
        "month": f"{today:%Y-%m}",
        "year": str(today.year),
        "day": today.isoformat(),
    }
    return Picker(kind, kinds, values, latest, FIRST_YEAR)


def _picker_values(period: Period) -> dict[str, str]:
    year, week, _weekday = period.start.isocalendar()
    return {
        "week": f"{year}-W{week:02d}",
        "month": f"{period.start:%Y-%m}",
        "tertial": str((period.start.month - 1) // 4 + 1),
        "year": str(period.start.year),
        "from": period.start.isoformat(),
        "to": period.last_day.isoformat(),
    }
