"""A body over the upload limit is refused with 413 before anything reads it."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from django.test import override_settings

from tests.world import TryggTestCase, sign_in
from trygg.partners.actions import create_api_token

LIMIT = 1024 * 1024


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
class BodyLimitTests(TryggTestCase):
    def test_the_api_refuses_a_batch_over_the_limit_with_413_in_its_error_shape(self):
        token = create_api_token(user=self.w.petra, name="t")[1]
        item = {"category": "graffiti", "lat": 63.16, "lon": 14.61, "description": "x" * 4000}
        body = json.dumps({"reports": [item] * 300})
        self.assertGreater(len(body), LIMIT)
        response = self.client.post(
            "/api/v1/reports/batch",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        self.assertEqual(response.status_code, 413)
        [error] = response.json()["detail"]
        self.assertEqual((error["index"], error["field"]), (0, "__root__"))
        self.assertIn("1 MB", error["message"])

    def test_a_page_refuses_a_form_over_the_limit_with_a_swedish_413_page(self):
        sign_in(self.client, self.w.karl)
        response = self.client.post("/rapportera/", {"description": "x" * (LIMIT + 1)})
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, "större än 1 MB", status_code=413)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")

    def test_open311_refuses_a_body_over_the_limit_with_its_error_list_in_either_format(self):
        body = {"service_code": "graffiti", "description": "x" * (LIMIT + 1)}
        response = self.client.post("/open311/v2/requests.json", body)
        self.assertEqual(response.status_code, 400, "the spec allows only 400, 403 and 404")
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        [error] = response.json()
        self.assertEqual(error["code"], 413)
        self.assertIn("1 MB", error["description"])
        response = self.client.post("/open311/v2/requests.xml", body)
        self.assertEqual(response.status_code, 400)
        root = ElementTree.fromstring(response.content)
        self.assertEqual((root.tag, root.findtext("error/code")), ("errors", "413"))

    def test_a_body_under_the_limit_goes_through(self):
        token = create_api_token(user=self.w.petra, name="t")[1]
        item = {"category": "graffiti", "lat": 63.16, "lon": 14.61}
        response = self.client.post(
            "/api/v1/reports/batch",
            json.dumps({"reports": [item]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_the_openapi_document_declares_413_for_every_body_taking_operation(self):
        document = self.client.get("/api/v1/openapi.json").json()
        for path in ("/api/v1/reports", "/api/v1/reports/batch"):
            self.assertIn("413", document["paths"][path]["post"]["responses"], path)
