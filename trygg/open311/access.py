"""Who may do what through Open311.

Reading is public: every GET answers anyone, and shows only what
`trygg.reports.access.public_reports` lets out. Posting needs an `api_key`:
an organisation key (`trygg_org_…`, made on the organisation keys page), or
one of Trygg's personal API tokens (the same as the JSON API's bearer token).
With an organisation key the report is that organisation's, with no
reporter: its system filed it, not a person. With a personal token it is
filed for the organisation its holder reports for, as if he had filed it
himself; a holder of several organisations names the one by its
municipality (`jurisdiction_id`), else the post is refused.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from trygg.open311.protocol import Open311Error
from trygg.partners.actions import authenticate_organisation_key, authenticate_token
from trygg.partners.models import Municipality, Organisation
from trygg.reports.access import reporting_organisations


def jurisdiction(code: str | None) -> Municipality | None:
    """The municipality of a kommunkod; None when none is named; 404 for an unknown one."""
    if code is None:
        return None
    found = Municipality.objects.filter(code=code).defer("boundary").first()
    if found is None:
        raise Open311Error(404, _("No municipality has this code."), "jurisdiction_id")
    return found


def poster(api_key: str | None, municipality: Municipality | None) -> tuple[Any, Organisation]:
    """The reporter (None for an organisation key) and the organisation; 403 for a bad key."""
    key = authenticate_organisation_key(api_key) if api_key else None
    if key is not None:
        if municipality is not None and key.organisation.municipality_id != municipality.pk:
            raise Open311Error(403, _("The api_key's organisation is not in this municipality."))
        return None, key.organisation
    token = authenticate_token(api_key) if api_key else None
    if token is None:
        raise Open311Error(403, _("Invalid api_key received: cannot create the request."))
    organisations = reporting_organisations(token.user)
    if municipality is not None:
        organisations = [o for o in organisations if o.municipality_id == municipality.pk]
    if not organisations:
        raise Open311Error(403, _("The api_key's holder reports for no organisation here."))
    if len(organisations) > 1:
        message = _(
            "The api_key's holder reports for several organisations: name the municipality."
        )
        raise Open311Error(400, message, "jurisdiction_id")
    return token.user, organisations[0]
