"""Reading a partner's file into a plain table: headers, rows and each row's number.

Three formats, told apart by their first bytes (not the file name, which
people rename): XLSX (a zip), GeoJSON (a JSON object) and CSV (the rest).
CSV comes as Swedish Excel and other programs write it: UTF-8, UTF-8 with a
byte-order mark, or Windows-1252 (Excel's "CSV" in Sweden), with `;` or `,`
between fields. Values stay as the file holds them (text from CSV; numbers,
dates and text from XLSX); `convert.py` interprets them.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# GeoJSON points have no columns for their position; these two stand in for it.
GEOMETRY_X, GEOMETRY_Y = "geometry.x", "geometry.y"
SEPARATORS = (";", ",", "\t")


class FileRefused(ValueError):
    """The file cannot be read at all; the message says why, for the person who sent it."""


@dataclass
class Sheet:
    format: str  # "csv", "xlsx" or "geojson"
    headers: list[str]
    rows: list[list[Any]]
    numbers: list[int]  # each row's number as the person sees it (spreadsheet row, feature)
    encoding: str = ""
    separator: str = ""
    # Problems found while reading a row, by row index: (column, message).
    row_problems: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def column(self, header: str) -> int | None:
        return self.headers.index(header) if header in self.headers else None


def read_file(content: bytes) -> Sheet:
    """The file as a Sheet; FileRefused if it is none of the formats or has no rows."""
    if content.startswith(b"PK\x03\x04"):
        sheet = _read_xlsx(content)
    elif content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        sheet = _read_geojson(content)
    else:
        sheet = _read_csv(content)
    if not sheet.headers:
        raise FileRefused(_("The file has no header row."))
    return sheet


def decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Five byte values have no character in Windows-1252; a file with them is
        # mis-saved, and a replacement mark shows the place better than a refusal.
        return content.decode("cp1252", errors="replace"), "windows-1252"


def separator_of(first_line: str) -> str:
    """The separator the header line uses most, outside quotes (`;` when none is found)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ";"


def _read_csv(content: bytes) -> Sheet:
    if b"\x00" in content[:4096]:
        raise FileRefused(_("This is not a CSV, XLSX or GeoJSON file."))
    text, encoding = decode(content)
    separator = separator_of(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    headers: list[str] = []
    rows: list[list[Any]] = []
    numbers: list[int] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if not headers:
                headers = _headers(record)
                continue
            rows.append(record)
            numbers.append(line)
    except csv.Error as error:
        raise FileRefused(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    return Sheet("csv", headers, rows, numbers, encoding=encoding, separator=separator)


def _headers(cells: list[Any]) -> list[str]:
    """Header texts, trimmed; an empty or repeated one gets its column's number."""
    headers: list[str] = []
    for i, cell in enumerate(cells, start=1):
        text = "" if cell is None else str(cell).strip()
        if not text or text in headers:
            text = _("Column %(n)d") % {"n": i}
        headers.append(text)
    return headers


def _read_xlsx(content: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet (a 100,000-row log stays small in memory);
        # data_only gives a formula's last computed value, not its text.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(_("The XLSX file cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        headers: list[str] = []
        rows: list[list[Any]] = []
        numbers: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if not headers:
                width = max(i for i, v in enumerate(values, start=1) if v is not None)
                headers = _headers(list(values[:width]))
                continue
            rows.append(list(values[: len(headers)]))
            numbers.append(number)
    finally:
        workbook.close()
    return Sheet("xlsx", headers, rows, numbers)


def _read_geojson(content: bytes) -> Sheet:
    text, _encoding = decode(content)
    try:
        data = json.loads(text)
    except ValueError:
        raise FileRefused(_("The GeoJSON file is not valid JSON.")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise FileRefused(_("A GeoJSON file must hold a FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise FileRefused(_("A GeoJSON file must hold a FeatureCollection."))
    headers: list[str] = []
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        for key in properties or {}:
            if key not in headers:
                headers.append(str(key))
    headers += [GEOMETRY_X, GEOMETRY_Y]
    sheet = Sheet("geojson", headers, [], [], encoding="utf-8")
    for number, feature in enumerate(features, start=1):
        _add_feature(sheet, number, feature)
    return sheet


def _add_feature(sheet: Sheet, number: int, feature: Any) -> None:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    values: list[Any] = [properties.get(h) for h in sheet.headers[:-2]]
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    point = _point(geometry)
    if point is None:
        sheet.row_problems[len(sheet.rows)] = [(GEOMETRY_X, _("Only points can be imported."))]
        point = (None, None)
    sheet.rows.append([*values, *point])
    sheet.numbers.append(number)


def _point(geometry: Any) -> tuple[Any, Any] | None:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    return coordinates[0], coordinates[1]
