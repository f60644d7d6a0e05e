"""Validation of incoming reports, shared by every channel.

`validate_items` turns raw mappings (from the API, the web form or an
importer) into rows ready to store, or a list of field errors naming the
item index and field. Work that is cheaper on arrays (projection, area
lookup, boundary test) is done once for the whole batch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import h3
import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.errors import FieldError, InputRejected
from trygg.geo.lookup import AreaIndex
from trygg.geo.projection import to_sweref
from trygg.reports.masking import mask_personal_data
from trygg.reports.models import Report

MAX_WINDOW = timedelta(days=14)
# Clocks on phones drift; a report a few minutes "in the future" is not an error.
CLOCK_SKEW = timedelta(minutes=5)
MAX_PERSONS = 1000
MAX_DAMAGE_SEK = 100_000_000
MAX_DESCRIPTION = 5000
H3_RESOLUTION = 9
# Dates outside these years are typos; year 1 with a time zone cannot even be
# converted to UTC, and the databases would fail on it.
MIN_YEAR, MAX_YEAR = 1900, 2200

CHOICES = {
    "place_type": frozenset(Report.PlaceType.values),
    "creates_insecurity": frozenset(Report.Assessment.values),
    "sharing": frozenset(Report.Sharing.values),
}
TEXT_LIMITS = {"address": 200, "client_id": 100, "description": MAX_DESCRIPTION}


@dataclass(frozen=True)
class IntakeContext:
    """What validation needs to know, fetched once per batch."""

    categories: dict[str, tuple[int, bool]]  # code -> (id, is_active)
    index: AreaIndex
    now: datetime
    max_age: timedelta


def context_for(
    municipality: Any, *, now: datetime | None = None, max_age_days: int | None = None
) -> IntakeContext:
    from trygg.geo.lookup import area_index
    from trygg.reports.models import Category

    categories = {
        c: (pk, active) for c, pk, active in Category.objects.values_list("code", "id", "is_active")
    }
    return IntakeContext(
        categories=categories,
        index=area_index(municipality),
        now=now or timezone.now(),
        max_age=timedelta(days=max_age_days or settings.REPORT_MAX_AGE_DAYS),
    )


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        raise ValueError
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError
    if timezone.is_naive(value):
        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


def _number(value: Any, *, integer: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError
    number = float(value)
    if not math.isfinite(number):
        raise ValueError
    if integer:
        if not number.is_integer():
            raise ValueError
        return int(number)
    return number


class _Item:
    """Collects one item's cleaned fields and errors."""

    def __init__(self, index: int, raw: Mapping[str, Any], errors: list[FieldError]):
        self.index, self.raw, self.errors, self.row = index, raw, errors, {}

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(self.index, field, message))

    def present(self, field: str) -> bool:
        return self.raw.get(field) not in (None, "")


def _clean_category(item: _Item, ctx: IntakeContext) -> None:
    code = item.raw.get("category")
    if not item.present("category"):
        item.fail("category", _("A category is required."))
    elif not isinstance(code, str) or code not in ctx.categories:
        item.fail("category", _("Unknown category."))
    elif not ctx.categories[code][1]:
        item.fail("category", _("This category is no longer in use."))
    else:
        item.row["category_id"] = ctx.categories[code][0]


def _clean_times(item: _Item, ctx: IntakeContext) -> None:
    start = ctx.now
    if item.present("occurred_at"):
        try:
            start = _as_datetime(item.raw["occurred_at"])
        except (ValueError, TypeError, OverflowError):
            return item.fail("occurred_at", _("Not a valid date and time."))
    if start > ctx.now + CLOCK_SKEW:
        return item.fail("occurred_at", _("Cannot be in the future."))
    if start < ctx.now - ctx.max_age:
        return item.fail("occurred_at", _("Older than %(days)d days.") % {"days": ctx.max_age.days})
    item.row["occurred_at"] = start
    if item.present("occurred_to"):
        try:
            end = _as_datetime(item.raw["occurred_to"])
        except (ValueError, TypeError, OverflowError):
            return item.fail("occurred_to", _("Not a valid date and time."))
        if end <= start:
            return item.fail("occurred_to", _("Must be after the start of the window."))
        if end > ctx.now + CLOCK_SKEW:
            return item.fail("occurred_to", _("Cannot be in the future."))
        if end - start > MAX_WINDOW:
            return item.fail("occurred_to", _("The window may be at most 14 days."))
        item.row["occurred_to"] = end


def _clean_point(item: _Item) -> None:
    for field, limit in (("lat", 90.0), ("lon", 180.0)):
        if not item.present(field):
            item.fail(field, _("A position is required."))
            continue
        try:
            value = float(_number(item.raw[field], integer=False))
        except (ValueError, TypeError, OverflowError):
            item.fail(field, _("Not a number."))
            continue
        if not -limit <= value <= limit:
            item.fail(field, _("Out of range."))
        else:
            item.row[field] = value


def _clean_numbers(item: _Item) -> None:
    for field, top in (("persons", MAX_PERSONS), ("damage_cost_sek", MAX_DAMAGE_SEK)):
        if not item.present(field):
            continue
        try:
            value = int(_number(item.raw[field], integer=True))
        except (ValueError, TypeError, OverflowError):
            item.fail(field, _("Not a whole number."))
            continue
        if not 0 <= value <= top:
            item.fail(field, _("Must be between 0 and %(top)d.") % {"top": top})
        else:
            item.row[field] = value


def _storable(text: str) -> bool:
    """False for NUL (PostgreSQL refuses it in text) and lone surrogates (no UTF-8 form,
    so neither database driver can send them; JSON's "\\ud800" escape makes one)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean_text_and_choices(item: _Item) -> None:
    for field, limit in TEXT_LIMITS.items():
        value = item.raw.get(field)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            item.fail(field, _("Must be text."))
        elif len(value) > limit:
            item.fail(field, _("At most %(n)d characters.") % {"n": limit})
        elif not _storable(value):
            item.fail(field, _("Contains a forbidden character."))
        else:
            item.row[field] = value.strip()
    for field, allowed in CHOICES.items():
        value = item.raw.get(field)
        if value in (None, ""):
            continue
        # isinstance first: a list or dict (from an importer) is unhashable in a set test.
        if not isinstance(value, str) or value not in allowed:
            item.fail(
                field, _("Not one of: %(choices)s.") % {"choices": ", ".join(sorted(allowed))}
            )
        else:
            item.row[field] = value
    police = item.raw.get("reported_to_police")
    if police is not None and police != "":
        if not isinstance(police, bool):
            item.fail("reported_to_police", _("Must be true or false."))
        else:
            item.row["reported_to_police"] = police


def _clean_one(
    index: int, raw: Any, ctx: IntakeContext, errors: list[FieldError]
) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        errors.append(FieldError(index, "__root__", _("Each report must be an object.")))
        return {}
    item = _Item(index, raw, errors)
    _clean_category(item, ctx)
    _clean_times(item, ctx)
    _clean_point(item)
    _clean_numbers(item)
    _clean_text_and_choices(item)
    return item.row


def _place(rows: list[dict[str, Any]], ctx: IntakeContext, errors: list[FieldError]) -> None:
    """Project, test against the boundary and assign areas for all rows at once."""
    located = [i for i, row in enumerate(rows) if "lat" in row and "lon" in row]
    if not located:
        return
    lat = np.fromiter((rows[i]["lat"] for i in located), float, len(located))
    lon = np.fromiter((rows[i]["lon"] for i in located), float, len(located))
    x, y = to_sweref(lat, lon)
    inside = ctx.index.inside_municipality(x, y) & np.isfinite(x) & np.isfinite(y)
    areas = ctx.index.areas_of(np.where(inside, x, 0.0), np.where(inside, y, 0.0))
    for k, i in enumerate(located):
        if not inside[k]:
            errors.append(FieldError(i, "lat", _("The position is outside the municipality.")))
            continue
        row = rows[i]
        row["x"], row["y"] = float(x[k]), float(y[k])
        row["area_id"] = int(areas[k]) or None
        row["h3_cell"] = h3.latlng_to_cell(row["lat"], row["lon"], H3_RESOLUTION)


def validate_items(items: Sequence[Any], ctx: IntakeContext) -> list[dict[str, Any]]:
    """Rows ready for Report(**row), with descriptions masked; raises InputRejected."""
    errors: list[FieldError] = []
    rows = [_clean_one(i, raw, ctx, errors) for i, raw in enumerate(items)]
    _place(rows, ctx, errors)
    if errors:
        errors.sort(key=lambda e: e.index)
        raise InputRejected(errors)
    for row in rows:
        if "description" in row:
            row["description"] = mask_personal_data(row["description"])
        if "address" in row:
            # Masking can lengthen (a plate's 7 characters become 21, NFKC may expand
            # a ligature); the column holds 200, so the masked address is cut there.
            row["address"] = mask_personal_data(row["address"])[: TEXT_LIMITS["address"]]
    return rows


def validate_each(
    items: Sequence[Any], ctx: IntakeContext
) -> tuple[list[dict[str, Any] | None], list[FieldError]]:
    """Each item's row, or None where it has an error; and every error.

    For channels that keep the good items of a batch (file imports): the same
    checks as `validate_items`, which each item passes or fails on its own,
    so the good items are validated again alone and pass.
    """
    try:
        return list(validate_items(items, ctx)), []
    except InputRejected as rejected:
        errors = rejected.errors
    bad = {e.index for e in errors}
    good = [i for i in range(len(items)) if i not in bad]
    rows: list[dict[str, Any] | None] = [None] * len(items)
    for i, row in zip(good, validate_items([items[i] for i in good], ctx), strict=True):
        rows[i] = row
    return rows, errors
