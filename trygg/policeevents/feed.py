"""Reading the police's events: the feed's JSON (as polisen.se/api/events returns it) and the
archive's CSV (the same fields, location flattened, with the time the notice was first seen).

Both give `FeedEvent`s; `parse_file` tells them apart by their first character.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from trygg.core.errors import InputRejected

CSV_COLUMNS = ("id", "datetime", "name", "summary", "url", "type", "location_name")


@dataclass(frozen=True)
class FeedEvent:
    feed_id: int
    name: str
    summary: str
    url: str
    type_name: str
    published_at: datetime
    location_name: str
    first_seen: datetime | None = None  # the archive's; the feed's own is when we read it


# "2026-08-22 19:51:41 +02:00", and "2026-08-22 9:48:12 +02:00" before ten o'clock.
FEED_TIME = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})\s*(?:([+-])(\d{2}):?(\d{2})|Z)\s*"
)


@cache
def _offset(sign: str, hours: str, minutes: str) -> timezone:
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def feed_time(value: str) -> datetime:
    """The feed's local time with its UTC offset, as an aware datetime."""
    match = FEED_TIME.fullmatch(value)
    if match is None:
        raise ValueError("not a feed time")
    year, month, day, hour, minute, second, sign, hours, minutes = match.groups()
    zone = _offset(sign, hours, minutes) if sign else UTC
    numbers = (int(year), int(month), int(day), int(hour), int(minute), int(second))
    return datetime(*numbers, tzinfo=zone)


def _text(value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("empty")
    return text


# Each field of FeedEvent from a feed object, under the feed's name for it.
FEED_FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("id", "feed_id", lambda item: int(item["id"])),
    ("name", "name", lambda item: _text(item["name"])),
    ("summary", "summary", lambda item: str(item.get("summary") or "")),
    ("url", "url", lambda item: str(item.get("url") or "")),
    ("type", "type_name", lambda item: _text(item["type"])),
    ("datetime", "published_at", lambda item: feed_time(item["datetime"])),
    ("location.name", "location_name", lambda item: _text(item["location"]["name"])),
)


def from_feed_item(item: Any, index: int = 0) -> FeedEvent:
    """One object of the feed's JSON array; InputRejected naming the field that is wrong."""
    values = {}
    for feed_name, attribute, read in FEED_FIELDS:
        try:
            values[attribute] = read(item)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InputRejected.one(feed_name, _("Missing or not readable."), index) from None
    return FeedEvent(**values)


def parse_json(text: str) -> list[FeedEvent]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise InputRejected.one("__root__", _("The feed's answer is not JSON.")) from None
    if not isinstance(data, list):
        raise InputRejected.one("__root__", _("The feed's answer is not a list of events."))
    return [from_feed_item(item, index) for index, item in enumerate(data)]


def parse_csv(text: str) -> Iterator[FeedEvent]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputRejected.one(missing[0], _("The file has no such column."))
    for index, row in enumerate(reader, start=1):
        seen = row.get("first_seen_commit_time") or ""
        try:
            yield FeedEvent(
                feed_id=int(row["id"]),
                name=row["name"].strip(),
                summary=row["summary"] or "",
                url=row["url"] or "",
                type_name=row["type"].strip(),
                published_at=feed_time(row["datetime"]),
                location_name=row["location_name"].strip(),
                first_seen=datetime.fromtimestamp(int(seen), UTC) if seen else None,
            )
        except (TypeError, ValueError):
            raise InputRejected.one(
                "row", _("Row %(row)d is not readable.") % {"row": index}
            ) from None


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")


def parse_file(path: Path) -> list[FeedEvent]:
    """The events of a feed JSON file or an archive CSV file (either may be gzipped)."""
    text = read_text(path)
    if text.lstrip()[:1] == "[":
        return parse_json(text)
    return list(parse_csv(text))
