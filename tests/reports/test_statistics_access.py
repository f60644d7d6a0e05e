"""The one read of reports past the viewer rules: statistics of a municipality, no free text."""

from __future__ import annotations

import re
from pathlib import Path

from tests.world import TryggTestCase, report_data
from trygg.reports.access import reports_for_statistics
from trygg.reports.actions import submit_report

TRYGG = Path(__file__).resolve().parents[2] / "trygg"


class ReportsForStatisticsTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.private, _ = submit_report(
            organisation=cls.w.orgs["bostad"],
            by=cls.w.karl,
            data=report_data(description="secret-text", sharing="organisation"),
        )

    def test_it_counts_reports_that_no_other_organisation_may_see(self):
        rows = reports_for_statistics("x", "y", municipality_id=self.w.ostersund.pk)
        self.assertEqual(list(rows), [(self.private.x, self.private.y)])

    def test_it_reads_an_area_as_a_scope(self):
        rows = reports_for_statistics("occurred_at", area=self.w.centrum)
        self.assertEqual(list(rows), [(self.private.occurred_at,)])

    def test_it_refuses_to_read_free_text_or_the_reporter(self):
        for column in ("description", "address", "photo", "reporter_id", "client_id"):
            with self.subTest(column=column), self.assertRaises(ValueError):
                reports_for_statistics(column, municipality_id=self.w.ostersund.pk)

    def test_it_refuses_to_filter_on_free_text(self):
        with self.assertRaises(ValueError):
            reports_for_statistics(
                "x", municipality_id=self.w.ostersund.pk, description__icontains="secret"
            )

    def test_it_refuses_a_read_without_a_municipality_or_area(self):
        with self.assertRaises(ValueError):
            reports_for_statistics("x", category_id__in=[self.private.category_id])


def test_only_the_reports_app_reads_the_report_table_directly():
    """Elsewhere reports are read through reports.access (viewer rules or statistics)."""
    readers = [
        str(path.relative_to(TRYGG))
        for path in TRYGG.rglob("*.py")
        if "reports" not in path.relative_to(TRYGG).parts[:1]
        and re.search(r"\bReport\.(objects|_base_manager|_default_manager)\b", path.read_text())
    ]
    assert readers == []
