"""Who a user is in the partnerships: the one place roles are resolved.

Each app's access.py asks `standing_of(user)` and decides from it; no other
code reads Membership to make a permission decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django_otp import user_has_device

from trygg.partners.models import (
    ApiToken,
    AuditEvent,
    Membership,
    Municipality,
    Organisation,
    OrganisationKey,
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


def key_organisations_for(user: Any) -> QuerySet[Organisation]:
    """Organisations whose keys `user` may make and revoke.

    Every organisation of a municipality she coordinates, and those she is an
    administrator of (a superuser: all).
    """
    standing = standing_of(user)
    organisations = Organisation.objects.select_related("municipality").defer(
        "municipality__boundary"
    )
    if standing.is_superuser:
        return organisations.order_by("municipality__name", "name")
    administered = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    return organisations.filter(
        Q(municipality_id__in=standing.coordinator_municipalities()) | Q(pk__in=administered)
    ).order_by("municipality__name", "name")


def organisation_keys_for(user: Any) -> QuerySet[OrganisationKey]:
    """The keys of the organisations `user` manages keys for."""
    return OrganisationKey.objects.filter(
        organisation__in=key_organisations_for(user)
    ).select_related("organisation", "created_by")


def get_organisation_key_for(user: Any, key_id: int) -> OrganisationKey:
    """A key `user` may revoke; Http404 for any other, so ids do not leak."""
    return get_object_or_404(organisation_keys_for(user), pk=key_id)


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.of(user).order_by(
        "organisation__municipality__name", "organisation__name"
    )


# Roles whose sessions must pass a second factor: they read every report's free
# text, or change who may read it.
TWO_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})


def must_use_two_factor(user: Any) -> bool:
    """Whether `user`'s web session needs a TOTP or recovery code after the password.

    Required by role (unless TWO_FACTOR_REQUIRED is off for a demo), and for
    anyone who chose to enrol: the profile then tells them their login is
    protected, so a password alone must not let them in.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if settings.TWO_FACTOR_REQUIRED and _role_requires_two_factor(user):
        return True
    return has_confirmed_second_factor(user)


def _role_requires_two_factor(user: Any) -> bool:
    if user.is_superuser or user.is_staff:
        return True
    return any(roles & TWO_FACTOR_ROLES for roles in standing_of(user).roles.values())


def has_confirmed_second_factor(user: Any) -> bool:
    """Whether `user` has a confirmed authenticator, asked once per request."""
    cached = getattr(user, "_trygg_has_device", None)
    if cached is None:
        cached = user_has_device(user, confirmed=True)
        user._trygg_has_device = cached
    return cached


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """Audit events a coordinator may read: those of her municipalities (all, for a superuser)."""
    standing = standing_of(user)
    if standing.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(municipality_id__in=standing.coordinator_municipalities())


def may_read_audit_log(user: Any) -> bool:
    standing = standing_of(user)
    return standing.is_superuser or bool(standing.coordinator_municipalities())


# --- The back office: whom an administrator who is not a superuser may manage ---

# Roles that read free text beyond the holder's own organisation. Role's order puts
# the administrator above the coordinator, but the administrator's own role reads no
# other organisation's free text, so granting one of these would hand out more than
# the granter holds: only someone who holds it in that municipality may grant it.
FREE_TEXT_ROLES = frozenset({Role.COORDINATOR})
ROLE_ORDER = tuple(Role)  # least to most, as Role is declared


def grantable_roles(user: Any, municipality_id: int) -> frozenset[str]:
    """The roles `user` may give others in the municipality through the back office.

    A superuser may grant any. Anyone else must hold the administrator role there,
    and may grant the roles up to their highest own one, free-text roles only if held.
    """
    standing = standing_of(user)
    if standing.is_superuser:
        return frozenset(ROLE_ORDER)
    held = standing.roles.get(municipality_id, frozenset())
    if Role.ADMIN not in held:
        return frozenset()
    highest = max(ROLE_ORDER.index(Role(r)) for r in held)
    up_to = {role for role in ROLE_ORDER[: highest + 1]}
    return frozenset(up_to - (FREE_TEXT_ROLES - held))


def may_manage_member(user: Any, member: Any) -> bool:
    """Whether `user` may change or delete `member`'s account (password, flags, memberships).

    Never their own account, a superuser's or another staff member's; and only a
    person every one of whose roles `user` could have granted, or a password reset
    would lend `user` a role above their own.
    """
    if standing_of(user).is_superuser:
        return True
    if member.pk == user.pk or member.is_superuser or member.is_staff:
        return False
    if member.pk is None:
        return True
    held = Membership.objects.filter(user=member).values_list(
        "organisation__municipality_id", "role"
    )
    return all(role in grantable_roles(user, municipality) for municipality, role in held)


def may_manage_membership(user: Any, *, member: Any, organisation: Organisation, role: str) -> bool:
    """Whether `user` may give `member` the `role` in `organisation` (or change or remove it)."""
    if standing_of(user).is_superuser:
        return True
    return role in grantable_roles(user, organisation.municipality_id) and may_manage_member(
        user, member
    )
