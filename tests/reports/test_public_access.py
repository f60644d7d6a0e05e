"""The public reads of reports (Open311): public reports only, and nothing individual."""

from __future__ import annotations

from tests.world import TryggTestCase, report_data
from trygg.reports.access import public_reports, public_status_changes
from trygg.reports.actions import change_report_status, submit_report, withdraw_report


class PublicReportsTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        bostad, karl = cls.w.orgs["bostad"], cls.w.karl
        cls.public, _ = submit_report(
            organisation=bostad, by=karl, data=report_data(sharing="public", description="x")
        )
        cls.shared, _ = submit_report(organisation=bostad, by=karl, data=report_data())
        cls.own, _ = submit_report(
            organisation=bostad, by=karl, data=report_data(sharing="organisation")
        )

    def test_it_reads_only_reports_shared_as_public(self):
        self.assertEqual([r["pk"] for r in public_reports()], [self.public.pk])

    def test_it_gives_no_free_text_reporter_or_organisation(self):
        [row] = public_reports()
        self.assertEqual(
            set(row),
            {"pk", "municipality_id", "category_id", "status", "reported_at", "updated", "x", "y"},
        )

    def test_it_refuses_to_filter_on_free_text_or_the_reporter(self):
        for key in ("description__icontains", "reporter", "organisation_id", "address"):
            with self.subTest(key=key), self.assertRaises(ValueError):
                public_reports(**{key: "x"})

    def test_a_withdrawn_report_is_not_public_any_more(self):
        withdraw_report(report=self.public, by=self.w.karl)
        self.assertEqual(list(public_reports()), [])

    def test_the_last_status_change_is_the_update_time(self):
        change_report_status(report=self.public, by=self.w.anna, to="reviewed")
        change_report_status(report=self.shared, by=self.w.anna, to="reviewed")
        [change] = public_status_changes()
        [row] = public_reports()
        self.assertEqual((change["report_id"], change["at"]), (self.public.pk, row["updated"]))
        self.assertEqual(set(change), {"pk", "report_id", "at", "old", "new"})
