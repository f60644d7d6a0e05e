"""Who a user is in the partnerships: the one place roles are resolved.

Each app's access.py asks `standing_of(user)` and decides from it; no other
code reads Membership to make a permission decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from trygg.partners.models import (
    ApiToken,
    AuditEvent,
    Membership,
    Municipality,
    Organisation,
    Role,
)

# Roles that see the partnership's shared reports (without others' free text).
SHARED_VIEW_ROLES = frozenset({Role.PARTNER, Role.STEERING, Role.COORDINATOR, Role.ADMIN})


@dataclass(frozen=True)
class Standing:
    """A user's memberships, flattened for permission decisions."""

    is_superuser: bool = False
    organisation_ids: frozenset[int] = frozenset()
    # Every role the user holds in each municipality (by municipality id).
    roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # The organisations the user may report for, by name, with their municipality
    # (its outline deferred): the write path needs them, and they came with the roles.
    organisations: tuple[Organisation, ...] = field(default=(), compare=False)

    def has_role(self, municipality_id: int, *roles: str) -> bool:
        return bool(self.roles.get(municipality_id, frozenset()) & set(roles))

    def coordinator_municipalities(self) -> frozenset[int]:
        return frozenset(m for m, rs in self.roles.items() if Role.COORDINATOR in rs)

    def shared_view_municipalities(self) -> frozenset[int]:
        return frozenset(m for m, rs in self.roles.items() if rs & SHARED_VIEW_ROLES)

    @property
    def municipality_ids(self) -> frozenset[int]:
        return frozenset(self.roles)

    @property
    def is_member(self) -> bool:
        return self.is_superuser or bool(self.roles)


ANONYMOUS = Standing()


def standing_of(user: Any) -> Standing:
    """The user's standing, computed once per request and cached on the user."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_trygg_standing", None)
    if cached is not None:
        return cached
    memberships = list(Membership.objects.of(user).order_by("organisation__name"))
    roles: dict[int, set[str]] = {}
    for membership in memberships:
        roles.setdefault(membership.organisation.municipality_id, set()).add(membership.role)
    standing = Standing(
        is_superuser=user.is_superuser,
        organisation_ids=frozenset(m.organisation_id for m in memberships),
        roles={m: frozenset(rs) for m, rs in roles.items()},
        organisations=tuple({m.organisation_id: m.organisation for m in memberships}.values()),
    )
    user._trygg_standing = standing
    return standing


def municipalities_for(user: Any) -> list[Municipality]:
    """Municipalities whose aggregated picture the user may see."""
    standing = standing_of(user)
    # Every page asks (the demo banner): the outline, which a detailed coastline makes
    # tens of KB of JSON, is read only where a map draws it.
    queryset = Municipality.objects.defer("boundary")
    if not standing.is_superuser:
        queryset = queryset.filter(pk__in=standing.municipality_ids)
    return list(queryset)


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A user's own API tokens: nobody, not even an admin, lists another's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def get_api_token_for(user: Any, token_id: int) -> ApiToken:
    """The user's own token; Http404 for anyone else's, so ids do not leak."""
    return get_object_or_404(api_tokens_of(user), pk=token_id)


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.of(user).order_by(
        "organisation__municipality__name", "organisation__name"
    )


# Roles whose sessions must pass a second factor: they read every report's free
# text, or change who may read it.
TWO_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


def must_use_two_factor(user: Any) -> bool:
    """Whether `user`'s web session needs a TOTP or recovery code after the password."""
    if not settings.TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(roles & TWO_FACTOR_ROLES for roles in standing_of(user).roles.values())


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """Audit events a coordinator may read: those of her municipalities (all, for a superuser)."""
    standing = standing_of(user)
    if standing.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(municipality_id__in=standing.coordinator_municipalities())


def may_read_audit_log(user: Any) -> bool:
    standing = standing_of(user)
    return standing.is_superuser or bool(standing.coordinator_municipalities())
