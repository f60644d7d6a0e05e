"""Export → import into an empty database gives the same reports, for GeoJSON and XLSX."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.world import INSIDE_CENTRUM, INSIDE_LUGNVIK, TryggTestCase, sign_in
from trygg.imports.actions import import_file
from trygg.imports.convert import category_words, suggested_categories, suggested_columns
from trygg.imports.parsing import read_file
from trygg.reports.actions import submit_reports
from trygg.reports.models import Category, DailyCount, Report

FIELDS = (
    "category_id", "occurred_at", "occurred_to", "lat", "lon", "area_id", "address",
    "place_type", "persons", "creates_insecurity", "description", "reported_to_police",
    "damage_cost_sek", "sharing", "organisation_id", "municipality_id",
)  # fmt: skip


class RoundTripTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = timezone.now().replace(microsecond=0) - timedelta(days=5)
        items = [
            {
                "category": "graffiti", "lat": INSIDE_CENTRUM[0], "lon": INSIDE_CENTRUM[1],
                "occurred_at": start.isoformat(),
                "occurred_to": (start + timedelta(hours=9, minutes=30)).isoformat(),
                "address": "Storgatan 1", "place_type": "stairwell", "persons": 4,
                "creates_insecurity": "yes", "description": "Klotter; \"tags\", åäö = +1",
                "reported_to_police": True, "damage_cost_sek": 12500, "sharing": "public",
            },
            {
                "category": "broken_glass", "lat": INSIDE_LUGNVIK[0] + 0.000123456,
                "lon": INSIDE_LUGNVIK[1], "occurred_at": (start + timedelta(days=1)).isoformat(),
                "reported_to_police": False,
            },
            {"category": "fight", "lat": 63.1789, "lon": 14.6111,
             "occurred_at": (start + timedelta(days=2, seconds=17)).isoformat()},
        ]  # fmt: skip
        submit_reports(organisation=cls.w.orgs["bostad"], by=cls.w.karl, items=items)

    def snapshot(self):
        return sorted(
            tuple(round(v, 9) if isinstance(v, float) else v for v in row)
            for row in Report.objects.values_list(*FIELDS)
        )

    def round_trip(self, path: str, name: str) -> None:
        before = self.snapshot()
        sign_in(self.client, self.w.karl)
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        Report.objects.all().delete()
        DailyCount.objects.all().delete()
        # No mapping by hand: the export's headers and codes are recognised as they are.
        sheet = read_file(content)
        columns = suggested_columns(sheet.headers, {})
        words = category_words(sheet, columns["category"])
        categories = suggested_categories(words, {}, list(Category.objects.all()))
        run = import_file(
            organisation=self.w.orgs["bostad"], by=self.w.karl, name=name, content=content,
            columns=columns, categories=categories,
        )  # fmt: skip
        self.assertEqual((run.created, run.rejected, run.errors), (3, 0, []))
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(sum(DailyCount.objects.values_list("n", flat=True)), 3)

    def test_a_geojson_export_imports_back_into_the_same_reports(self):
        self.round_trip("/rapporter/export.geojson", "rapporter.geojson")

    def test_an_xlsx_export_imports_back_into_the_same_reports(self):
        self.round_trip("/rapporter/export.xlsx", "rapporter.xlsx")

    def test_the_export_leaves_out_free_text_the_reader_may_not_see(self):
        sign_in(self.client, self.w.sara)  # a partner of another organisation
        data = self.client.get("/rapporter/export.geojson").json()
        texts = {f["properties"]["description"] for f in data["features"]}
        self.assertEqual(texts, {""})
