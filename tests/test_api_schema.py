"""The API keeps the promises of its own OpenAPI document, under schemathesis' generated input.

For every operation in /api/v1/openapi.json, schemathesis sends valid and
invalid requests as a coordinator with a real token; every answer must be
below 500, have a documented status code and content type, and a body that
matches the declared schema. A fixed, derandomised budget keeps the run short
and the same on every machine.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from uuid import uuid4

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.world import INSIDE_CENTRUM, INSIDE_LUGNVIK, build_world
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_reports
from trygg.reports.models import Report
from trygg.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation and generation phase; ~10 operations in well under a minute.
BUDGET = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _seed_reports(world):
    """A few reports of several kinds, so the list and detail answers carry data."""
    now = timezone.now()
    items = []
    for day, (category, point) in enumerate(
        [
            ("graffiti", INSIDE_CENTRUM),
            ("broken_glass", INSIDE_LUGNVIK),
            ("burglary_home", INSIDE_CENTRUM),
        ]
        * 4
    ):
        items.append(
            {
                "category": category,
                "lat": point[0],
                "lon": point[1],
                "occurred_at": now - timedelta(days=day, hours=3),
                "description": "Klotter vid porten, ring 070-123 45 67",
                "persons": day,
                "client_id": f"seed-{day}",
            }
        )
    items.append(
        {
            "category": "graffiti",
            "lat": INSIDE_LUGNVIK[0],
            "lon": INSIDE_LUGNVIK[1],
            "occurred_at": now - timedelta(days=2, hours=10),
            "occurred_to": now - timedelta(days=2, hours=2),
            "sharing": "organisation",
        }
    )
    # Another organisation's reports: the coordinator sees them too, with details.
    submit_reports(organisation=world.orgs["kommun"], by=world.anna, items=items)
    submit_reports(organisation=world.orgs["vakt"], by=world.sara, items=items[:3])


@pytest.fixture
def keep_connection():
    """Requests reach the real WSGI handler, which closes the database connection after each
    (close_old_connections on request_started/finished); that would end the test's transaction
    on PostgreSQL. Django's own test client unhooks the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, keep_connection):
    """The test partnership with reports in it; `anna` is a coordinator, `sara` a partner."""
    world = build_world()
    _seed_reports(world)
    return world


@pytest.fixture
def token(world):
    """The coordinator's API token."""
    return create_api_token(user=world.anna, name="schemathesis")[1]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@BUDGET
def test_it_answers_every_generated_request_as_documented(case, token):
    case.call_and_validate(headers=bearer(token), checks=CHECKS)


def _get(path, token, **case_args):
    """One GET of `path` (a path template of the schema), validated like the generated ones."""
    case = schema[f"/api/v1{path}"]["GET"].Case(**case_args)
    response = case.call_and_validate(headers=bearer(token), checks=CHECKS)
    assert response.status_code == 200, response.text
    return response.json()


def test_it_documents_a_report_with_and_without_its_details(world, token):
    report = Report.objects.filter(organisation=world.orgs["kommun"], sharing="partnership")[0]
    path = {"path_parameters": {"report_id": str(report.pk)}}
    assert _get("/reports/{report_id}", token, **path)["details_visible"] is True
    partner = create_api_token(user=world.sara, name="partner")[1]
    withheld = _get("/reports/{report_id}", partner, **path)
    assert (withheld["details_visible"], withheld["description"]) == (False, None)


def test_it_documents_every_page_of_the_list(world, token):
    first = _get("/reports", token, query={"limit": 5})
    assert len(first["items"]) == 5 and first["next_cursor"]
    second = _get("/reports", token, query={"limit": 5, "cursor": first["next_cursor"]})
    assert {r["id"] for r in first["items"]}.isdisjoint(r["id"] for r in second["items"])


@pytest.mark.parametrize(
    "query",
    [
        {"period": "0001-01"},
        {"period": "9999-W52"},
        {"period": "9999-12-30..9999-12-31"},
        {"from": "9999-12-31", "to": "9999-12-31"},
        {"from": "0001-01-01", "to": "0001-01-01"},
    ],
)
def test_it_documents_the_refusal_of_a_period_out_of_range(world, token, query):
    case = schema["/api/v1/situation"]["GET"].Case(query=query)
    response = case.call_and_validate(headers=bearer(token), checks=CHECKS)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == "period"


def test_it_documents_the_refusal_of_a_forged_cursor_at_the_calendar_s_end(world, token):
    for moment in ("0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        cursor = base64.urlsafe_b64encode(f"{moment}|{uuid4()}".encode()).decode()
        case = schema["/api/v1/reports"]["GET"].Case(query={"cursor": cursor})
        response = case.call_and_validate(headers=bearer(token), checks=CHECKS)
        assert response.status_code == 422, response.text


def test_it_documents_a_measure_with_its_history_and_the_list(world, token):
    from trygg.measures.actions import create_measure, set_light

    measure = create_measure(
        by=world.anna, municipality=world.ostersund, title="Belysning", kind="situational",
        responsible=world.orgs["vakt"], status="decided", area=world.centrum,
        reports=Report.objects.all()[:2], cells=[{"x": 476000.0, "y": 7004000.0, "size": 250.0}],
        internal_notes="Kostnaden delas",
    )  # fmt: skip
    set_light(measure=measure, by=world.anna, light="yellow", comment="Sen leverans")
    path = {"path_parameters": {"measure_id": measure.pk}}
    detail = _get("/measures/{measure_id}", token, **path)
    assert [h["field"] for h in detail["history"]] == ["created", "light"]
    partner = create_api_token(user=world.sara, name="partner")[1]
    assert "internal_notes" in detail
    read = _get("/measures/{measure_id}", partner, **path)
    assert (read["light"], read["reports_count"]) == ("yellow", 2)
    assert _get("/measures", token, query={"status": "open"})["count"] == 1


def test_it_documents_a_measure_with_a_drawn_polygon(world, token):
    from trygg.measures.actions import create_measure

    ring = [[14.605, 63.155], [14.63, 63.155], [14.63, 63.18], [14.605, 63.155]]
    measure = create_measure(
        by=world.anna, municipality=world.ostersund, title="Trygghetsvandring",
        kind="adult_presence", responsible=world.orgs["natt"],
        treated_polygon={"type": "Polygon", "coordinates": [ring]},
    )  # fmt: skip
    detail = _get("/measures/{measure_id}", token, path_parameters={"measure_id": measure.pk})
    assert detail["treated_polygon"]["coordinates"] == [ring]
    assert [h["field"] for h in detail["history"]] == ["created", "treated_polygon"]


def test_it_documents_the_public_promises_of_a_municipality(world, token):
    """A published promise with a counted and a hand-entered indicator and a follow-up."""
    from tests.promises.helpers import build_promise
    from trygg.promises.actions import enter_indicator_value, publish_promise, write_follow_up

    built = build_promise(world)
    enter_indicator_value(indicator=built.survey, by=world.anna, period="2023", value="64")
    publish_promise(promise=built.promise, by=world.anna)
    write_follow_up(promise=built.promise, by=world.anna, narrative="Det går bra.")
    answer = _get("/promises", token, query={"municipality": "2380"})
    assert answer["current"]["follow_ups"][0]["narrative"] == "Det går bra."
    assert [i["kind"] for i in answer["current"]["indicators"]] == ["computed", "manual"]


def test_it_documents_a_patch_that_draws_and_removes_the_polygon(world, token):
    from trygg.measures.actions import create_measure

    measure = create_measure(
        by=world.anna, municipality=world.ostersund, title="Trygghetsvandring",
        kind="adult_presence", responsible=world.orgs["natt"],
    )  # fmt: skip
    ring = [[14.605, 63.155], [14.63, 63.155], [14.63, 63.18], [14.605, 63.155]]
    operation = schema["/api/v1/measures/{measure_id}"]["PATCH"]
    for polygon in ({"type": "Polygon", "coordinates": [ring]}, None):
        body = {"treated_polygon": polygon}
        case = operation.Case(
            path_parameters={"measure_id": measure.pk}, body=body, media_type="application/json"
        )
        response = case.call_and_validate(headers=bearer(token), checks=CHECKS)
        assert response.status_code == 200, response.text
        assert response.json()["treated_polygon"] == polygon
