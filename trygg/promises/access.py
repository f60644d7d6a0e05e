"""The only place that decides who sees and who changes which promise and initiative.

- Coordinators of a municipality (the police's and the municipality's; and
  superusers) create and edit its promises: drafts, revisions, publishing,
  archiving, indicator values, follow-ups; and its register of initiatives.
- Partners, steering group and administrators of the municipality read
  everything of it, drafts included: a draft is prepared with the
  partnership, and nothing in a promise is about a person. They change nothing.
- Everyone else (reporters, other municipalities, the public) reads only
  published promises (and archived ones, which were published) and never a
  draft; the public page (/medborgarloften/) asks `public_promises`.
- Initiatives are read by the partnership (the roles above) only; a
  published activity names its initiative, nothing more.
- A promise or initiative one may not see is a 404, never a 403; one they
  see but may not change answers a change with 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.partners.access import standing_of
from trygg.partners.models import Municipality, Role
from trygg.promises.models import Initiative, Promise

# Roles that read every promise of their municipality, drafts included.
READ_ROLES = (Role.PARTNER, Role.STEERING, Role.COORDINATOR, Role.ADMIN)


def _partnership_of(user: Any) -> list[int] | None:
    """Municipalities whose drafts `user` reads; None for a superuser (all of them)."""
    standing = standing_of(user)
    if standing.is_superuser:
        return None
    return [m for m, held in standing.roles.items() if held & set(READ_ROLES)]


def public_promises(municipality: Municipality | None = None) -> QuerySet[Promise]:
    """What citizens may read: published and archived promises, never a draft."""
    queryset = Promise.objects.published()
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    return queryset


def visible_promises(user: Any) -> QuerySet[Promise]:
    """Every promise `user` may read."""
    own = _partnership_of(user)
    if own is None:
        return Promise.objects.all()
    return Promise.objects.filter(Q(municipality_id__in=own) | Q(pk__in=public_promises()))


def may_edit(user: Any, municipality_id: int) -> bool:
    """Whether `user` creates and changes promises and initiatives of the municipality."""
    standing = standing_of(user)
    return standing.is_superuser or standing.has_role(municipality_id, Role.COORDINATOR)


def reads_drafts(user: Any, municipality_id: int) -> bool:
    own = _partnership_of(user)
    return own is None or municipality_id in own


def get_promise_for(user: Any, promise_id: int | str) -> Promise:
    """The promise if `user` may read it; Http404 otherwise, so ids do not leak."""
    try:
        return (
            visible_promises(user)
            .select_related("municipality")
            .defer("municipality__boundary")
            .get(pk=int(promise_id))
        )
    except (Promise.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such promise") from None


def get_editable_promise(user: Any, promise_id: int | str) -> Promise:
    """The promise if `user` may change it: Http404 if they may not see it, 403 if only read."""
    promise = get_promise_for(user, promise_id)
    if not may_edit(user, promise.municipality_id):
        raise PermissionDenied
    return promise


def promise_municipalities(user: Any) -> list[Municipality]:
    """Municipalities whose promise list `user` opens: where they are in the partnership."""
    queryset = Municipality.objects.defer("boundary")
    own = _partnership_of(user)
    if own is not None:
        queryset = queryset.filter(pk__in=own)
    return list(queryset)


def offers_promises(user: Any) -> bool:
    """Whether the menu leads `user` to promise lists: the standing is loaded, so no query."""
    own = _partnership_of(user)
    return own is None or bool(own)


def get_municipality_for(user: Any, code: str) -> Municipality:
    for municipality in promise_municipalities(user):
        if municipality.code == code:
            return municipality
    raise Http404("No such partnership")


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    own = _partnership_of(user)
    if own is None:
        return Initiative.objects.all()
    return Initiative.objects.filter(municipality_id__in=own)


def get_initiative_for(user: Any, initiative_id: int | str, *, edit: bool = False) -> Initiative:
    """The initiative if `user` may read it (with `edit`: change it, else 403); Http404 if not."""
    try:
        initiative = visible_initiatives(user).select_related("owner").get(pk=int(initiative_id))
    except (Initiative.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such initiative") from None
    if edit and not may_edit(user, initiative.municipality_id):
        raise PermissionDenied
    return initiative
