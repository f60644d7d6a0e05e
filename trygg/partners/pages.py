"""The audit log as people read it: filtered entries, each a sentence built from stored fields.

An event stores ids, names of fields and values chosen by the code, never
free text; `describe` turns those into one sentence in the reader's language
(Swedish or English, through gettext). A kind of change it does not know
still gets a neutral sentence naming the kind and the target, never the raw
detail.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from trygg.partners import access
from trygg.partners.models import AuditEvent, Organisation, Role

SYSTEM = "system"  # the person filter's value for changes made outside a request


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor_id: int | None
    actor_name: str
    kind: str
    sentence: str
    target: str
    address: str | None
    path: str


def audit_people(user: Any) -> list[tuple[str, str]]:
    """(value, label) of everyone who appears as actor in the log `user` may read."""
    pairs = (
        access.audit_events_for(user)
        .order_by("actor_name", "actor_id")
        .values_list("actor_id", "actor_name")
        .distinct()
    )
    people: dict[str, str] = {}
    for actor_id, name in pairs:
        if actor_id is None:
            people.setdefault(SYSTEM, _("the system (no person)"))
        else:
            people.setdefault(
                str(actor_id), _("%(name)s (user id %(id)s)") % {"name": name, "id": actor_id}
            )
    return sorted(people.items(), key=lambda item: item[1].casefold())


def filtered_audit_events(
    user: Any,
    *,
    person: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The events `user` may read, narrowed by person, kind and local dates (both inclusive)."""
    events = access.audit_events_for(user)
    if person == SYSTEM:
        events = events.filter(actor_id__isnull=True)
    elif person.isdigit():
        events = events.filter(actor_id=int(person))
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__gte=_local_midnight(since))
    if until:
        events = events.filter(at__lt=_local_midnight(until + timedelta(days=1)))
    return events


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(events: Iterable[AuditEvent]) -> list[AuditEntry]:
    """Readable entries for `events`, with the organisation names they mention looked up once."""
    events = list(events)
    mentioned = {e.detail.get("organisation") for e in events if isinstance(e.detail, dict)}
    ids = [i for i in mentioned if isinstance(i, int)]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [
        AuditEntry(
            at=timezone.localtime(event.at),
            actor_id=event.actor_id,
            actor_name=_actor_name(event),
            kind=event.get_action_display(),
            sentence=describe(event, names),
            target=event.target,
            address=event.address,
            path=event.path,
        )
        for event in events
    ]


def _actor_name(event: AuditEvent) -> str:
    # record() writes "system" for changes made outside a request (a command, the shell).
    if event.actor_id is None and event.actor_name == "system":
        return _("System")
    return event.actor_name


def describe(event: AuditEvent, organisations: dict[int, str]) -> str:
    """One sentence saying what happened, from the event's stored fields."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    if event.action == AuditEvent.Action.READ_DETAILS:
        n = _count(detail.get("count", len(detail.get("reports") or [])))
        return ngettext(
            "Was shown the free text of %(n)d report of another organisation.",
            "Was shown the free text of %(n)d reports of other organisations.",
            n,
        ) % {"n": n}
    if event.action == AuditEvent.Action.EXPORT:
        return _describe_export(event, detail)
    if event.action == AuditEvent.Action.PERMISSION:
        describe_change = PERMISSION_CHANGES.get(str(detail.get("change", "")))
        if describe_change is not None:
            return describe_change(event, detail, organisations)
    return _("%(kind)s concerning %(target)s.") % {
        "kind": event.get_action_display(),
        "target": event.target,
    }


def _count(value: Any) -> int:
    """A stored number, or 0 for anything else (the detail is JSON, typed by no schema)."""
    return value if isinstance(value, int) else 0


FILE_NAME = re.compile(r'filename="?([^";]+)"?')


def _describe_export(event: AuditEvent, detail: dict[str, Any]) -> str:
    match = FILE_NAME.search(str(detail.get("file", "")))
    what = match[1] if match else event.target
    rows = detail.get("rows")
    if isinstance(rows, int):
        return ngettext(
            "Downloaded %(file)s (%(n)d entry).", "Downloaded %(file)s (%(n)d entries).", rows
        ) % {"file": what, "n": rows}
    query = str(detail.get("query", ""))
    if query:
        return _("Downloaded %(file)s for %(query)s.") % {"file": what, "query": query}
    return _("Downloaded %(file)s.") % {"file": what}


def _role(value: Any) -> str:
    return str(Role(value).label) if value in Role.values else _("no role")


def _user_of(event: AuditEvent, detail: dict[str, Any]) -> str:
    """The person a change concerned: the name stored then, else the id from the target."""
    if detail.get("user"):
        return str(detail["user"])
    user_id = event.target.removeprefix("user:")
    return _("user id %(id)s") % {"id": user_id}


def _membership(event: AuditEvent, d: dict[str, Any], orgs: dict[int, str]) -> str:
    values = {
        "user": _user_of(event, d),
        "role": _role(d.get("role")),
        "old_role": _role(d.get("old_role")),
        "organisation": orgs.get(_count(d.get("organisation")), _("a removed organisation")),
    }
    change = d.get("change")
    if change == "membership added":
        return _("Gave %(user)s the role %(role)s in %(organisation)s.") % values
    if change == "role changed":
        return (
            _("Changed the role of %(user)s in %(organisation)s from %(old_role)s to %(role)s.")
            % values
        )
    return _("Removed the membership of %(user)s (%(role)s) in %(organisation)s.") % values


FLAG_SENTENCES = {
    ("is_active", True): gettext_noop("Reactivated the account of %(user)s."),
    ("is_active", False): gettext_noop("Deactivated the account of %(user)s."),
    ("is_staff", True): gettext_noop("Gave %(user)s access to the administration."),
    ("is_staff", False): gettext_noop("Took away the access of %(user)s to the administration."),
    ("is_superuser", True): gettext_noop("Made %(user)s superuser."),
    ("is_superuser", False): gettext_noop("Took away the superuser status of %(user)s."),
}


def _flags(event: AuditEvent, d: dict[str, Any], orgs: dict[int, str]) -> str:
    user = _user_of(event, d)
    sentences = [
        _(FLAG_SENTENCES[(flag, bool(d[flag]))]) % {"user": user}
        for flag in ("is_active", "is_staff", "is_superuser")
        if flag in d
    ]
    return " ".join(sentences) or _("Changed the flags of %(user)s.") % {"user": user}


def _grants(event: AuditEvent, d: dict[str, Any], orgs: dict[int, str]) -> str:
    what, _sep, how = str(d.get("change", "")).partition(" ")
    values = {
        "user": _user_of(event, d),
        "ids": ", ".join(str(i) for i in d.get("ids") or []) or "–",
        "what": _("groups") if what == "groups" else _("permissions"),
    }
    if how == "post_add":
        return _("Added %(what)s %(ids)s to %(user)s.") % values
    if how == "post_remove":
        return _("Removed %(what)s %(ids)s from %(user)s.") % values
    return _("Removed all %(what)s from %(user)s.") % values


def _token(event: AuditEvent, d: dict[str, Any], orgs: dict[int, str]) -> str:
    values = {"id": event.target.removeprefix("token:")}
    if d.get("change") == "API token created":
        return _("Created API token number %(id)s.") % values
    return _("Revoked API token number %(id)s.") % values


def _organisation_key(event: AuditEvent, d: dict[str, Any], orgs: dict[int, str]) -> str:
    organisation = d.get("organisation")
    values = {
        "id": event.target.removeprefix("orgkey:"),
        "organisation": orgs.get(_count(organisation), _("a removed organisation")),
    }
    if d.get("change") == "organisation key created":
        return _("Created key number %(id)s of %(organisation)s.") % values
    return _("Revoked key number %(id)s of %(organisation)s.") % values


def _rename(event: AuditEvent, d: dict[str, Any], orgs: dict[int, str]) -> str:
    return _("Renamed the user %(old)s to %(new)s (user id %(id)s).") % {
        "old": d.get("old_username", ""),
        "new": d.get("username", ""),
        "id": d.get("user_id") or event.target.removeprefix("user:"),
    }


Describer = Callable[[AuditEvent, dict[str, Any], dict[int, str]], str]
PERMISSION_CHANGES: dict[str, Describer] = {
    "membership added": _membership,
    "role changed": _membership,
    "membership removed": _membership,
    "flags": _flags,
    "groups post_add": _grants,
    "groups post_remove": _grants,
    "groups post_clear": _grants,
    "permissions post_add": _grants,
    "permissions post_remove": _grants,
    "permissions post_clear": _grants,
    "API token created": _token,
    "API token revoked": _token,
    "organisation key created": _organisation_key,
    "organisation key revoked": _organisation_key,
    "username": _rename,
}

# Excel runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def audit_csv_rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    """The header and one row per event, in chunks so a long log is never held whole."""
    yield [
        _("When"), _("User id"), _("Who"), _("Kind"), _("What happened"),
        _("Target"), _("From address"), _("Path"),
    ]  # fmt: skip
    iterator = events.iterator(chunk_size=1000)
    while chunk := list(islice(iterator, 1000)):
        for entry in audit_entries(chunk):
            yield [
                _cell(v)
                for v in (
                    entry.at.strftime("%Y-%m-%d %H:%M:%S"),
                    entry.actor_id,
                    entry.actor_name,
                    entry.kind,
                    entry.sentence,
                    entry.target,
                    entry.address,
                    entry.path,
                )
            ]


def audit_csv(events: QuerySet[AuditEvent]) -> tuple[bytes, int]:
    """The log as Swedish Excel opens it: semicolons, a byte-order mark, CRLF; and its row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    rows = -1  # the header is no entry
    for row in audit_csv_rows(events):
        writer.writerow(row)
        rows += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), rows
