"""One read model per report: every rendering shows the same fields, free text by access."""

from __future__ import annotations

from tests.world import TryggTestCase, report_data, sign_in
from trygg.reports.actions import submit_report
from trygg.reports.models import Report
from trygg.reports.records import ShownReport, report_feature


class ShownReportTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report, _ = submit_report(
            organisation=cls.w.orgs["bostad"],
            by=cls.w.karl,
            data=report_data(description="secret-note", address="Storgatan 1"),
        )

    def loaded(self) -> Report:
        return Report.objects.select_related("category", "area", "reporter").get(pk=self.report.pk)

    def test_without_details_a_page_gets_no_free_text_address_photo_or_reporter(self):
        shown = ShownReport(self.loaded(), details=False)
        self.assertEqual((shown.description, shown.address), ("", ""))
        self.assertIsNone(shown.reporter)
        self.assertFalse(shown.has_photo)
        self.assertIsNone(report_feature(shown)["properties"]["description"])

    def test_with_details_a_page_gets_them(self):
        shown = ShownReport(self.loaded(), details=True)
        self.assertEqual((shown.description, shown.address), ("secret-note", "Storgatan 1"))
        self.assertEqual(shown.reporter, self.w.karl)
        self.assertEqual(report_feature(shown)["properties"]["description"], "secret-note")

    def test_the_list_page_shows_a_partner_no_free_text_and_a_coordinator_all(self):
        for user, seen in ((self.w.sara, False), (self.w.anna, True)):
            with self.subTest(user=user.username):
                sign_in(self.client, user)
                page = self.client.get("/rapporter/").content.decode()
                self.assertIn(self.report.category.name, page)
                self.assertEqual("secret-note" in page, seen)
                self.assertEqual("karl" in page, seen)
