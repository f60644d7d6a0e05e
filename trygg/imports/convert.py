"""A Sheet's rows as report items for intake, through a column and a category mapping.

Each value is interpreted as a Swedish spreadsheet holds it (decimal comma,
`2026-11-24 23:10`, `24/11 2026 kl. 23.10`, Excel day serials, `ja`/`nej`).
A value that cannot be interpreted is passed on as it is, so intake
(trygg.reports.intake, the same checks as every channel) refuses it in its
own words; the importer adds only the rules a file has and a form has not
(a required date; a position in either reference system).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import numpy as np
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.geo.projection import to_wgs84
from trygg.imports.parsing import GEOMETRY_X, GEOMETRY_Y, Sheet
from trygg.reports.models import Report

# Our fields a column can fill, in the mapping form's order, with the header
# words (lower case, as Swedish and English files name them) that suggest it.
TARGETS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "category": (gettext_lazy("Category"), ("kategori", "category", "typ", "händelsetyp", "händelse", "type")),  # noqa: E501
    "occurred_at": (gettext_lazy("Date (and time)"), ("datum", "tidpunkt", "datum och tid", "inträffade", "occurred_at", "occurred at", "date", "datetime")),  # noqa: E501
    "occurred_time": (gettext_lazy("Time, in a column of its own"), ("klockslag", "tid", "kl", "time")),  # noqa: E501
    "occurred_to": (gettext_lazy("Until (date and time)"), ("till", "slut", "pågick till", "occurred_to", "occurred until")),  # noqa: E501
    "lat": (gettext_lazy("Latitude, or northing (SWEREF 99 TM)"), ("lat", "latitud", "latitude", "n", "northing", "nord", "y", GEOMETRY_Y)),  # noqa: E501
    "lon": (gettext_lazy("Longitude, or easting (SWEREF 99 TM)"), ("lon", "lng", "long", "longitud", "longitude", "e", "easting", "öst", "ost", "x", GEOMETRY_X)),  # noqa: E501
    "address": (gettext_lazy("Address"), ("adress", "address", "plats", "gatuadress")),
    "place_type": (gettext_lazy("Place type"), ("platstyp", "typ av plats", "place_type", "place type")),  # noqa: E501
    "persons": (gettext_lazy("Number of persons"), ("personer", "antal personer", "antal", "persons", "number of persons")),  # noqa: E501
    "creates_insecurity": (gettext_lazy("Creates insecurity"), ("skapar otrygghet", "otrygghet", "creates_insecurity", "creates insecurity")),  # noqa: E501
    "description": (gettext_lazy("Description"), ("beskrivning", "kommentar", "anteckning", "notering", "text", "description")),  # noqa: E501
    "reported_to_police": (gettext_lazy("Reported to the police"), ("polisanmäld", "anmäld till polisen", "reported_to_police", "reported to the police")),  # noqa: E501
    "damage_cost_sek": (gettext_lazy("Damage cost (SEK)"), ("skadekostnad", "skadekostnad (kr)", "kostnad", "damage_cost_sek", "damage cost (sek)")),  # noqa: E501
    "sharing": (gettext_lazy("Sharing"), ("delning", "sharing")),
    "external_id": (gettext_lazy("Your id of the row"), ("id", "löpnummer", "nr", "ärendenummer", "client_id")),  # noqa: E501
}  # fmt: skip
REQUIRED = ("category", "occurred_at", "lat", "lon")
CHOICE_FIELDS = {
    "place_type": Report.PlaceType,
    "creates_insecurity": Report.Assessment,
    "sharing": Report.Sharing,
}
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "sant", "1", "x"})
FALSE_WORDS = frozenset({"nej", "n", "no", "false", "falskt", "0"})
MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "januari", "january"), ("feb", "februari", "february"), ("mar", "mars", "march"),
         ("apr", "april"), ("maj", "may"), ("jun", "juni", "june"), ("jul", "juli", "july"),
         ("aug", "augusti", "august"), ("sep", "sept", "september"), ("okt", "oktober", "oct", "october"),  # noqa: E501
         ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
# Excel counts days from 1899-12-30 (its day 60 is a 29 February 1900 that never was).
EXCEL_EPOCH = datetime(1899, 12, 30)
# SWEREF 99 TM over Sweden: eastings ~ 180,000–1,000,000 m, northings ~ 6,100,000–7,700,000 m;
# no WGS84 degree comes near.
PROJECTED_ABOVE = 1000.0


@dataclass(frozen=True)
class RowError:
    row: int  # as the person counts rows in the file
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class Converted:
    items: list[dict[str, Any]]  # for intake, one per row without an importer's error
    origins: list[int]  # each item's row index in the sheet
    errors: list[RowError]
    systems: dict[str, int]  # rows per coordinate reference system found


def normalised(header: str) -> str:
    return re.sub(r"\s+", " ", str(header).strip().lower().replace("_", " ")).strip(" :")


def suggested_columns(headers: list[str], saved: dict[str, str]) -> dict[str, str]:
    """For each field, the column a saved mapping named (if the file has it), else a guess."""
    chosen: dict[str, str] = {}
    for field, header in saved.items():
        if field in TARGETS and header in headers:
            chosen[field] = header
    taken = set(chosen.values())
    for field, (label, words) in TARGETS.items():
        if field in chosen:
            continue
        names = {normalised(w) for w in words} | _labels(label) | {normalised(field)}
        for header in headers:
            if header not in taken and normalised(header) in names:
                chosen[field] = header
                taken.add(header)
                break
    return chosen


def _labels(label: Any) -> set[str]:
    found = set()
    for language in ("sv", "en"):
        with translation.override(language):
            found.add(normalised(str(label)))
    return found


def category_words(sheet: Sheet, column: str | None, limit: int = 500) -> list[str]:
    """The distinct words in the category column, in order of first appearance."""
    index = sheet.column(column) if column else None
    if index is None:
        return []
    seen: dict[str, None] = {}
    for row in sheet.rows:
        word = text_of(row[index] if index < len(row) else None)
        if word and word not in seen:
            seen[word] = None
            if len(seen) >= limit:
                break
    return list(seen)


def suggested_categories(
    words: Iterable[str], saved: dict[str, str], categories: list[Any]
) -> dict[str, str]:
    """For each word, the code a saved mapping gave it, else the category of that code or name."""
    known: dict[str, str] = {}
    for category in categories:
        for name in (category.code, category.name_sv, category.name_en):
            known.setdefault(normalised(name), category.code)
    return {w: saved.get(w) or known.get(normalised(w), "") for w in words}


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def row_key(row: list[Any]) -> str:
    """A digest of the row's cells as text: the same row of the same file gives the same key."""
    cells = "\x1f".join(v if isinstance(v, str) else text_of(v) for v in row)
    return hashlib.sha256(cells.encode("utf-8", errors="replace")).hexdigest()[:40]


def client_id_for(row: list[Any], external_id: str, seen: dict[str, int]) -> str:
    """The stable client_id of a row: from the file's own id if mapped, else from its cells.

    A row repeated in the file counts each time (caretakers do log the same thing
    twice on a night); its second copy gets `#2`, so a second import of the file
    still finds both.
    """
    if external_id:
        base = "import:id:" + external_id if len(external_id) <= 80 else ""
        base = base or "import:id:" + hashlib.sha256(external_id.encode()).hexdigest()[:40]
    else:
        base = "import:" + row_key(row)
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}#{seen[base]}"


def swedish_datetime(value: Any) -> datetime | date | None:
    """A date or date and time from a cell, or None if the text is no date Trygg knows."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial(float(value))
    text = str(value).strip().lower().replace("\u00a0", " ")
    text = re.sub(r"\bkl\.?\s*", "", text).strip()
    try:
        return datetime.fromisoformat(text.replace("z", "+00:00").replace("t", "T"))
    except ValueError:
        pass
    return _numeric_date(text) or _worded_date(text)


def excel_serial(serial: float) -> datetime | None:
    """An Excel day number (days since 1899-12-30, the fraction is the time of day)."""
    if not 1 <= serial < 2958466:  # 1900-01-01 to 9999-12-31
        return None
    moment = EXCEL_EPOCH + timedelta(days=serial)
    # Serials carry float noise: round to the second, as Excel shows them.
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


_NUMERIC = re.compile(
    r"^(\d{1,4})[-/.](\d{1,2})[-/.\s](\d{2,4})(?:[ ,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$"
)
_WORDED = re.compile(
    r"^(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})(?:[ ,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$"
)


def _numeric_date(text: str) -> datetime | date | None:
    """2026-11-24, 2026/11/24, 24/11/2026, 24.11.2026, 24/11 2026; times as 23:10 or 23.10."""
    match = _NUMERIC.match(text)
    if not match:
        return None
    a, b, c = match.group(1), int(match.group(2)), match.group(3)
    year, month, day = (int(a), b, int(c)) if len(a) == 4 else (int(c), b, int(a))
    if year < 100:
        year += 2000
    return _moment(year, month, day, match.groups()[3:])


def _worded_date(text: str) -> datetime | date | None:
    """24 nov 2026, 24 november 2026 23.10."""
    match = _WORDED.match(text)
    if not match or match.group(2) not in MONTHS:
        return None
    day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    return _moment(year, month, day, match.groups()[3:])


def _moment(year: int, month: int, day: int, clock: tuple[Any, ...]) -> datetime | date | None:
    try:
        if clock[0] is None:
            return date(year, month, day)
        return datetime(year, month, day, int(clock[0]), int(clock[1]), int(clock[2] or 0))
    except ValueError:
        return None


def time_of_day(value: Any) -> time | None:
    """23:10, 23.10, 2310, a time cell, or an Excel fraction of a day."""
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86400)
        return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    match = re.match(
        r"^(?:kl\.?\s*)?(\d{1,2})[:.]?(\d{2})(?:[:.](\d{2}))?$", text_of(value).lower()
    )
    if not match:
        return None
    try:
        return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    except ValueError:
        return None


def swedish_number(value: Any) -> float | None:
    """1 200,50 or 1200.5 or 63,17 (spaces and a trailing `kr` allowed); None if not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().lower().replace("\u00a0", "").replace(" ", "").removesuffix("kr")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    word = text_of(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return value


@cache
def _choice_words(field: str) -> dict[str, str]:
    """Each choice's code and its label in Swedish and English, to its code."""
    words: dict[str, str] = {}
    for code, label in CHOICE_FIELDS[field].choices:
        words[code] = code
        words.update(dict.fromkeys(_labels(label), code))
    return words


def _choice(value: Any, field: str) -> Any:
    return _choice_words(field).get(normalised(text_of(value)), text_of(value))


def _whole(value: Any) -> Any:
    number = swedish_number(value)
    return int(number) if number is not None and number.is_integer() else text_of(value)


def convert(sheet: Sheet, columns: dict[str, str], categories: dict[str, str]) -> Converted:
    """Every row as an intake item, or the importer's errors for it (see the module docstring)."""
    index = {f: sheet.column(h) for f, h in columns.items() if h and sheet.column(h) is not None}
    result = Converted(items=[], origins=[], errors=[], systems={})
    projected: list[tuple[int, float, float]] = []  # (item, northing, easting)
    seen: dict[str, int] = {}
    for i, row in enumerate(sheet.rows):
        number = sheet.numbers[i]
        problems = sheet.row_problems.get(i, [])
        cell = _cells(row, index)
        when = cell("occurred_at")
        if when in (None, ""):
            problems = [*problems, (columns.get("occurred_at", ""), _("A date is required."))]
        if problems:
            result.errors += [RowError(number, c, "", str(m)) for c, m in problems]
            continue
        item = _item(cell, categories)
        item["client_id"] = client_id_for(row, text_of(cell("external_id")), seen)
        system = _place(item, cell("lat"), cell("lon"), projected, len(result.items))
        result.systems[system] = result.systems.get(system, 0) + 1
        result.items.append(item)
        result.origins.append(i)
    _unproject(result.items, projected)
    return result


def _cells(row: list[Any], index: dict[str, int | None]) -> Any:
    """The row's value of each mapped field (text trimmed), looked up as `cell(field)`."""
    width = len(row)
    values = {f: row[i] for f, i in index.items() if i is not None and i < width}
    for field, value in values.items():
        if isinstance(value, str):
            values[field] = value.strip()
    return values.get


def _item(cell: Any, categories: dict[str, str]) -> dict[str, Any]:
    word = text_of(cell("category"))
    item: dict[str, Any] = {"category": categories.get(word) or word}
    item["occurred_at"] = _when(cell("occurred_at"), cell("occurred_time"))
    if cell("occurred_to") not in (None, ""):
        item["occurred_to"] = _when(cell("occurred_to"), None)
    for field in ("address", "description"):
        if cell(field) not in (None, ""):
            item[field] = text_of(cell(field))
    for field in CHOICE_FIELDS:
        if cell(field) not in (None, ""):
            item[field] = _choice(cell(field), field)
    for field in ("persons", "damage_cost_sek"):
        if cell(field) not in (None, ""):
            item[field] = _whole(cell(field))
    if cell("reported_to_police") not in (None, ""):
        item["reported_to_police"] = _boolean(cell("reported_to_police"))
    return item


def _when(value: Any, clock: Any) -> Any:
    """A naive local or aware datetime (intake makes naive ones Swedish time), or the raw text."""
    moment = swedish_datetime(value)
    if moment is None:
        return text_of(value)
    if not isinstance(moment, datetime):
        at = time_of_day(clock) if clock not in (None, "") else time(0, 0)
        if at is None:
            return f"{moment.isoformat()} {text_of(clock)}"
        moment = datetime.combine(moment, at)
    return moment


def _place(
    item: dict[str, Any], lat: Any, lon: Any, projected: list[tuple[int, float, float]], k: int
) -> str:
    """Put the position on the item; which system it was in ("wgs84", "sweref99tm" or "")."""
    a, b = swedish_number(lat), swedish_number(lon)
    if a is None or b is None or not (np.isfinite(a) and np.isfinite(b)):
        # Intake names the column that is not a number (or not finite).
        item["lat"] = a if a is not None else text_of(lat)
        item["lon"] = b if b is not None else text_of(lon)
        return ""
    if max(abs(a), abs(b)) > PROJECTED_ABOVE:
        # Swedish surveyors call the northing X and the easting Y, others the
        # reverse; in Sweden the northing is always the larger number.
        projected.append((k, max(a, b), min(a, b)))
        return "sweref99tm"
    item["lat"], item["lon"] = a, b
    return "wgs84"


def _unproject(items: list[dict[str, Any]], projected: list[tuple[int, float, float]]) -> None:
    if not projected:
        return
    north = np.array([p[1] for p in projected])
    east = np.array([p[2] for p in projected])
    lat, lon = to_wgs84(east, north)
    for (k, _n, _e), la, lo in zip(projected, lat.tolist(), lon.tolist(), strict=True):
        items[k]["lat"], items[k]["lon"] = la, lo
