"""Files as partners' programs write them, built in the test so each byte is deliberate."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook

# The tests' "now": dates in the files are in the weeks before it.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

# Central Östersund in the test world (tests/world.py): Centrum and Lugnvik,
# in WGS84 and in SWEREF 99 TM (easting, northing) of the same places.
CENTRUM = (63.16, 14.61)
LUGNVIK = (63.16, 14.68)
COLUMNS = {
    "category": "Händelse",
    "occurred_at": "Datum",
    "lat": "Lat",
    "lon": "Long",
    "description": "Beskrivning",
}
HEADER = ["Händelse", "Datum", "Lat", "Long", "Beskrivning"]


def caretaker_rows() -> list[list[str]]:
    """A caretaker's sheet: Swedish words, Swedish dates, decimal commas."""
    return [
        ["Klotter", "2026-11-24 23:10", "63,16", "14,61", "Klotter på garageporten"],
        ["Krossad ruta", "25/11/2026 kl. 07.45", "63,16", "14,68", "Ruta i trapphus B"],
        ["Klotter", "2026-11-26", "63,16", "14,61", "Nytt klotter, samma vägg"],
    ]


CATEGORIES = {"Klotter": "graffiti", "Krossad ruta": "broken_glass"}


def csv_bytes(rows: list[list[Any]], *, sep: str = ";", encoding: str = "utf-8",
              header: list[str] | None = None) -> bytes:  # fmt: skip
    lines = [sep.join(header or HEADER)] + [sep.join(str(v) for v in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def geojson_bytes(features: list[tuple[tuple[float, float], dict[str, Any]]]) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(xy)},
             "properties": props}
            for xy, props in features
        ],
    }  # fmt: skip
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")
