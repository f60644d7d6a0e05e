"""The only place that decides who sees and who changes which measure.

- Coordinators of a municipality (and superusers) see every measure of it,
  with its internal notes, create measures and change anything of them
  (status either way the model allows, cancelling, traffic light, every field).
- Members of the responsible organisation (any role) see their
  organisation's measures with the internal notes and update them: the
  status forward (decided → ongoing → done; deciding and cancelling are the
  group's, through a coordinator), the traffic light, and the fields in
  OWNER_FIELDS, which include the measure's categories, partners and linked
  reports (only reports they may see). They do not create measures: the EST group decides them.
- Partners, steering group and administrators of the municipality see every
  measure of it, read only, WITHOUT internal notes.
- Members of a partner organisation of a measure, and reporters whose
  organisation filed a report linked to it, see that measure read only,
  without internal notes.
- Anyone else sees nothing: a measure they may not see is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from trygg.measures.models import Measure
from trygg.partners.access import SHARED_VIEW_ROLES, municipalities_for, standing_of
from trygg.partners.models import Municipality, Role

# Roles that read every measure of their municipality (without internal notes).
LIST_ROLES = (Role.PARTNER, Role.STEERING, Role.COORDINATOR, Role.ADMIN)
# What the responsible organisation's members edit; the rest is the coordinators'.
OWNER_FIELDS = (
    "description", "responsible_person", "starts_on", "follow_up_on", "cost_sek", "outcome",
    "internal_notes", "categories", "partners", "reports",
)  # fmt: skip
# The moves an owner makes on its own: forward, never deciding or cancelling.
OWNER_MOVES = {
    Measure.Status.DECIDED: (Measure.Status.ONGOING, Measure.Status.DONE),
    Measure.Status.ONGOING: (Measure.Status.DONE,),
}


def _municipalities_with(standing: Any, *roles: str) -> list[int]:
    return [m for m, held in standing.roles.items() if held & set(roles)]


def visible_measures(user: Any) -> QuerySet[Measure]:
    """Every measure `user` may see (the notes decided by `shows_internal_notes`)."""
    standing = standing_of(user)
    queryset = Measure.objects.all()
    if standing.is_superuser:
        return queryset
    if not standing.is_member:
        return queryset.none()
    orgs = standing.organisation_ids
    rule = Q(municipality_id__in=_municipalities_with(standing, *LIST_ROLES))
    rule |= Q(responsible_id__in=orgs)
    rule |= Q(pk__in=Measure.objects.filter(partners__in=orgs).values("pk"))
    rule |= Q(pk__in=Measure.objects.filter(reports__organisation_id__in=orgs).values("pk"))
    return queryset.filter(rule)


def is_coordinator(user: Any, municipality_id: int) -> bool:
    standing = standing_of(user)
    return standing.is_superuser or standing.has_role(municipality_id, Role.COORDINATOR)


def is_owner(user: Any, measure: Measure) -> bool:
    """A member of the organisation responsible for `measure`."""
    return measure.responsible_id in standing_of(user).organisation_ids


def shows_internal_notes(user: Any, measure: Measure) -> bool:
    return is_coordinator(user, measure.municipality_id) or is_owner(user, measure)


def notes_rule(user: Any) -> Q:
    """`shows_internal_notes` as a query."""
    standing = standing_of(user)
    if standing.is_superuser:
        return Q()
    return Q(municipality_id__in=standing.coordinator_municipalities()) | Q(
        responsible_id__in=standing.organisation_ids
    )


def may_create(user: Any, municipality: Municipality) -> bool:
    return is_coordinator(user, municipality.pk)


def may_change(user: Any, measure: Measure) -> bool:
    """Whether `user` may change anything of `measure` at all (fields, status or light)."""
    return is_coordinator(user, measure.municipality_id) or is_owner(user, measure)


def may_set_light(user: Any, measure: Measure) -> bool:
    return may_change(user, measure)


def statuses_for(user: Any, measure: Measure) -> tuple[str, ...]:
    """The statuses `user` may move `measure` to now."""
    if is_coordinator(user, measure.municipality_id):
        return Measure.TRANSITIONS[measure.status]
    if is_owner(user, measure):
        return OWNER_MOVES.get(measure.status, ())
    return ()


def editable_fields(user: Any, measure: Measure | None, municipality_id: int) -> tuple[str, ...]:
    """The fields and links `user` may edit; all of the actions' for a coordinator."""
    from trygg.measures.actions import EDITABLE, LINKS

    if is_coordinator(user, municipality_id):
        return EDITABLE + LINKS
    if measure is not None and is_owner(user, measure):
        return OWNER_FIELDS
    return ()


def get_measure_for(user: Any, measure_id: int | str) -> Measure:
    """The measure if `user` may see it; Http404 otherwise, so ids do not leak."""
    try:
        return (
            visible_measures(user)
            .select_related("municipality", "responsible", "area", "meeting")
            .defer("municipality__boundary", "area__geometry")
            .get(pk=int(measure_id))
        )
    except (Measure.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such measure") from None


def may_plan_presence(user: Any, municipality: Municipality) -> bool:
    """Planera närvaro is open to every member of the partnership, as its picture is."""
    standing = standing_of(user)
    return standing.is_superuser or municipality.pk in standing.municipality_ids


def board_municipalities(user: Any) -> list[Municipality]:
    """Municipalities whose board `user` may open: every one they are a member of."""
    return municipalities_for(user)


def get_board_municipality(user: Any, code: str) -> Municipality:
    for municipality in board_municipalities(user):
        if municipality.code == code:
            return municipality
    raise Http404("No such partnership")


# Evaluations (trygg.measures.effect): a wider door than the measure's page, so
# a member of the municipality who may not evaluate gets 403, not 404.


def may_evaluate(user: Any, measure: Measure) -> bool:
    """Coordinators of the municipality and members of the responsible organisation."""
    return is_coordinator(user, measure.municipality_id) or is_owner(user, measure)


def may_read_evaluations(user: Any, measure: Measure) -> bool:
    """Evaluators, and the partnership's partners, steering group and administrators."""
    standing = standing_of(user)
    return may_evaluate(user, measure) or standing.has_role(
        measure.municipality_id, *SHARED_VIEW_ROLES
    )
