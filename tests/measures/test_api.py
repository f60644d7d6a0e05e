"""The measures API: the filters, a measure with its history, changes refused by field."""

from __future__ import annotations

from datetime import date

from tests.measures.test_access import NOTE, make_measure
from tests.world import TryggTestCase, report_data
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_report


class MeasureApiTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measure = make_measure(cls.w)
        cls.late = make_measure(cls.w, title="Sen", deadline=date(2020, 1, 1),
                                responsible=cls.w.orgs["kommun"], area=cls.w.lugnvik)  # fmt: skip
        cls.tokens = {n: create_api_token(user=getattr(cls.w, n), name="t")[1]
                      for n in ("anna", "karl", "sara", "erik")}  # fmt: skip

    def call(self, who, method, path, body=None):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        if method == "GET":
            return self.client.get(path, body or {}, headers=headers)
        return self.client.post(path, body or {}, content_type="application/json", headers=headers)

    def test_the_list_filters_and_puts_overdue_first(self):
        items = self.call("sara", "GET", "/api/v1/measures").json()["items"]
        self.assertEqual([i["id"] for i in items], [self.late.pk, self.measure.pk])
        self.assertTrue(items[0]["overdue"])
        only = self.call("sara", "GET", "/api/v1/measures", {"overdue": "true"}).json()
        self.assertEqual([i["id"] for i in only["items"]], [self.late.pk])
        owner = self.w.orgs["bostad"].pk
        mine = self.call("sara", "GET", "/api/v1/measures", {"owner": owner}).json()
        self.assertEqual([i["id"] for i in mine["items"]], [self.measure.pk])
        area = self.call("sara", "GET", "/api/v1/measures", {"area": self.w.lugnvik.pk}).json()
        self.assertEqual(area["count"], 1)
        self.assertEqual(self.call("erik", "GET", "/api/v1/measures").json()["count"], 0)

    def test_a_bad_filter_is_refused_naming_it(self):
        response = self.call("sara", "GET", "/api/v1/measures", {"status": "sleeping"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "status")

    def test_the_detail_has_the_history_and_notes_only_for_those_who_may_read_them(self):
        path = f"/api/v1/measures/{self.measure.pk}"
        mine = self.call("karl", "GET", path).json()
        self.assertEqual(mine["internal_notes"], NOTE)
        self.assertEqual(mine["history"][0]["field"], "created")
        partner = self.call("sara", "GET", path)
        self.assertNotIn(NOTE, partner.content.decode())
        self.assertEqual(self.call("erik", "GET", path).status_code, 404)

    def test_a_coordinator_creates_and_bad_ids_are_named(self):
        report, _ = submit_report(organisation=self.w.orgs["bostad"], by=self.w.karl,
                                  data=report_data())  # fmt: skip
        body = {"title": "Klotterplank", "kind": "situational", "status": "decided",
                "responsible": self.w.orgs["natt"].pk, "reports": [str(report.pk)],
                "categories": ["graffiti"], "area": self.w.centrum.pk}  # fmt: skip
        created = self.call("anna", "POST", "/api/v1/measures", body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["reports"], [str(report.pk)])
        for field, bad in (("responsible", self.w.orgs["elsewhere"].pk), ("area", 999999),
                           ("categories", ["nonsense"])):  # fmt: skip
            response = self.call("anna", "POST", "/api/v1/measures", body | {field: bad})
            self.assertEqual(response.status_code, 422)
            self.assertEqual(response.json()["detail"][0]["field"], field)
        self.assertEqual(self.call("karl", "POST", "/api/v1/measures", body).status_code, 403)

    def test_status_and_light_changes_are_refused_by_field_or_role(self):
        path = f"/api/v1/measures/{self.measure.pk}"
        cancel = self.call("anna", "POST", f"{path}/status", {"to": "cancelled"})
        self.assertEqual((cancel.status_code, cancel.json()["detail"][0]["field"]),
                         (422, "comment"))  # fmt: skip
        back = self.call("anna", "POST", f"{path}/status", {"to": "proposed"})
        self.assertEqual((back.status_code, back.json()["detail"][0]["field"]), (422, "status"))
        owner_cancel = self.call("karl", "POST", f"{path}/status", {"to": "cancelled",
                                                                  "comment": "x"})  # fmt: skip
        self.assertEqual(owner_cancel.status_code, 403)
        red = self.call("karl", "POST", f"{path}/light", {"light": "red"})
        self.assertEqual((red.status_code, red.json()["detail"][0]["field"]), (422, "comment"))
        red = self.call("karl", "POST", f"{path}/light", {"light": "red", "comment": "Inga lampor"})
        self.assertEqual(red.json()["light"], "red")
        self.assertEqual(red.json()["history"][-1]["comment"], "Inga lampor")
        self.assertEqual(self.call("sara", "POST", f"{path}/light", {"light": "green"}).status_code,
                         403)  # fmt: skip

    def test_an_id_too_large_for_the_database_is_refused_not_a_server_error(self):
        body = {"title": "Klotterplank", "kind": "situational",
                "responsible": self.w.orgs["natt"].pk, "partners": [2**70]}  # fmt: skip
        response = self.call("anna", "POST", "/api/v1/measures", body)
        self.assertEqual(response.status_code, 422)
        self.assertIn("partners", str(response.json()["detail"][0]))
