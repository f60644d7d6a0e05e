"""Every route, HTML and API, against every role: one table decides, and a new route must join it.

Outcomes: OK (2xx), MOVED (a redirect that is not to the login page), LOGIN
(redirect to the login page), HIDDEN (404, so ids and codes do not leak),
DENIED (401 without a valid token, 403 for a member who may not do it),
INVALID (400/422: let through, and the input was judged). A route that is in
the URL configuration or the OpenAPI schema but not in ROUTES fails
`test_every_route_has_a_decision`.
"""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image

from tests.promises.helpers import build_promise
from tests.sspf.world import sspf_case
from tests.world import TryggTestCase, report_data, sign_in
from trygg.api import api
from trygg.imports.actions import upload_file
from trygg.measures.actions import create_measure
from trygg.meetings.actions import add_item
from trygg.meetings.models import Meeting
from trygg.partners.actions import create_api_token, create_organisation_key
from trygg.promises.actions import create_initiative, publish_promise, write_follow_up
from trygg.reports.actions import submit_report
from trygg.reports.models import Category
from trygg.reports.photos import attach_photo
from trygg.situation.actions import publish_period
from trygg.situation.periods import parse_period
from trygg.sspf.models import CoordinatorGrant

OK, MOVED, LOGIN, HIDDEN, DENIED, INVALID = "ok", "moved", "login", "hidden", "denied", "invalid"
O, M, L, H, D, I = OK, MOVED, LOGIN, HIDDEN, DENIED, INVALID  # noqa: E741  (one letter a cell)

# Who acts, in the order of the table's columns:
ROLES = (
    "anonymous",  # nobody logged in, or no token
    "karl",  # reporter, housing company
    "sara",  # partner, security company
    "greta",  # steering group, municipality
    "anna",  # coordinator, municipality
    "adam",  # administrator of the municipality (not Django staff here)
    "erik",  # coordinator of another municipality
    "otto",  # logged in, member of nothing
)
WEEK = "2026-W47"

# route name: (method, path with {placeholders}, outcome per role in ROLES order)
ROUTES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # Login, language, health: open to all.
    # Logged-in people may still open the login page; logging out leads back to it.
    "login": ("GET", "/logga-in/", (O, O, O, O, O, O, O, O)),
    "logout": ("POST", "/logga-ut/", (L, L, L, L, L, L, L, L)),
    "set_language": ("POST", "/i18n/setlang/", (M, M, M, M, M, M, M, M)),
    "healthz": ("GET", "/healthz", (O, O, O, O, O, O, O, O)),
    "home": ("GET", "/", (L, O, O, O, O, O, O, O)),
    # Reporting: any member; an outsider has no organisation to report for (the form
    # says so, and the API answers 422 naming `organisation`). Krokom, erik's
    # municipality, has no boundary in the test world, so his API report is taken.
    "reports:new": ("GET", "/rapportera/", (L, O, O, O, O, O, O, O)),
    "reports:all_calm": ("POST", "/rapportera/lugnt/", (L, M, M, M, M, M, M, M)),
    # Which area a tapped point is in: any member; an outsider learns no area.
    "reports:place": ("GET", "/rapportera/plats.json?lat=63.16&lon=14.61", (L, O, O, O, O, O, O, O)),  # noqa: E501
    # Reading reports: what each sees is tested row by row in reports/test_access.py.
    "reports:list": ("GET", "/rapporter/", (L, O, O, O, O, O, O, O)),
    "reports:map_data": ("GET", "/rapporter/karta.geojson", (L, O, O, O, O, O, O, O)),
    # The weekly digest: each member for his own organisations (an outsider has none).
    "reports:digest": ("GET", "/rapporter/veckobrev/", (L, O, O, O, O, O, O, O)),
    "reports:detail": ("GET", "/rapporter/{report}/", (L, O, O, O, O, O, H, H)),
    "reports:photo": ("GET", "/rapporter/{report}/foto/", (L, O, H, H, O, H, H, H)),
    # Handling: coordinators of the municipality; karl, its reporter, may withdraw his own
    # (an empty form is refused with a message on the page); others who see it may not.
    "reports:status": ("POST", "/rapporter/{report}/status/", (L, M, D, D, M, D, H, H)),
    "reports:comment": ("POST", "/rapporter/{report}/kommentar/", (L, D, D, D, M, D, H, H)),
    "reports:link_measure": ("POST", "/rapporter/{report}/atgard/", (L, D, D, D, M, D, H, H)),
    # Correcting: only karl, who sent it (within REPORT_EDIT_HOURS).
    "reports:correct": ("GET", "/rapporter/{report}/ratta/", (L, O, D, D, D, D, H, H)),
    # Own profile, tokens, second factor: each person their own.
    "partners:profile": ("GET", "/profil/", (L, O, O, O, O, O, O, O)),
    "partners:create_token": ("POST", "/profil/nycklar/", (L, I, I, I, I, I, I, I)),
    "partners:revoke_token": ("POST", "/profil/nycklar/{token}/aterkalla/", (L, H, H, H, M, H, H, H)),  # noqa: E501
    "partners:two_factor": ("GET", "/tvafaktor/", (L, M, M, M, O, O, O, M)),
    "partners:two_factor_enrol": ("GET", "/tvafaktor/aktivera/", (L, O, O, O, O, O, O, O)),
    "partners:new_recovery_codes": ("POST", "/tvafaktor/reservkoder/", (L, M, M, M, O, O, O, M)),
    # Organisation keys: a coordinator for her municipality's organisations, an
    # administrator for his own (adam: the municipality's); the key is the kommun's.
    "partners:organisation_keys": ("GET", "/organisationsnycklar/", (L, H, H, H, O, O, O, H)),
    "partners:create_organisation_key": ("POST", "/organisationsnycklar/skapa/", (L, H, H, H, I, I, I, H)),  # noqa: E501
    "partners:revoke_organisation_key": ("POST", "/organisationsnycklar/{orgkey}/aterkalla/", (L, H, H, H, M, M, H, H)),  # noqa: E501
    "partners:audit_log": ("GET", "/logg/", (L, H, H, H, O, H, O, H)),
    "partners:audit_log_export": ("GET", "/logg/export.csv", (L, H, H, H, O, H, O, H)),
    # The lägesbild: every member of the partnership; another municipality's is hidden.
    "situation:index": ("GET", "/lagesbild/", (L, M, M, M, M, M, M, H)),
    "situation:page": ("GET", "{lb}/{p}", (L, O, O, O, O, O, H, H)),
    "situation:data": ("GET", "{lb}/data.json{p}", (L, O, O, O, O, O, H, H)),
    "situation:area": ("GET", "/lagesbild/omrade/{area}/{p}", (L, O, O, O, O, O, H, H)),
    "situation:method": ("GET", "/lagesbild/metod/", (L, O, O, O, O, O, O, H)),
    "situation:assessment": ("POST", "{lb}/bedomning/", (L, D, D, D, M, D, H, H)),
    "situation:publish_preview": ("GET", "{lb}/publicera/granska{p}", (L, D, D, D, O, D, H, H)),
    "situation:publish": ("POST", "{lb}/publicera", (L, D, D, D, I, D, H, H)),
    "situation:unpublish_confirm": ("GET", "{lb}/avpublicera/bekrafta{p}", (L, D, D, D, O, D, H, H)),  # noqa: E501
    "situation:unpublish": ("POST", "{lb}/avpublicera", (L, D, D, D, I, D, H, H)),
    "situation:map_layer": ("GET", "{lb}/karta/omraden.geojson{p}", (L, O, O, O, O, O, H, H)),
    "situation:chart": ("GET", "{lb}/diagram/trend.svg{p}", (L, O, O, O, O, O, H, H)),
    "situation:pdf": ("GET", "{lb}/pdf{p}", (L, O, O, O, O, O, H, H)),
    "situation:export": ("GET", "{lb}/export.csv{p}", (L, O, O, O, O, O, H, H)),
    "situation:export_layer": ("GET", "{lb}/export/omraden.geojson{p}", (L, O, O, O, O, O, H, H)),
    # Published pictures: anyone, without login.
    "public:index": ("GET", "/oppen/{code}/", (O, O, O, O, O, O, O, O)),
    "public:period": ("GET", "/oppen/{code}/{week}/", (O, O, O, O, O, O, O, O)),
    "public:period_json": ("GET", "/oppen/{code}/{week}.json", (O, O, O, O, O, O, O, O)),
    # Measures (trygg/measures/access.py): karl's company owns the measure; partners,
    # steering and administrators read it; only coordinators create; an empty form is judged.
    "measures:index": ("GET", "/atgarder/", (L, M, M, M, M, M, M, H)),
    "measures:board": ("GET", "/atgarder/kommun/{code}/", (L, O, O, O, O, O, H, H)),
    "measures:new": ("GET", "/atgarder/kommun/{code}/ny/", (L, D, D, D, O, D, H, H)),
    "measures:detail": ("GET", "/atgarder/{measure}/", (L, O, O, O, O, O, H, H)),
    "measures:edit": ("GET", "/atgarder/{measure}/andra/", (L, O, D, D, O, D, H, H)),
    "measures:status": ("POST", "/atgarder/{measure}/status/", (L, I, D, D, I, D, H, H)),
    "measures:light": ("POST", "/atgarder/{measure}/ljus/", (L, I, D, D, I, D, H, H)),
    "measures:export": ("GET", "/atgarder/kommun/{code}/export.csv", (L, O, O, O, O, O, H, H)),
    "measures:plan": ("GET", "/atgarder/kommun/{code}/atgardsplan.xlsx", (L, O, O, O, O, O, H, H)),
    # A measure's effect (trygg.measures.effect): its responsible organisation (the
    # police, no one in this table) and coordinators evaluate and save; partners,
    # the steering group and administrators read saved evaluations; a reporter who may
    # not see the measure gets 404 (trygg.measures.access), as on its page.
    "measures_effect:evaluate": ("GET", "/atgarder/{evaluated}/utvardera/", (L, H, D, D, O, D, H, H)),  # noqa: E501
    "measures_effect:save": ("POST", "/atgarder/{evaluated}/utvardera/spara", (L, H, D, D, M, D, H, H)),  # noqa: E501
    "measures_effect:evaluations": ("GET", "/atgarder/{evaluated}/utvarderingar/", (L, H, O, O, O, O, H, H)),  # noqa: E501
    # Planera närvaro: every member of the partnership; coordinators create the measure.
    "measures_effect:presence": ("GET", "/atgarder/narvaro/{code}/", (L, O, O, O, O, O, H, H)),
    "measures_effect:presence_map": ("GET", "/atgarder/narvaro/{code}/karta.geojson", (L, O, O, O, O, O, H, H)),  # noqa: E501
    "measures_effect:presence_create": ("POST", "/atgarder/narvaro/{code}/skapa", (L, D, D, D, M, D, H, H)),  # noqa: E501
    # EST meetings: coordinators run them; partners, steering and admins read held minutes.
    "meetings:index": ("GET", "/moten/", (L, H, O, O, O, O, O, H)),
    "meetings:plan": ("POST", "/moten/{code}/planera/", (L, H, H, H, M, H, H, H)),
    "meetings:meeting": ("GET", "/moten/{meeting}/", (L, H, H, H, O, H, H, H)),
    "meetings:add_item": ("POST", "/moten/{meeting}/punkter/", (L, H, H, H, I, H, H, H)),
    "meetings:notes": ("POST", "/moten/{meeting}/punkt/{item}/anteckningar/", (L, H, H, H, M, H, H, H)),  # noqa: E501
    "meetings:decide": ("POST", "/moten/{meeting}/punkt/{item}/beslut/", (L, H, H, H, I, H, H, H)),
    "meetings:attendance": ("POST", "/moten/{meeting}/narvaro/", (L, H, H, H, M, H, H, H)),
    "meetings:redraft": ("POST", "/moten/{meeting}/uppdatera/", (L, H, H, H, M, H, H, H)),
    "meetings:close_confirm": ("GET", "/moten/{meeting}/avsluta/bekrafta/", (L, H, H, H, O, H, H, H)),  # noqa: E501
    "meetings:close": ("POST", "/moten/{meeting}/avsluta/", (L, H, H, H, M, H, H, H)),
    "meetings:minutes": ("GET", "/moten/{held}/protokoll/", (L, H, O, O, O, O, H, H)),
    "meetings:minutes_pdf": ("GET", "/moten/{held}/protokoll.pdf", (L, H, O, O, O, O, H, H)),
    # File import (trygg/imports/access.py): any member for his organisation, a coordinator
    # for every organisation of the municipality; the run is karl's draft for Bostaden, with
    # no columns chosen yet, so its later steps lead back to the column step.
    "imports:index": ("GET", "/importera/", (L, O, O, O, O, O, O, O)),
    "imports:detail": ("GET", "/importera/{run}/", (L, O, H, H, O, H, H, H)),
    "imports:progress": ("GET", "/importera/{run}/status.json", (L, O, H, H, O, H, H, H)),
    "imports:columns": ("GET", "/importera/{run}/kolumner/", (L, O, H, H, O, H, H, H)),
    "imports:categories": ("GET", "/importera/{run}/kategorier/", (L, M, H, H, M, H, H, H)),
    "imports:preview": ("GET", "/importera/{run}/granska/", (L, M, H, H, M, H, H, H)),
    "imports:commit": ("POST", "/importera/{run}/importera/", (L, M, H, H, M, H, H, H)),
    # Exports of the reports each may see (what each sees is the list's rule).
    "imports:export_geojson": ("GET", "/rapporter/export.geojson", (L, O, O, O, O, O, O, O)),
    "imports:export_xlsx": ("GET", "/rapporter/export.xlsx", (L, O, O, O, O, O, O, O)),
    # Citizen promises, the coordinator's side: the partnership (partner and up) reads every
    # promise of its municipality, drafts included; anyone logged in reads a published one;
    # only coordinators change them. Empty forms are judged (400) for a coordinator.
    "promises:index": ("GET", "/loften/", (L, H, M, M, M, M, M, H)),
    "promises:list": ("GET", "/loften/kommun/{code}/", (L, H, O, O, O, O, H, H)),
    "promises:new": ("GET", "/loften/kommun/{code}/nytt/", (L, H, D, D, O, D, H, H)),
    "promises:detail": ("GET", "/loften/{promise}/", (L, H, O, O, O, O, H, H)),
    "promises:edit": ("GET", "/loften/{promise}/andra/", (L, H, D, D, O, D, H, H)),
    "promises:add_focus_area": ("POST", "/loften/{promise}/fokusomraden/", (L, H, D, D, I, D, H, H)),  # noqa: E501
    "promises:add_commitment": ("POST", "/loften/{promise}/ataganden/", (L, H, D, D, I, D, H, H)),
    "promises:add_activity": ("POST", "/loften/{promise}/aktiviteter/", (L, H, D, D, I, D, H, H)),
    "promises:activity_status": ("POST", "/loften/{promise}/aktiviteter/{activity}/status/", (L, H, D, D, M, D, H, H)),  # noqa: E501
    "promises:add_signatory": ("POST", "/loften/{promise}/undertecknare/", (L, H, D, D, I, D, H, H)),  # noqa: E501
    "promises:remove": ("POST", "/loften/{promise}/ta-bort/aktivitet/{activity}/", (L, H, D, D, M, D, H, H)),  # noqa: E501
    "promises:edit_part": ("GET", "/loften/{promise}/andra/aktivitet/{activity}/", (L, H, D, D, O, D, H, H)),  # noqa: E501
    "promises:add_indicator": ("GET", "/loften/{promise}/indikatorer/ny/", (L, H, D, D, O, D, H, H)),  # noqa: E501
    "promises:indicator": ("GET", "/loften/{promise}/indikatorer/{indicator}/", (L, H, O, O, O, O, H, H)),  # noqa: E501
    "promises:publish": ("POST", "/loften/{promise}/publicera/", (L, H, D, D, M, D, H, H)),
    "promises:archive": ("POST", "/loften/{published}/arkivera/", (L, D, D, D, M, D, D, D)),
    "promises:follow_up": ("GET", "/loften/{published}/uppfoljning/ny/", (L, D, D, D, O, D, D, D)),
    "promises:follow_up_detail": ("GET", "/loften/{published}/uppfoljning/{follow_up}/", (L, O, O, O, O, O, O, O)),  # noqa: E501
    "promises:versions": ("GET", "/loften/{published}/versioner/", (L, O, O, O, O, O, O, O)),
    "promises:version": ("GET", "/loften/{published}/versioner/1/", (L, O, O, O, O, O, O, O)),
    # The register of initiatives: the partnership reads it, coordinators keep it.
    "promises:initiatives": ("GET", "/loften/kommun/{code}/insatser/", (L, H, O, O, O, O, H, H)),
    "promises:initiative_new": ("GET", "/loften/kommun/{code}/insatser/ny/", (L, H, D, D, O, D, H, H)),  # noqa: E501
    "promises:initiative": ("GET", "/loften/insatser/{initiative}/", (L, H, O, O, O, O, H, H)),
    "promises:initiative_edit": ("GET", "/loften/insatser/{initiative}/andra/", (L, H, D, D, O, D, H, H)),  # noqa: E501
    "promises:initiative_figures": ("POST", "/loften/insatser/{initiative}/siffror/", (L, H, D, D, I, D, H, H)),  # noqa: E501
    "promises:initiative_delete": ("POST", "/loften/insatser/{initiative}/ta-bort/", (L, H, D, D, M, D, H, H)),  # noqa: E501
    # Citizen promises, the public side: anyone, logged in or not, reads what is published
    # (a draft is 404 to all: tests/promises/test_public.py).
    "promises_public:index": ("GET", "/medborgarloften/{code}/", (O, O, O, O, O, O, O, O)),
    "promises_public:promise": ("GET", "/medborgarloften/{code}/{published}/", (O, O, O, O, O, O, O, O)),  # noqa: E501
    "promises_public:promise_pdf": ("GET", "/medborgarloften/{code}/{published}/pdf/", (O, O, O, O, O, O, O, O)),  # noqa: E501
    "promises_public:follow_up": ("GET", "/medborgarloften/{code}/uppfoljning/{follow_up}/", (O, O, O, O, O, O, O, O)),  # noqa: E501
    "promises_public:follow_up_pdf": ("GET", "/medborgarloften/{code}/uppfoljning/{follow_up}/pdf/", (O, O, O, O, O, O, O, O)),  # noqa: E501
    # JSON API with a bearer token of each person (none for "anonymous").
    # SSPF (trygg/sspf/access.py): a case is its coordinator's and its participants', none of
    # whom is in this table (greta is named in its consent but not added); every role here
    # gets a 404, the administrator who grants the SSPF role included (tests/sspf/ has the rest).
    # The steering group and the partnership's coordinators read the suppressed statistics.
    "sspf:index": ("GET", "/sspf/", (L, H, H, H, H, H, H, H)),
    "sspf:new": ("GET", "/sspf/kommun/{code}/nytt/", (L, H, H, H, H, H, H, H)),
    "sspf:statistics": ("GET", "/sspf/kommun/{code}/statistik/", (L, H, H, O, O, H, H, H)),
    # Administrators of the municipality grant and revoke the SSPF coordinator role.
    "sspf:coordinators": ("GET", "/sspf/kommun/{code}/samordnare/", (L, H, H, H, H, O, H, H)),
    "sspf:retention": ("POST", "/sspf/kommun/{code}/gallring/", (L, H, H, H, H, I, H, H)),
    "sspf:revoke": ("POST", "/sspf/kommun/{code}/samordnare/{grant}/aterkalla/", (L, H, H, H, H, M, H, H)),  # noqa: E501
    "sspf:case": ("GET", "/sspf/{case}/", (L, H, H, H, H, H, H, H)),
    "sspf:name": ("GET", "/sspf/{case}/namn/", (L, H, H, H, H, H, H, H)),
    "sspf:consent": ("GET", "/sspf/{case}/samtycke/", (L, H, H, H, H, H, H, H)),
    "sspf:participant": ("POST", "/sspf/{case}/deltagare/", (L, H, H, H, H, H, H, H)),
    "sspf:meeting": ("POST", "/sspf/{case}/moten/", (L, H, H, H, H, H, H, H)),
    "sspf:plan": ("POST", "/sspf/{case}/plan/", (L, H, H, H, H, H, H, H)),
    "sspf:plan_status": ("POST", "/sspf/{case}/plan/{plan_item}/status/", (L, H, H, H, H, H, H, H)),
    "sspf:note": ("POST", "/sspf/{case}/anteckningar/", (L, H, H, H, H, H, H, H)),
    "sspf:withdraw": ("GET", "/sspf/{case}/aterkalla/", (L, H, H, H, H, H, H, H)),
    "sspf:close": ("GET", "/sspf/{case}/avsluta/", (L, H, H, H, H, H, H, H)),
    "sspf:purge": ("GET", "/sspf/{case}/radera/", (L, H, H, H, H, H, H, H)),
    "sspf:history": ("GET", "/sspf/{case}/logg/", (L, H, H, H, H, H, H, H)),
    "api-v1:openapi-json": ("GET", "/api/v1/openapi.json", (O, O, O, O, O, O, O, O)),
    "api-v1:openapi-view": ("GET", "/api/v1/docs", (O, O, O, O, O, O, O, O)),
    "api-v1:api-root": ("GET", "/api/v1/", (H, H, H, H, H, H, H, H)),
    "api-v1:create_report": ("POST", "/api/v1/reports", (D, O, O, O, O, O, O, I)),
    "api-v1:list_reports": ("GET", "/api/v1/reports", (D, O, O, O, O, O, O, O)),
    "api-v1:create_reports": ("POST", "/api/v1/reports/batch", (D, O, O, O, O, O, O, I)),
    "api-v1:get_report": ("GET", "/api/v1/reports/{report}", (D, O, O, O, O, O, H, H)),
    # An empty body: the coordinator and the reporter are let through to be told what is
    # missing; the others who see the report may not; the rest do not see it.
    "api-v1:set_report_status": ("POST", "/api/v1/reports/{report}/status", (D, I, D, D, I, D, H, H)),  # noqa: E501
    "api-v1:add_report_comment": ("POST", "/api/v1/reports/{report}/comments", (D, D, D, D, I, D, H, H)),  # noqa: E501
    "api-v1:list_categories": ("GET", "/api/v1/categories", (D, O, O, O, O, O, O, O)),
    "api-v1:list_areas": ("GET", "/api/v1/areas", (D, O, O, O, O, O, O, O)),
    # Measures: the same rules as the pages. Each POST carries a real change (measure_body):
    # the owner (karl) moves it forward and sets the light; only coordinators create, and
    # erik's own municipality has no Bostaden to make responsible.
    "api-v1:list_measures": ("GET", "/api/v1/measures", (D, O, O, O, O, O, O, O)),
    "api-v1:get_measure": ("GET", "/api/v1/measures/{measure}", (D, O, O, O, O, O, H, H)),
    "api-v1:create_new_measure": ("POST", "/api/v1/measures", (D, D, D, D, O, D, I, D)),
    "api-v1:change_measure": ("PATCH", "/api/v1/measures/{measure}", (D, O, D, D, O, D, H, H)),
    "api-v1:change_measure_status": ("POST", "/api/v1/measures/{measure}/status", (D, O, D, D, O, D, H, H)),  # noqa: E501
    "api-v1:set_measure_light": ("POST", "/api/v1/measures/{measure}/light", (D, O, D, D, O, D, H, H)),  # noqa: E501
    "api-v1:list_meetings": ("GET", "/api/v1/meetings", (D, O, O, O, O, O, O, O)),
    "api-v1:get_meeting": ("GET", "/api/v1/meetings/{held}", (D, H, O, O, O, O, H, H)),
    # The public JSON twin of /medborgarloften/: no token needed.
    "api-v1:promises": ("GET", "/api/v1/promises?municipality={code}", (O, O, O, O, O, O, O, O)),
    "api-v1:situation": ("GET", "/api/v1/situation?municipality={code}&period={week}", (D, O, O, O, O, O, H, H)),  # noqa: E501
    # Open311 (trygg/open311): every GET is public and shows only public reports (karl's
    # here is shared with the partnership, so hidden, and it was not filed through Open311,
    # so it has no token). POST needs an api_key (each role's own token, none for anonymous):
    # the report is filed for the key holder's organisation; otto has none.
    "open311:discovery": ("GET", "/open311/v2/discovery.json", (O, O, O, O, O, O, O, O)),
    "open311:services": ("GET", "/open311/v2/services.xml", (O, O, O, O, O, O, O, O)),
    "open311:service": ("GET", "/open311/v2/services/graffiti.json", (O, O, O, O, O, O, O, O)),
    "open311:service_alias": ("GET", "/open311/v2/service/graffiti.xml", (O, O, O, O, O, O, O, O)),
    "open311:requests": ("POST", "/open311/v2/requests.json", (D, O, O, O, O, O, O, D)),
    "open311:request": ("GET", "/open311/v2/requests/{report}.json", (H, H, H, H, H, H, H, H)),
    "open311:token": ("GET", "/open311/v2/tokens/{report}.xml", (H, H, H, H, H, H, H, H)),
    "open311:updates": ("GET", "/open311/v2/servicerequestupdates.json", (O, O, O, O, O, O, O, O)),
    "open311:unknown": ("GET", "/open311/v2/requests/a/b.json", (H, H, H, H, H, H, H, H)),
}  # fmt: skip


def url_names(patterns, namespace=""):
    """Every named route of the URL configuration but Django's own admin."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_access_data(w: SimpleNamespace) -> SimpleNamespace:
    """What the table's placeholders point at, on top of tests/world.py's partnership `w`.

    Also used by tests/browser/test_axe_every_page.py, which opens every page of the table.
    """
    d = SimpleNamespace(w=w)
    # karl's report, shared with the partnership, with a photo.
    d.report, _ = submit_report(organisation=w.orgs["bostad"], by=w.karl, data=report_data())
    d.measure = create_measure(
        by=w.anna,
        municipality=w.ostersund,
        title="Belysning",
        kind="situational",
        responsible=w.orgs["bostad"],
        status="decided",
        reports=[d.report],
    )
    d.anna_token, _ = create_api_token(user=w.anna, name="anna's")
    d.org_key, _ = create_organisation_key(
        organisation=w.orgs["kommun"], by=w.anna, name="kommunens app"
    )
    publish_period(
        municipality=w.ostersund, period=parse_period(WEEK), by=w.anna,
        today=date(2026, 12, 1),
    )  # fmt: skip
    # The measure whose effect is evaluated: owned by the police (no one in this table).
    d.evaluated = create_measure(
        by=w.anna, municipality=w.ostersund, title="Belysning", kind="situational",
        responsible=w.orgs["polis"], area=w.centrum, starts_on=date(2026, 11, 2),
        categories=Category.objects.filter(code="graffiti"),
    )  # fmt: skip
    d.meeting = Meeting.objects.create(
        municipality=w.ostersund, held_on=date(2026, 12, 14), since=date(2026, 11, 30)
    )
    d.item = add_item(meeting=d.meeting, by=w.anna, title="Julmarknaden")
    d.held = Meeting.objects.create(
        municipality=w.ostersund, held_on=date(2026, 11, 30), since=date(2026, 11, 16),
        status=Meeting.Status.HELD,
    )  # fmt: skip
    d.case = sspf_case(w)
    d.grant = CoordinatorGrant.objects.get(user=d.case.coordinator)
    d.import_run = upload_file(
        organisation=w.orgs["bostad"], by=w.karl, name="logg.csv",
        content=b"Kategori;Datum;Lat;Long\r\ngraffiti;2026-11-24 23:10;63,16;14,61\r\n",
    )  # fmt: skip
    d.draft = build_promise(w)
    published = build_promise(w, start_year=2025, end_year=2026)
    d.published = publish_promise(promise=published.promise, by=w.anna)
    d.follow_up = write_follow_up(promise=d.published, by=w.anna, narrative="Bra.")
    d.initiative = create_initiative(
        by=w.anna, municipality=w.ostersund, name="Hej Främling!",
        owner=w.orgs["kommun"],
    )  # fmt: skip
    d.tokens = {
        name: create_api_token(user=getattr(w, name), name="table")[1] for name in ROLES[1:]
    }
    return d


def path_of(d: SimpleNamespace, template: str) -> str:
    """The table's path template with its placeholders filled from build_access_data."""
    return template.format(
        lb=f"/lagesbild/{d.w.ostersund.code}",
        p=f"?period={WEEK}",
        week=WEEK,
        report=d.report.pk,
        token=d.anna_token.pk,
        orgkey=d.org_key.pk,
        code=d.w.ostersund.code,
        area=d.w.centrum.pk,
        measure=d.measure.pk,
        evaluated=d.evaluated.pk,
        meeting=d.meeting.pk,
        item=d.item.pk,
        held=d.held.pk,
        case=d.case.pk,
        grant=d.grant.pk,
        plan_item=d.case.plan.get().pk,
        run=d.import_run.pk,
        promise=d.draft.promise.pk,
        activity=d.draft.activity.pk,
        indicator=d.draft.survey.pk,
        published=d.published.pk,
        follow_up=d.follow_up.pk,
        initiative=d.initiative.pk,
    )


class AccessTableTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.data = build_access_data(cls.w)
        for name, value in vars(cls.data).items():
            if name != "w":
                setattr(cls, name, value)

    def setUp(self):
        # Per test: each test has its own MEDIA_ROOT (tests/conftest.py).
        attach_photo(self.report, jpeg())

    def path_of(self, template: str) -> str:
        return path_of(self.data, template)

    def outcome(self, role: str, method: str, path: str) -> str:
        if path.startswith("/api/"):
            token = self.tokens.get(role)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = {"category": "graffiti", "lat": 63.16, "lon": 14.61}
            if path.endswith("/batch"):
                body = {"reports": [body]}
            body = self.measure_body(method, path) or body
            call = {"POST": self.client.post, "PATCH": self.client.patch}.get(
                method, self.client.get
            )
            kwargs = {"data": body, "content_type": "application/json"} if method != "GET" else {}
            response = call(path, headers=headers, **kwargs)
        else:
            if role != "anonymous":
                sign_in(self.client, getattr(self.w, role))
            call = self.client.post if method == "POST" else self.client.get
            response = call(path, **self.open311_body(role, method, path))
        return classify(response)

    def open311_body(self, role: str, method: str, path: str) -> dict:
        """An Open311 POST: a report, with the role's token as api_key (none for anonymous)."""
        if method != "POST" or not path.startswith("/open311/"):
            return {}
        body = {"service_code": "graffiti", "lat": "63.16", "long": "14.61"}
        if role in self.tokens:
            body["api_key"] = self.tokens[role]
        return {"data": body}

    def measure_body(self, method: str, path: str) -> dict | None:
        """A change each measure operation makes, so the table tests the rule, not the shape."""
        if not path.startswith("/api/v1/measures"):
            return None
        if method == "PATCH":
            return {"categories": ["graffiti"]}
        if path.endswith("/status"):
            return {"to": "ongoing"}
        if path.endswith("/light"):
            return {"light": "green"}
        return {
            "title": "Belysning",
            "kind": "situational",
            "responsible": self.w.orgs["bostad"].pk,
        }

    def test_every_route_has_a_decision(self):
        routes = set(url_names(get_resolver().url_patterns))
        self.assertEqual(routes - set(ROUTES), set(), "routes without a decision in ROUTES")
        self.assertEqual(set(ROUTES) - routes, set(), "decisions for routes that do not exist")

    def test_every_api_operation_is_in_the_table(self):
        schema = api.get_openapi_schema()
        operations = {
            (method.upper(), "/api/v1" + path.removeprefix("/api/v1"))
            for path, ops in schema["paths"].items()
            for method in ops
        }
        tabled = {
            (method, path.split("?")[0].replace("{report}", "{report_id}")
             .replace("{measure}", "{measure_id}")
             .replace("{held}", "{meeting_id}"))
            for method, path, _ in ROUTES.values()
            if path.startswith("/api/v1/") and path not in {"/api/v1/", "/api/v1/docs"}
            and not path.endswith("openapi.json")
        }  # fmt: skip
        self.assertEqual(operations, tabled)

    def test_each_role_gets_what_the_table_says_on_every_route(self):
        for name, (method, template, expected) in ROUTES.items():
            for role, want in zip(ROLES, expected, strict=True):
                with self.subTest(route=name, role=role), transaction.atomic():
                    got = self.outcome(role, method, self.path_of(template))
                    self.client.logout()
                    transaction.set_rollback(True)  # one request's writes never reach the next
                    self.assertEqual(got, want)

    def test_every_answer_to_a_logged_in_coordinator_or_a_token_is_no_store(self):
        for name, (method, template, _expected) in ROUTES.items():
            if name == "logout":  # its answer goes to someone no longer logged in
                continue
            with self.subTest(route=name), transaction.atomic():
                response = self.answer_to_anna(method, self.path_of(template))
                self.client.logout()
                transaction.set_rollback(True)
                directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
                self.assertIn("no-store", directives, response.status_code)
                self.assertFalse({d for d in directives if d.startswith("max-age")})

    def answer_to_anna(self, method: str, path: str):
        call = {"POST": self.client.post, "PATCH": self.client.patch}.get(method, self.client.get)
        if path.startswith("/api/"):
            headers = {"Authorization": f"Bearer {self.tokens['anna']}"}
            body = {"category": "graffiti", "lat": 63.16, "lon": 14.61}
            if method == "PATCH":
                body = {"categories": ["graffiti"]}
            kwargs = {"data": body, "content_type": "application/json"} if method != "GET" else {}
            return call(path, headers=headers, **kwargs)
        sign_in(self.client, self.w.anna)
        return call(path, **self.open311_body("anna", method, path))


def classify(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        return LOGIN if response["Location"].startswith("/logga-in/") else MOVED
    if 200 <= status < 300:
        return OK
    if status == 404:
        return HIDDEN
    if status in (401, 403):
        return DENIED
    if status in (400, 422):
        return INVALID
    return f"status {status}"
