"""Uploading areas as GeoJSON through the admin, as a staff user with area permissions."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.world import LUGNVIK, TryggTestCase, sign_in, square
from trygg.geo.models import Area

URL = reverse("admin:geo_area_upload")


def polygon(west: float, south: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [square(west, south, west + 0.01, south + 0.01)]}


def feature(name: str, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"namn": name}, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[14.60, 63.15], [14.61, 63.16], [14.61, 63.15], [14.60, 63.16], [14.60, 63.15]]
    ],
}
LINE = {"type": "LineString", "coordinates": [[14.60, 63.15], [14.61, 63.16]]}


class AreaUploadTests(TryggTestCase):
    def setUp(self) -> None:
        # adam administers the municipality: staff with the area permissions only.
        self.w.adam.is_staff = True
        self.w.adam.save()
        perms = Permission.objects.filter(content_type__app_label="geo")
        self.w.adam.user_permissions.set(perms)
        sign_in(self.client, self.w.adam)
        # The messages asserted below are the English originals: adam chose English.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def upload(self, document: Any, *, filename: str = "areas.geojson", **fields: Any):
        data = {
            "municipality": self.w.ostersund.pk,
            "name_property": "namn",
            "kind": "residential",
            "file": SimpleUploadedFile(filename, json.dumps(document).encode()),
            **fields,
        }
        return self.client.post(URL, data)

    def names(self) -> set[str]:
        return set(
            Area.objects.filter(municipality=self.w.ostersund).values_list("name", flat=True)
        )

    def test_it_creates_one_area_per_feature(self):
        response = self.upload(
            collection(
                feature("Odensala", polygon(14.61, 63.16)),
                feature("Brittsbo", polygon(14.66, 63.16)),
            )
        )
        self.assertRedirects(response, reverse("admin:geo_area_changelist"))
        self.assertEqual(self.names(), {"Centrum", "Lugnvik", "Odensala", "Brittsbo"})
        odensala = Area.objects.get(name="Odensala")
        self.assertEqual(odensala.kind, "residential")
        self.assertEqual(odensala.geometry, polygon(14.61, 63.16))

    def test_a_bad_feature_saves_nothing_and_is_named(self):
        response = self.upload(
            collection(feature("Odensala", polygon(14.61, 63.16)), feature("Spåret", LINE))
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Feature 1 (Spåret)")
        self.assertContains(response, "LineString")
        self.assertEqual(self.names(), {"Centrum", "Lugnvik"})

    def test_it_names_every_bad_feature(self):
        sweref = {"type": "Polygon", "coordinates": [square(470000, 7000000, 471000, 7001000)]}
        response = self.upload(
            collection(
                feature("Rosett", BOWTIE),
                feature("Ok", polygon(14.61, 63.16)),
                feature("Meter", sweref),
                {"type": "Feature", "properties": {}, "geometry": polygon(14.62, 63.16)},
            )
        )
        self.assertContains(response, "Feature 0 (Rosett): invalid geometry")
        self.assertContains(response, "Feature 2 (Meter): coordinates are not WGS84")
        self.assertContains(response, "Feature 3: no name in property")
        self.assertNotContains(response, "Feature 1")
        self.assertEqual(self.names(), {"Centrum", "Lugnvik"})

    def test_it_accepts_a_single_geometry_with_a_name(self):
        response = self.upload(polygon(14.61, 63.16), name="Parken")
        self.assertEqual(response.status_code, 302)
        self.assertIn("Parken", self.names())

    def test_uploading_again_replaces_the_geometry(self):
        self.upload(collection(feature("Centrum", polygon(14.61, 63.16))))
        self.assertEqual(Area.objects.filter(name="Centrum").count(), 1)
        self.assertEqual(Area.objects.get(name="Centrum").geometry, polygon(14.61, 63.16))

    def test_it_refuses_a_file_that_is_not_json(self):
        response = self.client.post(
            URL,
            {
                "municipality": self.w.ostersund.pk,
                "name_property": "name",
                "kind": "other",
                "file": SimpleUploadedFile("areas.geojson", b"{not json"),
            },
        )
        self.assertContains(response, "not valid JSON")

    def test_the_area_list_links_to_the_upload(self):
        response = self.client.get(reverse("admin:geo_area_changelist"))
        self.assertContains(response, URL)
        self.assertEqual(self.client.get(URL).status_code, 200)

    def test_staff_without_area_permissions_may_not_upload(self):
        clerk = User.objects.create_user("clerk", is_staff=True)
        sign_in(self.client, clerk)
        self.assertEqual(
            self.upload(collection(feature("X", polygon(14.61, 63.16)))).status_code, 403
        )
        self.assertNotIn("X", self.names())

    def test_the_change_form_refuses_an_invalid_geometry(self):
        area = self.w.lugnvik
        response = self.client.post(
            reverse("admin:geo_area_change", args=[area.pk]),
            {
                "municipality": self.w.ostersund.pk,
                "name": "Lugnvik",
                "kind": "residential",
                "geometry": json.dumps(BOWTIE),
                "priority": 0,
            },
        )
        self.assertContains(response, "invalid geometry")
        area.refresh_from_db()
        self.assertEqual(area.geometry, LUGNVIK)
