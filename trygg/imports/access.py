"""Who may import for which organisation, and whose import runs a person may open.

An import is reports sent in bulk, so the rule is the reporting rule
(trygg.reports.access.reporting_organisations: any member, whatever the
role, may report for his organisation) widened by one: a coordinator may
import for every organisation of his municipality, as coordinators take in
partners' spreadsheets on their behalf. Runs are seen by the same people;
another organisation's run is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trygg.imports.models import ImportRun
from trygg.partners.access import standing_of
from trygg.partners.models import Organisation


def importing_organisations(user: Any) -> list[Organisation]:
    """The organisations `user` may import for, by name."""
    standing = standing_of(user)
    own = {o.pk: o for o in standing.organisations}
    coordinated = standing.coordinator_municipalities()
    if coordinated:
        others = Organisation.objects.filter(municipality_id__in=coordinated).select_related(
            "municipality"
        )
        for organisation in others.defer("municipality__boundary"):
            own.setdefault(organisation.pk, organisation)
    return sorted(own.values(), key=lambda o: (o.name, o.pk))


def may_import_for(user: Any, organisation: Organisation) -> bool:
    return any(o.pk == organisation.pk for o in importing_organisations(user))


def runs_for(user: Any) -> QuerySet[ImportRun]:
    """The import runs of the organisations `user` may import for, newest first."""
    ids = [o.pk for o in importing_organisations(user)]
    return ImportRun.objects.filter(organisation_id__in=ids).select_related("organisation", "by")


def get_run_for(user: Any, run_id: int) -> ImportRun:
    run = runs_for(user).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such import")
    return run
