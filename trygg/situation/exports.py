"""Exports of the lägesbild: its tables as CSV and XLSX, its map layers as GeoJSON.

Every row is built from `pages.picture_dict`, the value the API returns and
the page renders, so a file can never disagree with the table beside it.
Headers and marks are in the caller's active language, the marks in the words
of wording.py (the page's words). Numbers are rounded as a person reads them.
CSV comes as Swedish Excel opens it (`;`, decimal comma, UTF-8 with BOM) or,
with `?format=international`, as RFC 4180 with a decimal point.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from trygg.reports.access import visible_reports
from trygg.reports.models import Report
from trygg.reports.pages import point_collection
from trygg.situation import queries
from trygg.situation.pages import comparison_dict
from trygg.situation.periods import Period
from trygg.situation.picture import quiet_comparison
from trygg.situation.wording import kind_of, mark_of, rounded

# The comparison fields of one row, in the files' column order.
FIELDS = (
    "current",
    "baseline_mean",
    "last_year",
    "ratio",
    "ratio_low",
    "ratio_high",
    "p",
    "flag",
    "last_year_flag",
)
# Decimals kept per column: ratios and means as people read them, p finer.
DIGITS = {"baseline_mean": 2, "ratio": 2, "ratio_low": 2, "ratio_high": 2, "p": 4}
# A spreadsheet runs a cell starting with one of these as a formula; area
# names are user text, so a name like "=HYPERLINK(…)" must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    name: str  # sheet name
    headers: list[str]
    rows: list[list[Any]]


def _comparison_headers() -> list[str]:
    return [
        _("This period"),
        _("Mean of previous 4 periods"),
        _("Same period last year"),
        _("Ratio"),
        _("Ratio, low"),
        _("Ratio, high"),
        "p",
        _("Mark"),
        _("Mark against last year"),
    ]


def _values(comparison: dict[str, Any]) -> list[Any]:
    """The row's numbers rounded, its marks in words: baseline, then last year."""
    values = [rounded(comparison[name], DIGITS.get(name, 2)) for name in FIELDS[:-2]]
    baseline = mark_of(comparison).word
    last_year = comparison["last_year"]
    against_year = kind_of(comparison["last_year_flag"], _ratio(comparison["current"], last_year))
    return [*values, baseline, str(against_year.word)]


def _ratio(current: int, reference: float) -> float | None:
    return current / reference if reference else None


def all_groups_label() -> str:
    return _("All groups")


def headline_table(data: dict[str, Any]) -> Table:
    """Per category group, then the total: the headline of the page."""
    rows = [[g["name"], *_values(g)] for g in data["groups"]]
    rows.append([all_groups_label(), *_values(data["total"])])
    return Table(_("Headline"), [_("Group"), *_comparison_headers()], rows)


def area_table(data: dict[str, Any]) -> Table:
    """Per area (busiest first, as on the page): its total, then each group it has."""
    names = {g["code"]: g["name"] for g in data["groups"]}
    rows = []
    for area in data["areas"]:
        name = area["name"] or _("Outside named areas")
        rows.append([name, all_groups_label(), *_values(area["total"])])
        rows += [
            [name, names[code], *_values(area["groups"][code])]
            for code in names
            if code in area["groups"]
        ]
    return Table(_("Areas"), [_("Area"), _("Group"), *_comparison_headers()], rows)


def guarded(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class CsvStyle:
    delimiter: str
    decimal: str
    bom: bool  # Excel needs it to read å, ä and ö as UTF-8


# What Excel in Sweden opens by double-click: `;` between fields, decimal comma.
EXCEL = CsvStyle(";", ",", True)
# RFC 4180 with a decimal point, for scripts and non-Swedish spreadsheets.
INTERNATIONAL = CsvStyle(",", ".", False)
CSV_STYLES = {"excel": EXCEL, "international": INTERNATIONAL}


def csv_bytes(table: Table, style: CsvStyle = EXCEL) -> bytes:
    """The table as CSV in `style`; text that would run as a formula stays text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(v, style) for v in row])
    return (("\ufeff" if style.bom else "") + out.getvalue()).encode("utf-8")


def _csv_value(value: Any, style: CsvStyle) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", style.decimal)
    return guarded(value)


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    """One sheet per table; numbers as numbers, text always as text, never a formula."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.name))
        sheet.append([_text_cell(sheet, h) for h in table.headers])
        for row in table.rows:
            sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    return cell


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


def area_features(data: dict[str, Any], geometries: dict[int, tuple[str, Any]]) -> dict[str, Any]:
    """Every area of the municipality with its counts and flags (zero where the table has none)."""
    lines = {a["id"]: a for a in data["areas"] if a["id"]}
    groups = [g["code"] for g in data["groups"]]
    flags = data["total"]["flag"], data["total"]["last_year_flag"]
    nothing = comparison_dict(quiet_comparison(*flags))  # as the map's areas layer says
    features = []
    for area_id, (name, geometry) in geometries.items():
        line = lines.get(area_id)
        total = line["total"] if line else nothing
        cells = line["groups"] if line else {}
        numbers = {k: rounded(v, DIGITS.get(k, 2)) for k, v in total.items()}
        properties: dict[str, Any] = {"id": area_id, "name": name, **numbers}
        properties["mark"] = mark_of(total).word
        for code in groups:
            cell = cells.get(code, nothing)
            properties[f"{code}_current"] = cell["current"]
            properties[f"{code}_flag"] = cell["flag"]
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "period": data["period"], "features": features}


def point_features(
    user: Any, municipality: Any, period: Period, categories: tuple[str, ...]
) -> dict[str, Any]:
    """The period's incident reports `user` may see, newest first, capped like the report map.

    Each point is the report map's (/rapporter/karta.geojson): the same
    reports.pages.point_collection, free text only where `record_details_shown` allows.
    """
    since, until = period.bounds
    chosen = (
        visible_reports(user)
        .filter(
            municipality=municipality,
            occurred_at__gte=since,
            occurred_at__lt=until,
            category_id__in=queries.Taxonomy.load().incident_ids(categories),
        )
        .exclude(status=Report.Status.WITHDRAWN)
    )
    return point_collection(user, chosen)


def filename(code: str, period_key: str, categories: tuple[str, ...], part: str, ext: str) -> str:
    """lagesbild-2380-2026-W47-omraden.csv: municipality, period, filter, content."""
    pieces = ["lagesbild", code, period_key, *categories, part]
    stem = "-".join(p for p in pieces if p)
    # Keys like 2026-11-02..2026-11-15 and 2026-W46+2 must make a plain file name.
    return re.sub(r"[^A-Za-z0-9_-]+", "_", stem) + "." + ext
