"""The audit log's write side: one `record` call per event, the request's address attached.

Events never hold free text: only ids, names of fields, paths and counts.
`AuditContextMiddleware` remembers the current request's address and path in
a context variable, so signal handlers deep in a save can say where a change
came from without every caller passing the request down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from trygg.partners.models import AuditEvent, Municipality


@dataclass(frozen=True)
class RequestContext:
    address: str | None
    path: str
    user: Any


_current: ContextVar[RequestContext | None] = ContextVar("trygg_audit_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            address=request.META.get("REMOTE_ADDR") or None,
            path=request.path[:300],
            user=getattr(request, "user", None),
        )
        token = _current.set(context)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def current_user() -> Any:
    """The user of the request being served, or None outside a request (a command)."""
    context = _current.get()
    user = context.user if context else None
    return user if getattr(user, "is_authenticated", False) else None


def record(
    *,
    actor: Any,
    action: str,
    target: str,
    municipality_ids: Iterable[int | None] = (None,),
    detail: dict[str, Any] | None = None,
) -> None:
    """Write one event per municipality concerned (so each partnership sees its own)."""
    context = _current.get()
    actor = actor if getattr(actor, "is_authenticated", False) else None
    common = {
        "actor_id": actor.pk if actor else None,
        "actor_name": actor.get_username() if actor else "system",
        "action": action,
        "target": target[:200],
        "detail": detail or {},
        "address": context.address if context else None,
        "path": context.path if context else "",
    }
    AuditEvent.objects.bulk_create(
        AuditEvent(municipality_id=m, **common) for m in sorted(set(municipality_ids), key=str)
    )


def audited_export(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log every successful download of a view whose URL names the municipality as `code`."""

    @wraps(view)
    def wrapper(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, code, *args, **kwargs)
        if response.status_code == 200:
            municipality_ids = Municipality.objects.filter(code=code).values_list("pk", flat=True)
            record(
                actor=request.user,
                action=AuditEvent.Action.EXPORT,
                target=request.path,
                municipality_ids=list(municipality_ids) or [None],
                detail={
                    "query": request.GET.urlencode()[:500],
                    "file": response.get("Content-Disposition", ""),
                },
            )
        return response

    return wrapper
