"""The SSPF access log's write side: one call per read or write, never free text.

Only numbers and fixed words are written: who (id and username), what
(action), which object (kind and id), which case (id, never the pseudonym),
and from where (the request's address and path, whose ids are numbers). So
once a case is deleted the log says who looked at case 17, not who case 17 was.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trygg.partners.audit import current_origin
from trygg.sspf.models import Case, SspfAuditEvent

Action = SspfAuditEvent.Action
Target = SspfAuditEvent.Target


def _event(
    actor: Any, action: str, target: str, target_id: int | None, case: Case | None
) -> SspfAuditEvent:
    address, path = current_origin()
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return SspfAuditEvent(
        actor_id=actor.pk if actor else None,
        actor_name=actor.get_username() if actor else "system",
        action=action,
        target=target,
        target_id=target_id,
        case_id=case.pk if case else None,
        municipality_id=case.municipality_id if case else None,
        address=address,
        path=path[:300],
    )


def record(
    *,
    actor: Any,
    action: str,
    target: str,
    case: Case | None = None,
    target_id: int | None = None,
    municipality_id: int | None = None,
) -> None:
    event = _event(actor, action, target, target_id, case)
    if municipality_id is not None:
        event.municipality_id = municipality_id
    event.save()


def record_reads(*, actor: Any, target: str, cases: Iterable[Case]) -> None:
    """One READ event per case shown (a list of cases shows each one's pseudonym)."""
    SspfAuditEvent.objects.bulk_create(
        _event(actor, Action.READ, target, case.pk, case) for case in cases
    )
