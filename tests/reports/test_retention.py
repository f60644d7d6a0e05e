"""Retention: free text, addresses and photos go after N months (24 by default); counts stay."""

import io
from datetime import UTC, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Sum
from PIL import Image

from tests.world import TryggTestCase, report_data
from trygg.reports.actions import (
    comment_on_report,
    correct_report,
    months_before,
    remove_expired_details,
    submit_reports,
)
from trygg.reports.models import DailyCount, Report, ReportComment, ReportEvent
from trygg.reports.photos import attach_photo

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


class RetentionTests(TryggTestCase):
    def stored(self, months_ago: int, *, days: int = 0, municipality_org: str = "bostad"):
        """A report with note, address and photo, received `months_ago` months before NOW."""
        received = months_before(NOW, months_ago) - timedelta(days=days)
        batch = submit_reports(
            organisation=self.w.orgs[municipality_org],
            by=self.w.karl,
            items=[
                report_data(
                    description="Klotter på garaget",
                    address="Kyrkgatan 12",
                    occurred_at=(received - timedelta(hours=2)).isoformat(),
                )
            ],
            now=received,
            max_age_days=3650,
        )
        report = batch.reports[0]
        attach_photo(report, jpeg())
        return report

    def rollup_total(self):
        return DailyCount.objects.aggregate(n=Sum("n"))["n"]

    def test_it_removes_free_text_address_and_photo_after_24_months_and_keeps_the_counts(self):
        old = self.stored(24, days=1)
        recent = self.stored(24, days=-1)
        photo_name = old.photo.name
        storage = old.photo.storage
        total = self.rollup_total()

        with self.captureOnCommitCallbacks(execute=True):  # the files go after the commit
            result = remove_expired_details(municipality=self.w.ostersund, now=NOW, commit=True)

        self.assertEqual((result.reports, result.photos), (1, 1))
        old.refresh_from_db()
        self.assertEqual((old.description, old.address, old.photo.name), ("", "", ""))
        self.assertEqual(old.details_removed_at, NOW)
        self.assertFalse(storage.exists(photo_name))
        self.assertEqual(
            (old.category.code, old.area, old.lat), ("graffiti", self.w.centrum, 63.16)
        )
        recent.refresh_from_db()
        self.assertEqual(recent.description, "Klotter på garaget")
        self.assertTrue(storage.exists(recent.photo.name))
        self.assertEqual(self.rollup_total(), total)
        self.assertEqual(Report.objects.count(), 2)

    def test_it_removes_the_same_text_from_comments_and_kept_earlier_versions(self):
        old = self.stored(24, days=1)
        data = report_data(
            description="Rättat: klotter på garaget", address="Kyrkgatan 14",
            occurred_at=old.occurred_at.isoformat(),
        )  # fmt: skip
        correct_report(report=old, by=self.w.karl, data=data, now=old.reported_at)
        comment_on_report(report=old, by=self.w.anna, text="Fastighetsägaren är kontaktad")
        remove_expired_details(municipality=self.w.ostersund, now=NOW, commit=True)
        self.assertEqual(list(ReportComment.objects.values_list("text", flat=True)), [""])
        previous = ReportEvent.objects.get(what="correction").previous
        self.assertNotIn("description", previous)
        self.assertNotIn("address", previous)
        self.assertEqual(previous["category_id"], old.category_id)

    def test_each_municipality_keeps_for_its_own_period(self):
        self.w.ostersund.retention_months = 6
        self.w.ostersund.save()
        report = self.stored(7)
        remove_expired_details(municipality=self.w.ostersund, now=NOW, commit=True)
        report.refresh_from_db()
        self.assertEqual(report.description, "")

    def test_without_commit_it_only_counts(self):
        report = self.stored(30)
        result = remove_expired_details(municipality=self.w.ostersund, now=NOW)
        self.assertEqual(result.reports, 1)
        report.refresh_from_db()
        self.assertEqual(report.description, "Klotter på garaget")

    def test_the_command_counts_by_default_and_removes_with_commit(self):
        report = self.stored(36)
        out = io.StringIO()
        call_command("retention", stdout=out)
        self.assertIn("would be removed from 1 reports", out.getvalue())
        self.assertIn("Nothing was changed", out.getvalue())
        report.refresh_from_db()
        self.assertNotEqual(report.description, "")
        call_command("retention", "--commit", "--municipality", "2380", stdout=io.StringIO())
        report.refresh_from_db()
        self.assertEqual(report.description, "")

    def test_a_removed_report_says_so_on_its_page(self):
        from tests.world import sign_in

        report = self.stored(30)
        remove_expired_details(municipality=self.w.ostersund, now=NOW, commit=True)
        sign_in(self.client, self.w.karl)
        page = self.client.get(f"/rapporter/{report.pk}/")
        self.assertContains(page, "Fritext, adress och foto är borttagna")
        self.assertNotContains(page, "Klotter på garaget")


def test_months_before_keeps_the_day_where_it_can():
    assert months_before(datetime(2026, 3, 31, 8, tzinfo=UTC), 1) == datetime(
        2026, 2, 28, 8, tzinfo=UTC
    )
    assert months_before(datetime(2026, 12, 1, tzinfo=UTC), 24) == datetime(2024, 12, 1, tzinfo=UTC)
    assert months_before(datetime(2024, 3, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC
    )
