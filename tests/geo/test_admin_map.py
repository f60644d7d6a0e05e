"""The admin in Swedish, and an area's change page drawing its stored outline on a map."""

from __future__ import annotations

import json
import re

from django.urls import reverse

from tests.world import CENTRUM, TryggTestCase, sign_in
from trygg.demo.people import grant_admin


class AreaAdminMapTests(TryggTestCase):
    def setUp(self) -> None:
        grant_admin(self.w.adam)  # the demo's administrator: staff, not superuser
        sign_in(self.client, self.w.adam)

    def test_an_areas_change_page_carries_the_map_and_its_stored_outline(self):
        url = reverse("admin:geo_area_change", args=[self.w.centrum.pk])
        page = self.client.get(url).content.decode()
        self.assertIn('id="area-map"', page)
        self.assertIn("trygg/area_admin.js", page)
        outline = re.search(
            r'<script id="area-outline" type="application/json">(.*?)</script>', page
        )
        self.assertIsNotNone(outline)
        self.assertEqual(json.loads(outline[1]), CENTRUM)

    def test_the_change_page_has_no_inline_script(self):
        url = reverse("admin:geo_area_change", args=[self.w.centrum.pk])
        page = self.client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", page):
            self.assertTrue("src=" in tag or 'type="application/json"' in tag, tag)

    def test_the_add_page_has_no_map_to_draw(self):
        self.assertNotContains(self.client.get(reverse("admin:geo_area_add")), 'id="area-map"')

    def test_the_admin_index_names_the_apps_in_swedish(self):
        index = self.client.get(reverse("admin:index"))
        for heading in ("Geografi", "Samverkan", "Rapporter", "Områden", "Medlemskap"):
            self.assertContains(index, heading)
        for english in ("Geography", "Partnerships", ">Reports<", ">Geo<"):
            self.assertNotContains(index, english)
