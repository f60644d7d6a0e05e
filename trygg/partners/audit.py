"""The audit log's write side: one `record` call per event, the request's address attached.

Events never hold free text: only ids, names of fields, paths and counts.
`AuditContextMiddleware` remembers the current request's address (by
`client_address`, which sees through a trusted proxy) and path in
a context variable, so signal handlers deep in a save can say where a change
came from without every caller passing the request down.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from trygg.partners.access import standing_of
from trygg.partners.models import AuditEvent, Municipality


@dataclass(frozen=True)
class RequestContext:
    address: str | None
    path: str
    user: Any


_current: ContextVar[RequestContext | None] = ContextVar("trygg_audit_request", default=None)


def client_address(request: HttpRequest) -> str | None:
    """The address of the person, not of the proxy in front: one rule for audit and lockout.

    X-Forwarded-For is read only when REMOTE_ADDR is one of TRUSTED_PROXIES,
    and then from the right: each trusted hop appended the address it saw,
    so the rightmost address that is not a trusted proxy is the one no client
    could have written. Anything to its left could be forged.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not _is_trusted(remote, trusted):
        return str(remote) if remote else None
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    nearest = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a garbled hop: nothing left of it can be believed
        nearest = address
        if not _is_trusted(address, trusted):
            break
    return str(nearest)


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(raw: str) -> Address | None:
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket reads as ::ffff:a.b.c.d.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in configured)


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in trusted)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(
            address=client_address(request),
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


def current_origin() -> tuple[str | None, str]:
    """The address and path of the request being served; (None, "") outside a request."""
    context = _current.get()
    return (context.address, context.path) if context else (None, "")


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


def record_audit_export(*, request: HttpRequest, file: str, rows: int) -> None:
    """Log a download of the audit log itself, in each municipality whose log it holds."""
    municipalities = sorted(standing_of(request.user).coordinator_municipalities())
    record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=request.path,
        municipality_ids=municipalities or [None],
        detail={"query": request.GET.urlencode()[:500], "file": file, "rows": rows},
    )
