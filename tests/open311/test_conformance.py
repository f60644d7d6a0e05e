"""Open311 GeoReport v2 through HTTP: every endpoint in both formats, as the spec says.

Schemas follow the spec's field lists (wiki.open311.org/GeoReport_v2) and
the required fields of open311/schema-validation: JSON arrays for lists,
single requests and POST answers; the spec's XML element names; errors as a
list of {code, description} with 400, 403 or 404.
"""

from __future__ import annotations

import io
import json
import math
from datetime import timedelta
from xml.etree import ElementTree

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.world import INSIDE_CENTRUM, INSIDE_LUGNVIK, OUTSIDE, TryggTestCase, report_data
from trygg.geo.projection import to_sweref
from trygg.partners.actions import (
    create_api_token,
    create_organisation_key,
    revoke_organisation_key,
)
from trygg.reports.actions import change_report_status, submit_report, submit_reports
from trygg.reports.models import Report
from trygg.situation.study_area import study_area

BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
]  # fmt: skip
SERVICE_FIELDS = [
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
]  # fmt: skip
ATTRIBUTE_FIELDS = [
    "variable", "code", "datatype", "required", "datatype_description", "order", "description",
    "values",
]  # fmt: skip
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
SECRET = "Lisa Svensson i trapphuset"


def is_w3c(value: str) -> bool:
    from datetime import datetime

    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.tzinfo is not None and (value.endswith("Z") or value[-6] in "+-")


def xml_of(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


class Open311TestCase(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        bostad = cls.w.orgs["bostad"]
        public = report_data(sharing="public", description=SECRET, address="Storgatan 1")
        cls.public, _ = submit_report(organisation=bostad, by=cls.w.karl, data=public)
        lat, lon = INSIDE_LUGNVIK
        cls.closed, _ = submit_report(
            organisation=bostad,
            by=cls.w.karl,
            data=report_data(sharing="public", category="broken_glass", lat=lat, lon=lon),
        )
        change_report_status(report=cls.closed, by=cls.w.anna, to="closed", comment=SECRET)
        cls.partnership, _ = submit_report(
            organisation=bostad, by=cls.w.karl, data=report_data(description=SECRET)
        )
        cls.karl_key = create_api_token(user=cls.w.karl, name="fixamingata")[1]

    def get(self, path, **query):
        return self.client.get(BASE + path, query)

    def get_json(self, path, **query):
        response = self.get(path, **query)
        self.assertEqual(response.status_code, 200, response.content)
        return json_of(response)

    def ids(self, path="/requests.json", **query):
        return {r["service_request_id"] for r in self.get_json(path, **query)}

    def assert_error(self, response, status):
        self.assertEqual(response.status_code, status, response.content)
        if response["Content-Type"].startswith("text/xml"):
            errors = xml_of(response)
            self.assertEqual(errors.tag, "errors")
            first = errors.find("error")
            self.assertEqual(first.findtext("code"), str(status))
            return first.findtext("description")
        body = json_of(response)
        self.assertIsInstance(body, list)
        self.assertEqual(set(body[0]), {"code", "description"})
        self.assertEqual(body[0]["code"], status)
        return body[0]["description"]


class DiscoveryTests(Open311TestCase):
    def test_discovery_names_the_endpoint_in_both_formats_with_every_required_field(self):
        body = self.get_json("/discovery.json")
        self.assertEqual(set(body), {"changeset", "contact", "key_service", "endpoints"})
        [endpoint] = body["endpoints"]
        self.assertEqual(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertEqual(endpoint["url"], "http://testserver/open311/v2")
        self.assertEqual(endpoint["formats"], ["text/xml", "application/json"])
        self.assertLess(endpoint["changeset"], timezone.now().isoformat())
        self.assertTrue(is_w3c(body["changeset"]))
        root = xml_of(self.get("/discovery.xml"))
        self.assertEqual(root.tag, "discovery")
        self.assertEqual(root.findtext("contact"), body["contact"])
        formats = root.findall("endpoints/endpoint/formats/format")
        self.assertEqual([f.text for f in formats], ["text/xml", "application/json"])


class ServiceTests(Open311TestCase):
    def test_the_service_list_is_an_array_of_categories_with_their_group(self):
        services = self.get_json("/services.json")
        self.assertIsInstance(services, list)
        by_code = {s["service_code"]: s for s in services}
        self.assertEqual(list(services[0]), SERVICE_FIELDS)
        self.assertIn("graffiti", by_code)
        self.assertNotIn("all_calm", by_code, "the check-in is no incident to report")
        self.assertIs(by_code["graffiti"]["metadata"], True)
        self.assertEqual(by_code["graffiti"]["type"], "realtime")
        self.assertEqual(by_code["graffiti"]["service_name"], "Klotter")

    def test_the_service_list_in_xml_has_the_specs_element_names(self):
        root = xml_of(self.get("/services.xml"))
        self.assertEqual(root.tag, "services")
        service = root.find("service")
        self.assertEqual([child.tag for child in service], SERVICE_FIELDS)
        self.assertEqual(service.findtext("metadata"), "true")
        self.assertEqual(len(root), len(self.get_json("/services.json")))

    def test_a_subcategory_names_its_group(self):
        services = {s["service_code"]: s for s in self.get_json("/services.json")}
        child = next(s for s in services.values() if s["keywords"] != s["service_code"])
        self.assertEqual(child["group"], services[child["keywords"]]["service_name"])

    def test_the_definition_lists_the_extra_attributes_with_their_values(self):
        body = self.get_json("/services/graffiti.json")
        self.assertIsInstance(body, dict, "the spec's example is an object")
        self.assertEqual(body["service_code"], "graffiti")
        codes = [a["code"] for a in body["attributes"]]
        self.assertEqual(codes[:3], ["place_type", "persons", "creates_insecurity"])
        for attribute in body["attributes"]:
            self.assertEqual(list(attribute), ATTRIBUTE_FIELDS)
            self.assertIn(attribute["datatype"], DATATYPES)
        orders = [a["order"] for a in body["attributes"]]
        self.assertEqual(len(set(orders)), len(orders))
        place = body["attributes"][0]
        self.assertIn({"key": "stairwell", "name": "Trapphus"}, place["values"])

    def test_the_definition_in_xml_nests_attributes_and_values(self):
        root = xml_of(self.get("/services/graffiti.xml"))
        self.assertEqual(root.tag, "service_definition")
        attribute = root.find("attributes/attribute")
        self.assertEqual([child.tag for child in attribute], ATTRIBUTE_FIELDS)
        self.assertEqual(attribute.find("values/value/key").text, "stairwell")

    def test_the_singular_service_path_is_an_alias(self):
        self.assertEqual(
            self.get_json("/service/graffiti.json"), self.get_json("/services/graffiti.json")
        )

    def test_an_unknown_service_is_404_in_either_format(self):
        self.assert_error(self.get("/services/nothing.json"), 404)
        self.assert_error(self.get("/services/nothing.xml"), 404)
        self.assert_error(self.get("/services/all_calm.json"), 404)

    def test_service_names_follow_the_clients_language(self):
        response = self.client.get(BASE + "/services.json", HTTP_ACCEPT_LANGUAGE="en")
        names = {s["service_code"]: s["service_name"] for s in json_of(response)}
        self.assertEqual(names["graffiti"], "Graffiti")


class FormatTests(Open311TestCase):
    def test_the_suffix_decides_the_format_whatever_the_client_accepts(self):
        response = self.client.get(BASE + "/services.xml", HTTP_ACCEPT="application/json")
        self.assertEqual(xml_of(response).tag, "services")

    def test_a_resource_without_suffix_is_xml_the_specs_required_format(self):
        self.assertEqual(xml_of(self.get("/services")).tag, "services")

    def test_an_unknown_format_is_400_the_specs_general_error(self):
        self.assertIn("format", self.assert_error(self.get("/services.html"), 400))

    def test_a_method_the_resource_does_not_take_is_400_in_its_format_with_allow(self):
        response = self.client.put(BASE + "/services.json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("GET", response["Allow"])
        self.assertEqual(json_of(response)[0]["code"], 400)
        self.assertIn("DELETE", self.assert_error(self.client.delete(BASE + "/requests.xml"), 400))

    def test_an_unknown_path_is_an_open311_404_in_the_format_its_suffix_names(self):
        for path in ("/requests.json/", "/requests/a/b.json", "/nothing"):
            with self.subTest(path=path):
                response = self.client.get(BASE + path)
                self.assert_error(response, 404)
                fmt = "json" if path.endswith(".json") else "xml"
                self.assertIn(fmt, response["Content-Type"])
        self.assert_error(self.client.post(BASE + "/requests/a/b.xml"), 404)


class JurisdictionTests(Open311TestCase):
    def test_the_jurisdiction_is_the_kommunkod(self):
        self.assertIn(str(self.public.pk), self.ids(jurisdiction_id="2380"))
        self.assertEqual(self.ids(jurisdiction_id="2309"), set(), "Krokom has none")

    def test_an_unknown_jurisdiction_is_404_on_every_endpoint(self):
        for path in ("/services.json", "/services/graffiti.json", "/requests.json"):
            with self.subTest(path=path):
                description = self.assert_error(self.get(path, jurisdiction_id="9999"), 404)
                self.assertIn("jurisdiction_id", description)

    def test_an_empty_jurisdiction_counts_as_none(self):
        self.assertEqual(self.ids(jurisdiction_id=""), self.ids())
        self.assertEqual(
            self.get_json("/services.json", jurisdiction_id=""), self.get_json("/services.json")
        )


class RequestListTests(Open311TestCase):
    def test_the_list_holds_public_reports_only_in_the_specs_fields(self):
        requests = self.get_json("/requests.json")
        self.assertEqual(
            {r["service_request_id"] for r in requests}, {str(self.public.pk), str(self.closed.pk)}
        )
        for record in requests:
            self.assertEqual(list(record), REQUEST_FIELDS)
            self.assertIn(record["status"], ("open", "closed"))
            self.assertTrue(is_w3c(record["requested_datetime"]))
            self.assertIsInstance(record["lat"], float)
            self.assertIsInstance(record["service_request_id"], str)

    def test_the_list_in_xml_is_service_requests_of_request(self):
        root = xml_of(self.get("/requests.xml"))
        self.assertEqual(root.tag, "service_requests")
        self.assertEqual(len(root.findall("request")), 2)
        self.assertEqual([c.tag for c in root.find("request")], REQUEST_FIELDS)

    def test_a_closed_request_is_closed_and_updated_when_it_was_closed(self):
        [record] = self.get_json(f"/requests/{self.closed.pk}.json")
        self.assertEqual(record["status"], "closed")
        self.assertGreater(record["updated_datetime"], record["requested_datetime"][:19])

    def test_one_request_is_an_array_of_one_in_json_and_a_list_in_xml(self):
        body = self.get_json(f"/requests/{self.public.pk}.json")
        self.assertEqual(len(body), 1)
        self.assertEqual(body[0]["service_request_id"], str(self.public.pk))
        root = xml_of(self.get(f"/requests/{self.public.pk}.xml"))
        self.assertEqual(root.find("request/service_request_id").text, str(self.public.pk))

    def test_a_report_that_is_not_public_is_404_like_one_that_does_not_exist(self):
        self.assert_error(self.get(f"/requests/{self.partnership.pk}.json"), 404)
        self.assert_error(self.get("/requests/not-a-uuid.xml"), 404)

    def test_a_withdrawn_report_leaves_the_list(self):
        from trygg.reports.actions import withdraw_report

        withdraw_report(report=self.public, by=self.w.karl)
        self.assertNotIn(str(self.public.pk), self.ids())
        self.assert_error(self.get(f"/requests/{self.public.pk}.json"), 404)

    def test_status_selects_open_or_closed(self):
        self.assertEqual(self.ids(status="closed"), {str(self.closed.pk)})
        self.assertEqual(self.ids(status="open"), {str(self.public.pk)})
        self.assertEqual(len(self.ids(status="open,closed")), 2)
        self.assert_error(self.get("/requests.json", status="reviewed"), 400)

    def test_service_code_selects_one_or_several(self):
        self.assertEqual(self.ids(service_code="broken_glass"), {str(self.closed.pk)})
        self.assertEqual(len(self.ids(service_code="graffiti,broken_glass")), 2)

    def test_service_request_id_overrides_every_other_filter(self):
        found = self.ids(
            service_request_id=f"{self.public.pk},{self.partnership.pk}",
            status="closed",
            service_code="broken_glass",
            start_date="2020-01-01T00:00:00Z",
            end_date="2020-02-01T00:00:00Z",
        )
        self.assertEqual(found, {str(self.public.pk)}, "and still never a non-public one")

    def test_every_empty_parameter_counts_as_absent(self):
        names = [
            "jurisdiction_id", "service_request_id", "service_code", "start_date", "end_date",
            "status", "updated_after", "updated_before", "page", "page_size", "bbox", "extensions",
        ]  # fmt: skip
        empty = dict.fromkeys(names, "")
        self.assertEqual(self.get_json("/requests.json", **empty), self.get_json("/requests.json"))


class LimitTests(Open311TestCase):
    def age(self, report, days):
        Report.objects.filter(pk=report.pk).update(
            reported_at=timezone.now() - timedelta(days=days)
        )

    def test_by_default_only_the_last_90_days_are_listed(self):
        self.age(self.public, 91)
        self.assertEqual(self.ids(), {str(self.closed.pk)})
        self.assertIn(str(self.public.pk), self.ids(start_date=self.ago(100)))

    def ago(self, days):
        return (timezone.now() - timedelta(days=days)).isoformat()

    def test_a_span_over_90_days_is_refused_naming_the_field(self):
        response = self.get("/requests.json", start_date=self.ago(100), end_date=self.ago(5))
        self.assertIn("end_date", self.assert_error(response, 400))

    def test_a_date_that_is_not_w3c_is_refused(self):
        self.assertIn(
            "start_date", self.assert_error(self.get("/requests.xml", start_date="igår"), 400)
        )

    def test_start_and_end_select_by_requested_time(self):
        self.age(self.public, 30)
        found = self.ids(start_date=self.ago(31), end_date=self.ago(29))
        self.assertEqual(found, {str(self.public.pk)})

    def test_at_most_1000_requests_come_by_default(self):
        items = [report_data(sharing="public") for _ in range(1001)]
        submit_reports(organisation=self.w.orgs["bostad"], by=self.w.karl, items=items)
        self.assertEqual(len(self.get_json("/requests.json")), 1000)
        self.assert_error(self.get("/requests.json", page_size="1001"), 400)

    def test_pages_follow_each_other_newest_first(self):
        first = self.get_json("/requests.json", page_size="1")
        second = self.get_json("/requests.json", page_size="1", page="2")
        both = self.get_json("/requests.json")
        self.assertEqual(first + second, both)
        self.assertEqual(self.get_json("/requests.json", page_size="1", page="3"), [])
        self.assert_error(self.get("/requests.json", page="0"), 400)

    def test_updated_after_and_before_select_by_the_last_change(self):
        self.age(self.public, 10)
        self.age(self.closed, 10)  # closed just now (setUpTestData): updated today
        self.assertEqual(self.ids(updated_after=self.ago(1)), {str(self.closed.pk)})
        self.assertEqual(self.ids(updated_before=self.ago(1)), {str(self.public.pk)})


class ExtensionTests(Open311TestCase):
    def test_extensions_add_extended_attributes_and_the_status_history(self):
        by_id = {
            r["service_request_id"]: r for r in self.get_json("/requests.json", extensions="true")
        }
        closed = by_id[str(self.closed.pk)]
        self.assertEqual(closed["extended_attributes"]["trygg_status"], "closed")
        self.assertEqual(closed["extended_attributes"]["detailed_status"], "PROCESSED")
        [note] = closed["notes"]
        self.assertEqual((note["type"], note["description"]), ("status", "Avslutad"))
        self.assertNotIn("extended_attributes", self.get_json("/requests.json")[0])

    def test_extensions_in_xml_are_nested_elements(self):
        root = xml_of(self.get("/requests.xml", extensions="true"))
        self.assertIsNotNone(root.find("request/extended_attributes/trygg_status"))
        notes = [n for n in root.findall("request/notes/note")]
        self.assertEqual(notes[0].findtext("type"), "status")

    def test_a_bbox_selects_by_the_rounded_position(self):
        west_half = self.ids(bbox="14.60,63.15,14.645,63.20")
        self.assertEqual(west_half, {str(self.public.pk)})
        self.assertEqual(self.ids(bbox="14.655,63.15,14.70,63.20"), {str(self.closed.pk)})
        self.assertIn("bbox", self.assert_error(self.get("/requests.json", bbox="1,2,3"), 400))

    def test_a_small_box_around_the_true_place_does_not_find_the_report(self):
        lat, lon = INSIDE_CENTRUM
        [record] = self.get_json(f"/requests/{self.public.pk}.json")
        self.assertNotEqual((record["lat"], record["long"]), (lat, lon))
        box = f"{lon - 0.0001},{lat - 0.0001},{lon + 0.0001},{lat + 0.0001}"
        self.assertNotIn(str(self.public.pk), self.ids(bbox=box))
        d = 0.0001
        around_centre = (
            f"{record['long'] - d},{record['lat'] - d},{record['long'] + d},{record['lat'] + d}"
        )
        self.assertIn(str(self.public.pk), self.ids(bbox=around_centre))

    def test_status_updates_flow_back_as_fixmystreet_reads_them(self):
        updates = self.get_json("/servicerequestupdates.json")
        self.assertEqual(len(updates), 1)
        [update] = updates
        self.assertEqual(update["service_request_id"], str(self.closed.pk))
        self.assertEqual((update["status"], update["external_status_code"]), ("closed", "closed"))
        fixmystreet_reads = {"update_id", "service_request_id", "status", "updated_datetime"}
        self.assertLessEqual(fixmystreet_reads | {"description", "media_url"}, set(update))
        self.assertNotIn(SECRET, json.dumps(updates), "the closing comment stays private")
        root = xml_of(self.get("/servicerequestupdates.xml"))
        self.assertEqual(root.tag, "service_requests_updates", "FixMyStreet's own element name")
        self.assertEqual([child.tag for child in root], ["request_update"])
        self.assertEqual(root.find("request_update/update_id").text, update["update_id"])

    def test_updates_of_reports_that_are_not_public_do_not_flow(self):
        change_report_status(report=self.partnership, by=self.w.anna, to="reviewed")
        ids = {u["service_request_id"] for u in self.get_json("/servicerequestupdates.json")}
        self.assertEqual(ids, {str(self.closed.pk)})
        old = (timezone.now() - timedelta(days=30)).isoformat()
        self.assertEqual(self.get_json("/servicerequestupdates.json", end_date=old), [])


class NoPersonalDataTests(Open311TestCase):
    def public_output(self):
        paths = ["/requests.json", "/requests.xml", f"/requests/{self.public.pk}.json"]
        paths += ["/servicerequestupdates.xml", "/requests.json?extensions=true"]
        return b"".join(self.client.get(BASE + p).content for p in paths).decode()

    def test_no_free_text_address_reporter_or_organisation_is_shown(self):
        output = self.public_output()
        for private in (SECRET, "Storgatan", "karl", "Bostaden", "[telefonnummer]"):
            self.assertNotIn(private, output)

    def test_the_position_is_the_centre_of_its_cell_of_the_lagesbild_grid(self):
        grid = study_area(self.w.ostersund).grid
        [record] = self.get_json(f"/requests/{self.public.pk}.json")
        x, y = to_sweref(np.array([record["lat"]]), np.array([record["long"]]))
        column = (x[0] - grid.x0) / grid.cell
        row = (y[0] - grid.y0) / grid.cell
        self.assertAlmostEqual(column % 1, 0.5, places=2)
        self.assertAlmostEqual(row % 1, 0.5, places=2)
        self.assertEqual(math.floor(column), math.floor((self.public.x - grid.x0) / grid.cell))
        self.assertEqual(math.floor(row), math.floor((self.public.y - grid.y0) / grid.cell))


class PostTests(Open311TestCase):
    def post(self, fmt="json", key=None, query="", **fields):
        body = {"service_code": "graffiti", "lat": "63.16", "long": "14.61", **fields}
        if key is not False:
            body.setdefault("api_key", key or self.karl_key)
        return self.client.post(f"{BASE}/requests.{fmt}{query}", body)

    def created(self, response):
        self.assertEqual(response.status_code, 201, response.content)
        [answer] = json_of(response)
        self.assertEqual(set(answer), {"service_request_id", "service_notice", "account_id"})
        return Report.objects.get(pk=answer["service_request_id"])

    def test_a_key_holder_files_a_report_for_his_organisation(self):
        report = self.created(self.post(description="Klotter på väggen", email="a@b.se"))
        self.assertEqual(report.organisation, self.w.orgs["bostad"])
        self.assertEqual(report.reporter, self.w.karl)
        self.assertEqual(report.source, Report.Source.OPEN311)
        self.assertEqual(report.category.code, "graffiti")
        self.assertEqual(report.description, "Klotter på väggen")
        self.assertEqual(report.sharing, Report.Sharing.PARTNERSHIP)
        self.assertEqual(response_cache := self.post()["Cache-Control"], "private, no-store")
        self.assertTrue(response_cache)

    def test_the_key_may_come_in_the_query_string(self):
        self.created(self.post(key=False, query=f"?api_key={self.karl_key}"))

    def test_the_answer_in_xml_is_service_requests_of_request(self):
        response = self.post(fmt="xml")
        self.assertEqual(response.status_code, 201)
        root = xml_of(response)
        self.assertEqual(root.tag, "service_requests")
        self.assertTrue(Report.objects.filter(pk=root.findtext("request/service_request_id")))

    def test_attributes_set_the_extra_fields(self):
        report = self.created(
            self.post(**{
                "attribute[place_type]": "stairwell", "attribute[persons]": "3",
                "attribute[creates_insecurity]": "yes", "attribute[sharing]": "public",
            })
        )  # fmt: skip
        self.assertEqual(
            (report.place_type, report.persons, report.creates_insecurity, report.sharing),
            ("stairwell", 3, "yes", "public"),
        )
        self.assertIn(str(report.pk), self.ids())

    def test_a_multipart_post_carries_a_photo(self):
        report = self.created(self.post(media=jpeg()))
        self.assertTrue(report.photo.name)

    def test_without_key_or_with_a_bad_one_it_is_403(self):
        for key in (False, "trygg_nonsense"):
            with self.subTest(key=key):
                response = self.post(key=key)
                self.assertIn("api_key", self.assert_error(response, 403))
        self.assertFalse(Report.objects.filter(source=Report.Source.OPEN311).exists())

    def test_an_organisation_key_files_the_report_as_the_organisation_with_no_reporter(self):
        key, secret = create_organisation_key(
            organisation=self.w.orgs["vakt"], by=self.w.anna, name="Vaktbolagets app"
        )
        report = self.created(self.post(key=secret, jurisdiction_id="2380"))
        self.assertEqual(report.organisation, self.w.orgs["vakt"])
        self.assertIsNone(report.reporter, "the organisation's system filed it, not a person")
        self.assertEqual(report.source, Report.Source.OPEN311)
        key.refresh_from_db()
        self.assertIsNotNone(key.last_used_at)

    def test_a_revoked_or_foreign_organisation_key_is_403(self):
        key, secret = create_organisation_key(
            organisation=self.w.orgs["vakt"], by=self.w.anna, name="App"
        )
        self.assert_error(self.post(key=secret, jurisdiction_id="2309"), 403)
        revoke_organisation_key(key=key)
        self.assertIn("api_key", self.assert_error(self.post(key=secret), 403))
        self.assertFalse(Report.objects.filter(source=Report.Source.OPEN311).exists())

    def test_a_key_of_someone_in_no_organisation_is_403(self):
        otto = create_api_token(user=self.w.otto, name="x")[1]
        self.assert_error(self.post(key=otto), 403)

    def test_bad_values_come_back_as_open311_errors_naming_each_field(self):
        response = self.post(**{"attribute[persons]": "many", "lat": str(OUTSIDE[0])})
        self.assertEqual(response.status_code, 400)
        descriptions = [e["description"] for e in json_of(response)]
        self.assertTrue(any(d.startswith("attribute[persons]:") for d in descriptions))
        self.assertTrue(any(d.startswith("lat:") for d in descriptions))

    def test_an_unknown_service_code_is_404_and_a_missing_one_400(self):
        self.assertIn("service_code", self.assert_error(self.post(service_code="nothing"), 404))
        self.assertIn("service_code", self.assert_error(self.post(service_code=""), 400))

    def test_an_attribute_the_definition_does_not_list_is_refused(self):
        self.assertIn(
            "attribute[colour]", self.assert_error(self.post(**{"attribute[colour]": "red"}), 400)
        )

    def test_an_address_string_naming_an_area_places_the_report_in_it(self):
        report = self.created(self.post(lat="", long="", address_string="centrum"))
        self.assertEqual(report.area, self.w.centrum)
        self.assertEqual(report.address, "centrum")
        self.assertIn(
            "address_string",
            self.assert_error(self.post(lat="", long="", address_string="Storgatan 1"), 400),
        )
        self.assertIn("lat", self.assert_error(self.post(lat="", long=""), 400))

    def test_a_post_needs_no_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        body = {
            "service_code": "graffiti",
            "lat": "63.16",
            "long": "14.61",
            "api_key": self.karl_key,
        }
        self.assertEqual(client.post(f"{BASE}/requests.json", body).status_code, 201)

    def test_a_jurisdiction_that_is_not_the_organisations_is_403(self):
        self.assert_error(self.post(jurisdiction_id="2309"), 403)
        self.created(self.post(jurisdiction_id="2380"))


class TokenTests(Open311TestCase):
    def test_the_id_a_post_returned_is_its_token(self):
        body = {
            "service_code": "graffiti",
            "lat": "63.16",
            "long": "14.61",
            "api_key": self.karl_key,
        }
        [answer] = json_of(self.client.post(f"{BASE}/requests.json", body))
        request_id = answer["service_request_id"]
        [found] = self.get_json(f"/tokens/{request_id}.json")
        self.assertEqual(found, {"service_request_id": request_id, "token": request_id})
        root = xml_of(self.get(f"/tokens/{request_id}.xml"))
        self.assertEqual(root.find("request/token").text, request_id)

    def test_a_token_nobody_was_given_is_404(self):
        self.assert_error(self.get(f"/tokens/{self.public.pk}.json"), 404)
        self.assert_error(self.get("/tokens/nonsense.xml"), 404)


class MoreTests(Open311TestCase):
    def test_an_occurred_at_attribute_sets_when_it_happened(self):
        from datetime import UTC

        yesterday = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
        body = {
            "service_code": "graffiti", "lat": "63.16", "long": "14.61", "api_key": self.karl_key,
            "attribute[occurred_at]": yesterday.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }  # fmt: skip
        [answer] = json_of(self.client.post(f"{BASE}/requests.json", body))
        self.assertEqual(Report.objects.get(pk=answer["service_request_id"]).occurred_at, yesterday)

    def test_a_coordinator_without_second_factor_in_the_session_still_reads_it(self):
        self.client.force_login(self.w.anna)  # logged in, second factor not yet given
        self.assertEqual(self.get("/services.json").status_code, 200)

    def test_updates_refuse_a_bad_date_naming_it(self):
        response = self.get("/servicerequestupdates.json", start_date="someday")
        self.assertIn("start_date", self.assert_error(response, 400))

    def test_updates_are_not_posted_here(self):
        self.assertEqual(self.client.post(BASE + "/servicerequestupdates.json").status_code, 400)
