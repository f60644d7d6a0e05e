"""A real Open311 client against a live server: PyPI's `georeport`, in JSON and in XML.

`georeport` reads services, a service definition, request lists and single
requests; it has no call for discovery or for POST, so those go through
`requests`, the HTTP library it uses itself, as its users would.
"""

from __future__ import annotations

import io

import pytest
import requests
import xmltodict
from georeport import GeoReport
from PIL import Image

from tests.world import INSIDE_LUGNVIK, build_world, report_data
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_report
from trygg.reports.models import Report

# serialized_rollback: the flush after a transactional test would drop the
# categories a data migration made, which the rest of the suite needs.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FORMATS = ["json", "xml"]


@pytest.fixture
def world():
    world = build_world()
    bostad = world.orgs["bostad"]
    lat, lon = INSIDE_LUGNVIK
    world.public, _ = submit_report(
        organisation=bostad, by=world.karl, data=report_data(sharing="public")
    )
    world.other, _ = submit_report(
        organisation=bostad,
        by=world.karl,
        data=report_data(sharing="public", category="broken_glass", lat=lat, lon=lon),
    )
    world.key = create_api_token(user=world.karl, name="georeport")[1]
    return world


def endpoint(live_server) -> str:
    return f"{live_server.url}/open311/v2"


def client(live_server, fmt: str, jurisdiction: str | None = "2380") -> GeoReport:
    return GeoReport(endpoint(live_server), jurisdiction=jurisdiction, output_format=fmt)


def as_list(found):
    """georeport's XML answer to a list of one is the one (xmltodict cannot tell)."""
    return found if isinstance(found, list) else [found]


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def test_discovery_reads_alike_in_both_formats(live_server, world):
    as_json = requests.get(f"{endpoint(live_server)}/discovery.json", timeout=10).json()
    response = requests.get(f"{endpoint(live_server)}/discovery.xml", timeout=10)
    as_xml = xmltodict.parse(response.content)["discovery"]
    assert as_xml["contact"] == as_json["contact"]
    assert as_xml["endpoints"]["endpoint"]["url"] == as_json["endpoints"][0]["url"]
    assert as_json["endpoints"][0]["url"] == endpoint(live_server)
    assert (
        as_xml["endpoints"]["endpoint"]["formats"]["format"] == as_json["endpoints"][0]["formats"]
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_georeport_reads_the_service_list_and_a_definition(live_server, world, fmt):
    geo = client(live_server, fmt)
    services = {s["service_code"]: s for s in geo.get_service_list()}
    assert services["graffiti"]["service_name"] == "Klotter"
    assert str(services["graffiti"]["metadata"]).lower() == "true"
    definition = geo.get_service_definition("graffiti")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes][:3] == ["place_type", "persons", "creates_insecurity"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_georeport_lists_and_reads_requests(live_server, world, fmt):
    geo = client(live_server, fmt)
    found = geo.get_service_requests()
    assert {r["service_request_id"] for r in found} == {str(world.public.pk), str(world.other.pk)}
    [glass] = as_list(geo.get_service_requests(service_code="broken_glass", status="open"))
    assert glass["service_request_id"] == str(world.other.pk)
    one = geo.get_service_request(str(world.public.pk))
    assert one["service_code"] == "graffiti"
    assert float(one["lat"]) != report_data()["lat"], "the position is rounded to the grid"


def test_georeport_without_jurisdiction_sees_the_same(live_server, world):
    with_code = client(live_server, "json").get_service_requests()
    assert client(live_server, "json", jurisdiction=None).get_service_requests() == with_code


def test_georeport_gets_the_specs_http_errors(live_server, world):
    with pytest.raises(requests.HTTPError) as caught:
        client(live_server, "xml").get_service_definition("nothing")
    assert caught.value.response.status_code == 404
    with pytest.raises(requests.HTTPError) as caught:
        client(live_server, "json", jurisdiction="9999").get_service_list()
    assert caught.value.response.status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posted_request_with_a_photo_is_read_back_by_georeport(live_server, world, fmt):
    body = {
        "api_key": world.key, "service_code": "graffiti", "lat": "63.16", "long": "14.61",
        "description": "Klotter på garagedörren", "attribute[sharing]": "public",
        "attribute[place_type]": "garage", "jurisdiction_id": "2380",
    }  # fmt: skip
    files = {"media": ("photo.jpg", jpeg(), "image/jpeg")}
    response = requests.post(f"{endpoint(live_server)}/requests.{fmt}", data=body, files=files)
    assert response.status_code == 201, response.text
    if fmt == "json":
        request_id = response.json()[0]["service_request_id"]
    else:
        parsed = xmltodict.parse(response.content)
        request_id = parsed["service_requests"]["request"]["service_request_id"]
    report = Report.objects.get(pk=request_id)
    assert (report.source, report.place_type, bool(report.photo)) == ("open311", "garage", True)
    read = client(live_server, fmt).get_service_request(request_id)
    assert read["service_request_id"] == request_id
    assert not read["description"], "free text is not published"


def test_a_form_encoded_post_without_key_is_403(live_server, world):
    body = {"service_code": "graffiti", "lat": "63.16", "long": "14.61"}
    response = requests.post(f"{endpoint(live_server)}/requests.json", data=body, timeout=10)
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
