"""Writes of the police events layer: importing notices, polling the feed, mapping types."""

from __future__ import annotations

import email.utils
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from trygg.core.errors import InputRejected
from trygg.policeevents import areas
from trygg.policeevents.feed import FeedEvent, parse_json
from trygg.policeevents.models import PoliceEvent, PoliceEventType, PollState, is_summary
from trygg.reports.models import Category

CHUNK = 2000
# The feed's own terms ask for no more than one request per few minutes.
POLL_FLOOR = timedelta(minutes=5)
# A 429 without a readable Retry-After: wait this long.
DEFAULT_RETRY = timedelta(minutes=15)
MAX_BODY = 20 * 1024 * 1024
# The fields a changed notice may differ in (the level and codes follow the location).
CHANGEABLE = ("name", "summary", "url", "event_type_id", "published_at", "location_name")
UPDATED = (*CHANGEABLE, "level", "municipality_code", "county_code", "last_seen", "changed_at")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unresolved: int = 0  # location names that are neither a municipality nor a county
    new_types: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def import_events(*, events: Iterable[FeedEvent], now: datetime) -> ImportResult:
    """Store each notice once by its feed id; a notice seen again is updated if it changed.

    Types met for the first time are added to the mapping table for the
    administrator to map (summaries and updates are added as not counted).
    """
    latest = {e.feed_id: e for e in events}  # a later copy of the same notice wins
    result = ImportResult()
    types = _ensure_types({e.type_name for e in latest.values()}, result)
    items = list(latest.values())
    for start in range(0, len(items), CHUNK):
        _import_chunk(items[start : start + CHUNK], types, now, result)
    return result


def _ensure_types(names: set[str], result: ImportResult) -> dict[str, int]:
    known = dict(PoliceEventType.objects.filter(name__in=names).values_list("name", "pk"))
    for name in sorted(names - known.keys()):
        # A summary needs no mapping: it is never counted, whatever it is called.
        created = PoliceEventType.objects.create(name=name, reviewed=is_summary(name))
        known[name] = created.pk
        result.new_types.append(name)
    return known


def _import_chunk(
    items: list[FeedEvent], types: dict[str, int], now: datetime, result: ImportResult
) -> None:
    existing = PoliceEvent.objects.in_bulk([e.feed_id for e in items], field_name="feed_id")
    new, changed, unchanged = [], [], []
    for item in items:
        values = _values(item, types)
        if values["level"] == PoliceEvent.Level.UNKNOWN:
            result.unresolved += 1
        row = existing.get(item.feed_id)
        if row is None:
            first = item.first_seen or now
            new.append(PoliceEvent(feed_id=item.feed_id, first_seen=first, last_seen=now, **values))
        elif any(getattr(row, name) != values[name] for name in CHANGEABLE):
            for name, value in values.items():
                setattr(row, name, value)
            row.last_seen = row.changed_at = now
            changed.append(row)
        else:
            unchanged.append(row.pk)
    PoliceEvent.objects.bulk_create(new, batch_size=500)
    PoliceEvent.objects.bulk_update(changed, UPDATED, batch_size=500)
    PoliceEvent.objects.filter(pk__in=unchanged).update(last_seen=now)
    result.created += len(new)
    result.updated += len(changed)
    result.unchanged += len(unchanged)


def _values(item: FeedEvent, types: dict[str, int]) -> dict[str, object]:
    place = areas.resolve(item.location_name)
    return {
        "name": item.name[:300],
        "summary": item.summary,
        "url": item.url[:500],
        "event_type_id": types[item.type_name],
        "published_at": item.published_at,
        "location_name": item.location_name[:100],
        "level": place.level,
        "municipality_code": place.municipality_code,
        "county_code": place.county_code,
    }


@transaction.atomic
def map_event_type(
    *, event_type: PoliceEventType, group: Category | None, counted: bool
) -> PoliceEventType:
    """The administrator's decision on a type: its group and whether it is counted."""
    if group is not None and group.group_id is not None:
        group = group.group  # a sub-category stands for its group
    event_type.group = group
    event_type.counted = counted
    event_type.reviewed = True
    event_type.save()  # a summary stays not counted (PoliceEventType.save)
    return event_type


@dataclass(frozen=True)
class PollResult:
    outcome: str  # imported, waiting, throttled or failed
    message: str
    next_poll_at: datetime | None = None
    imported: ImportResult | None = None


def poll_feed(*, url: str, user_agent: str, now: datetime, timeout: float = 30) -> PollResult:
    """Ask the feed once, unless it was asked less than 5 minutes ago or told us to wait.

    The time of the attempt is written before the request goes out, so two
    pollers started together ask once, and a failing feed is not hammered.
    """
    waiting = _claim_attempt(now)
    if waiting is not None:
        return waiting
    try:
        body = _fetch(url, user_agent, timeout)
    except urllib.error.HTTPError as e:
        if e.code == 429:
            return _throttled(now, e.headers.get("Retry-After"))
        return _failed(now, f"HTTP {e.code}")
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        return _failed(now, f"{type(e).__name__}: {getattr(e, 'reason', e)}")
    try:
        events = parse_json(body)
    except InputRejected as e:
        return _failed(now, str(e))
    result = import_events(events=events, now=now)
    message = f"{result.created} new, {result.updated} changed, {result.unchanged} unchanged"
    _record(now, status=f"ok: {message}")
    return PollResult("imported", message, now + POLL_FLOOR, result)


@transaction.atomic
def _claim_attempt(now: datetime) -> PollResult | None:
    state = _state()
    times = [state.not_before]
    if state.last_attempt_at is not None:
        times.append(state.last_attempt_at + POLL_FLOOR)
    due = max((t for t in times if t is not None), default=None)
    if due is not None and now < due:
        return PollResult("waiting", f"next poll at {due.isoformat()}", due)
    state.last_attempt_at = now
    state.save(update_fields=["last_attempt_at"])
    return None


def _state() -> PollState:
    PollState.objects.get_or_create(pk=1)
    return PollState.objects.select_for_update().get(pk=1)


def _fetch(url: str, user_agent: str, timeout: float) -> str:
    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent, "Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read(MAX_BODY).decode("utf-8-sig")


def retry_after(value: str | None, now: datetime) -> datetime:
    """When a 429's Retry-After (seconds or an HTTP date) lets us ask again."""
    wait = DEFAULT_RETRY
    if value and value.strip().isdigit():
        wait = timedelta(seconds=int(value.strip()))
    elif value:
        try:
            return max(email.utils.parsedate_to_datetime(value), now + POLL_FLOOR)
        except (TypeError, ValueError):
            pass
    return now + max(wait, POLL_FLOOR)


def _throttled(now: datetime, header: str | None) -> PollResult:
    until = retry_after(header, now)
    _record(now, status=f"429 (Retry-After: {header})", not_before=until)
    return PollResult("throttled", f"the feed asked us to wait until {until.isoformat()}", until)


def _failed(now: datetime, reason: str) -> PollResult:
    _record(now, status=f"failed: {reason}"[:200])
    return PollResult("failed", reason, now + POLL_FLOOR)


@transaction.atomic
def _record(now: datetime, *, status: str, not_before: datetime | None = None) -> None:
    state = _state()
    state.last_status = status[:200]
    if not_before is not None:
        state.not_before = not_before
    state.save(update_fields=["last_status", "not_before"])
