"""The JSON API through HTTP: every endpoint and every error code."""

import json
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from tests.world import INSIDE_LUGNVIK, OUTSIDE, TryggTestCase, report_data
from trygg.partners.actions import create_api_token, revoke_api_token
from trygg.reports.actions import submit_all_calm, submit_report
from trygg.reports.models import Report


class ApiTestCase(TryggTestCase):
    def setUp(self):
        self.tokens = {}

    def token(self, user):
        if user.username not in self.tokens:
            self.tokens[user.username] = create_api_token(user=user, name="test")[1]
        return self.tokens[user.username]

    def call(self, method, path, user=None, body=None, raw=None, token=None):
        headers = {}
        if user is not None or token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token or self.token(user)}"
        data = (
            raw
            if raw is not None
            else (json.dumps(body, default=str) if body is not None else None)
        )
        kwargs = {"content_type": "application/json", "data": data} if data is not None else {}
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs, **headers)

    def post_report(self, user, **overrides):
        return self.call("post", "/reports", user, report_data(**overrides))


class AuthenticationTests(ApiTestCase):
    def test_it_refuses_a_request_without_a_token(self):
        response = self.call("get", "/reports")
        self.assertEqual(response.status_code, 401)

    def test_it_refuses_an_unknown_token(self):
        self.assertEqual(self.call("get", "/categories", token="trygg_nonsense").status_code, 401)

    def test_it_refuses_a_revoked_token(self):
        token, raw = create_api_token(user=self.w.karl, name="old")
        revoke_api_token(token)
        self.assertEqual(self.call("get", "/categories", token=raw).status_code, 401)

    def test_it_refuses_an_expired_token(self):
        token, raw = create_api_token(user=self.w.karl, name="old")
        token.expires_at = timezone.now() - timedelta(seconds=1)
        token.save()
        self.assertEqual(self.call("get", "/categories", token=raw).status_code, 401)

    def test_it_stores_only_a_hash_and_records_last_use(self):
        token, raw = create_api_token(user=self.w.karl, name="phone")
        self.assertNotIn(raw, token.key_hash)
        self.assertEqual(self.call("get", "/categories", token=raw).status_code, 200)
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_the_token_command_prints_a_working_token(self):
        from io import StringIO

        out = StringIO()
        call_command("token", "create", "nils", stdout=out)
        raw = out.getvalue().strip()
        self.assertEqual(self.call("get", "/categories", token=raw).status_code, 200)


class PostReportTests(ApiTestCase):
    def test_it_stores_a_report_and_returns_201_with_the_stored_report(self):
        response = self.post_report(self.w.karl, description="Ring 070-1234567", client_id="c1")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["area_name"], "Centrum")
        self.assertEqual(body["description"], "Ring [telefonnummer]")
        self.assertGreater(body["y"], 6_900_000)
        self.assertEqual(Report.objects.get().source, "api")

    def test_the_same_client_id_again_returns_200_and_stores_nothing_new(self):
        first = self.post_report(self.w.karl, client_id="c1").json()
        response = self.post_report(self.w.karl, client_id="c1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["id"], first["id"])
        self.assertEqual(Report.objects.count(), 1)

    def test_it_names_the_field_of_a_bad_value(self):
        response = self.post_report(self.w.karl, lat=OUTSIDE[0], lon=OUTSIDE[1])
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "lat")

    def test_it_names_the_field_of_a_wrong_type(self):
        response = self.post_report(self.w.karl, persons="many")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "persons")

    def test_it_refuses_a_missing_field_and_malformed_json(self):
        response = self.call("post", "/reports", self.w.karl, {"lat": 63.16})
        fields = {e["field"] for e in response.json()["detail"]}
        self.assertEqual((response.status_code, fields), (422, {"category", "lon"}))
        self.assertIn(
            self.call("post", "/reports", self.w.karl, raw="{not json").status_code, {400, 422}
        )

    def test_it_refuses_nan_and_infinity(self):
        raw = '{"category": "graffiti", "lat": NaN, "lon": Infinity}'
        self.assertEqual(self.call("post", "/reports", self.w.karl, raw=raw).status_code, 422)

    def test_a_user_without_membership_cannot_report(self):
        response = self.post_report(self.w.otto)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "organisation")

    def test_it_refuses_reporting_for_an_organisation_one_is_not_in(self):
        other = self.w.orgs["polis"].pk
        self.assertEqual(self.post_report(self.w.karl, organisation=other).status_code, 422)


class BatchTests(ApiTestCase):
    def test_it_stores_a_whole_batch(self):
        items = [report_data(client_id=f"b{i}") for i in range(50)]
        response = self.call("post", "/reports/batch", self.w.petra, {"reports": items})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["created"], 50)
        self.assertEqual(Report.objects.count(), 50)

    def test_it_stores_nothing_and_lists_every_bad_item(self):
        items = [
            report_data(),
            report_data(category="ufo"),
            report_data(),
            report_data(lat=OUTSIDE[0]),
        ]
        response = self.call("post", "/reports/batch", self.w.petra, {"reports": items})
        self.assertEqual(response.status_code, 422)
        got = [(e["index"], e["field"]) for e in response.json()["detail"]]
        self.assertEqual(got, [(1, "category"), (3, "lat")])
        self.assertEqual(Report.objects.count(), 0)

    def test_a_type_error_names_the_item_index(self):
        items = [report_data(), report_data(persons="x")]
        response = self.call("post", "/reports/batch", self.w.petra, {"reports": items})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            [(e["index"], e["field"]) for e in response.json()["detail"]], [(1, "persons")]
        )

    def test_it_refuses_more_than_ten_thousand(self):
        items = [report_data()] * 10_001
        response = self.call("post", "/reports/batch", self.w.petra, {"reports": items})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Report.objects.count(), 0)


class ReadTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        lat, lon = INSIDE_LUGNVIK
        now = timezone.now()
        self.reports = [
            submit_report(
                organisation=self.w.orgs["bostad"],
                by=self.w.karl,
                data=report_data(occurred_at=now - timedelta(hours=i), description=f"n{i}"),
            )[0]
            for i in range(5)
        ]
        self.lugnvik_report = submit_report(
            organisation=self.w.orgs["natt"],
            by=self.w.nils,
            data=report_data(
                category="noise", lat=lat, lon=lon, occurred_at=now - timedelta(days=3)
            ),
        )[0]

    def test_it_pages_through_everything_with_a_cursor(self):
        seen, cursor = [], None
        while True:
            path = "/reports?limit=2" + (f"&cursor={cursor}" if cursor else "")
            body = self.call("get", path, self.w.anna).json()
            seen += [item["id"] for item in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        self.assertEqual(len(seen), 6)
        self.assertEqual(len(set(seen)), 6)

    def test_it_filters_by_category_group_area_and_bbox(self):
        def ids(query):
            return {
                i["id"] for i in self.call("get", f"/reports?{query}", self.w.anna).json()["items"]
            }

        self.assertEqual(ids("category=disorder"), {str(self.lugnvik_report.pk)})
        self.assertEqual(ids(f"area={self.w.lugnvik.pk}"), {str(self.lugnvik_report.pk)})
        self.assertEqual(len(ids("bbox=14.60,63.15,14.65,63.20")), 5)
        self.assertEqual(len(ids(f"organisation={self.w.orgs['natt'].pk}")), 1)
        self.assertEqual(len(ids("source=web")), 0)

    def test_it_filters_by_period(self):
        since = (timezone.now() - timedelta(days=1)).isoformat()
        response = self.call("get", f"/reports?since={since.replace('+', '%2B')}", self.w.anna)
        self.assertEqual(len(response.json()["items"]), 5)

    def ids(self, user, query):
        return {i["id"] for i in self.call("get", f"/reports?{query}", user).json()["items"]}

    def test_it_searches_only_the_notes_the_caller_may_read(self):
        self.assertEqual(self.ids(self.w.anna, "q=N3"), {str(self.reports[3].pk)})
        self.assertEqual(self.ids(self.w.karl, "q=n3"), {str(self.reports[3].pk)})
        # Sara sees Karl's shared reports but not their notes: no match, however close.
        self.assertEqual(len(self.ids(self.w.sara, "")), 6)
        self.assertEqual(self.ids(self.w.sara, "q=n3"), set())

    def test_it_filters_by_status_and_kind(self):
        Report.objects.filter(pk=self.lugnvik_report.pk).update(status=Report.Status.REVIEWED)
        self.assertEqual(self.ids(self.w.anna, "status=reviewed"), {str(self.lugnvik_report.pk)})
        calm, _ = submit_all_calm(organisation=self.w.orgs["bostad"], by=self.w.karl)
        self.assertEqual(self.ids(self.w.anna, "kind=checkins"), {str(calm.pk)})
        self.assertEqual(len(self.ids(self.w.anna, "kind=incidents")), 6)
        self.assertEqual(len(self.ids(self.w.anna, "")), 7)  # the API's default: all

    def test_bad_filters_are_422_naming_the_field(self):
        for query, field in [
            ("since=yesterday", "since"),
            ("category=ufo", "category"),
            ("bbox=1,2,3", "bbox"),
            ("limit=0", "limit"),
            ("cursor=zzz", "cursor"),
            ("area=x", "area"),
            ("status=lost", "status"),
            ("kind=calm", "kind"),
            (f"q={'x' * 101}", "q"),
        ]:
            response = self.call("get", f"/reports?{query}", self.w.anna)
            self.assertEqual(response.status_code, 422, query)
            self.assertEqual(response.json()["detail"][0]["field"], field, query)

    def test_a_report_one_may_not_see_is_404(self):
        path = f"/reports/{self.reports[0].pk}"
        self.assertEqual(self.call("get", path, self.w.nils).status_code, 404)
        self.assertEqual(self.call("get", path, self.w.erik).status_code, 404)
        self.assertEqual(self.call("get", "/reports/not-a-uuid", self.w.anna).status_code, 404)
        self.assertEqual(self.call("get", path, self.w.karl).status_code, 200)

    def test_categories_and_areas(self):
        categories = self.call("get", "/categories", self.w.karl).json()
        self.assertIn("graffiti", {c["code"] for c in categories})
        areas = self.call("get", "/areas", self.w.karl).json()
        self.assertEqual(areas["type"], "FeatureCollection")
        self.assertEqual(
            {f["properties"]["name"] for f in areas["features"]}, {"Centrum", "Lugnvik"}
        )
        self.assertEqual(self.call("get", "/areas", self.w.erik).json()["features"], [])

    def test_the_openapi_document_and_docs_are_served(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/reports/batch", schema["paths"])
        self.assertEqual(self.client.get("/api/v1/docs").status_code, 200)
