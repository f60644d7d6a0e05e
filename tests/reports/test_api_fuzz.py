"""Hostile input through the API: every answer is 2xx or a 4xx naming the problem, never 5xx."""

import base64
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.world import build_world
from trygg.partners.actions import create_api_token
from trygg.reports.models import Report

hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x00", "<script>alert(1)</script>", "' OR 1=1 --", "🙂" * 3, "9" * 40]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.sampled_from(
        ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59", "2026-02-30", "2026-11-20T10:00"]
    ),
)
FIELDS = [
    "category",
    "lat",
    "lon",
    "occurred_at",
    "occurred_to",
    "persons",
    "damage_cost_sek",
    "description",
    "address",
    "sharing",
    "place_type",
    "client_id",
    "organisation",
    "reported_to_police",
    "creates_insecurity",
]
BASE = {"category": "graffiti", "lat": 63.16, "lon": 14.61}
reports = st.dictionaries(st.sampled_from(FIELDS), scalars, max_size=6).map(
    lambda overrides: {**BASE, **overrides}
)
# Cursors as the API makes them (base64 of "time|uuid"), holding times at the calendar's ends.
EXTREME_TIMES = [
    "0001-01-01",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999+00:00",
]
forged_cursors = st.builds(
    lambda moment, uuid: base64.urlsafe_b64encode(f"{moment}|{uuid}".encode()).decode(),
    st.sampled_from(EXTREME_TIMES),
    st.uuids().map(str),
)
query_values = st.one_of(
    hostile_text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0001-01-01", "9999-12-31", "nan,nan,nan,nan", "-inf,-inf,inf,inf"]),
    forged_cursors,
)
# Period keys at and beyond the bounds of the lägesbild (trygg/situation/periods.py).
period_values = st.one_of(
    hostile_text,
    st.sampled_from(
        [
            "0001-01",
            "9999-W52",
            "9999-W52+8",
            "0001-T1",
            "9999",
            "0001-01-01..0001-01-02",
            "9999-12-30..9999-12-31",
            "2000-W01",
            "2100-12",
            "vecka 48",
            "vecka 53 9999",
            "november 0001",
            "tertial 3 9999",
        ]
    ),
)
date_values = st.one_of(
    hostile_text, st.dates().map(str), st.sampled_from(["0001-01-01", "9999-12-31"])
)
QUERY_KEYS = [
    "since",
    "until",
    "category",
    "area",
    "organisation",
    "source",
    "bbox",
    "cursor",
    "limit",
]


class ApiFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.token = create_api_token(user=cls.w.petra, name="fuzz")[1]

    def post(self, path, body):
        return self.client.post(
            path,
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(report=reports)
    def test_a_single_report_is_stored_or_refused_by_field(self, report):
        before = Report.objects.count()
        response = self.post("/api/v1/reports", report)
        self.assertLess(response.status_code, 500, response.content)
        if response.status_code == 422:
            self.assertTrue(all(e["field"] for e in response.json()["detail"]))
            self.assertEqual(Report.objects.count(), before)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(items=st.lists(reports, min_size=1, max_size=5))
    def test_a_batch_is_stored_whole_or_not_at_all(self, items):
        before = Report.objects.count()
        response = self.post("/api/v1/reports/batch", {"reports": items})
        self.assertLess(response.status_code, 500, response.content)
        stored = Report.objects.count() - before
        if response.status_code == 201:
            self.assertEqual(stored, response.json()["created"])
        else:
            self.assertEqual(stored, 0)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=st.dictionaries(st.sampled_from(QUERY_KEYS), query_values, max_size=4))
    def test_list_filters_never_fail_on_the_server(self, query):
        response = self.client.get(
            "/api/v1/reports", query, HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )
        self.assertLess(response.status_code, 500, (query, response.content))

    def test_a_forged_cursor_at_the_ends_of_the_calendar_is_refused_by_field(self):
        for moment in EXTREME_TIMES:
            raw = f"{moment}|00000000-0000-4000-8000-000000000000"
            cursor = base64.urlsafe_b64encode(raw.encode()).decode()
            response = self.client.get(
                "/api/v1/reports", {"cursor": cursor}, HTTP_AUTHORIZATION=f"Bearer {self.token}"
            )
            self.assertIn(response.status_code, (200, 422), (moment, response.content))
            if response.status_code == 422:
                self.assertEqual(response.json()["detail"][0]["field"], "cursor")

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        query=st.fixed_dictionaries(
            {}, optional={"period": period_values, "from": date_values, "to": date_values}
        )
    )
    def test_the_situation_never_fails_on_the_server_whatever_the_period(self, query):
        response = self.client.get(
            "/api/v1/situation", query, HTTP_AUTHORIZATION=f"Bearer {self.token}"
        )
        self.assertIn(response.status_code, (200, 422), (query, response.content))
        if response.status_code == 422:
            self.assertEqual(response.json()["detail"][0]["field"], "period")
