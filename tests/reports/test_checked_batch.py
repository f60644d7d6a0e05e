"""check_reports and store_checked_reports: a batch whose good items are kept (file imports)."""

from __future__ import annotations

from tests.world import OUTSIDE, TryggTestCase, report_data
from trygg.core.errors import InputRejected
from trygg.reports.actions import check_reports, store_checked_reports
from trygg.reports.intake import context_for, validate_items
from trygg.reports.models import Report


class CheckedBatchTests(TryggTestCase):
    def test_the_good_items_pass_as_validate_items_passes_them_and_the_bad_are_named(self):
        org = self.w.orgs["bostad"]
        items = [
            report_data(client_id="a", description="Ring 070-123 45 67"),
            report_data(category="no-such"),
            report_data(lat=OUTSIDE[0], lon=OUTSIDE[1]),
            report_data(client_id="d"),
        ]
        checked = check_reports(organisation=org, items=items)
        self.assertEqual([e.index for e in checked.errors], [1, 2])
        self.assertEqual([r is None for r in checked.rows], [False, True, True, False])
        alone = validate_items([items[0], items[3]], context_for(org.municipality, now=checked.now))
        self.assertEqual(checked.valid, alone)
        with self.assertRaises(InputRejected):
            validate_items(items, context_for(org.municipality))
        batch = store_checked_reports(checked=checked, by=self.w.karl, source="import")
        self.assertEqual((batch.created, batch.existing), (2, 0))
        again = store_checked_reports(checked=checked, by=self.w.karl, source="import")
        self.assertEqual((again.created, again.existing), (0, 2))
        self.assertEqual(Report.objects.filter(source="import").count(), 2)
