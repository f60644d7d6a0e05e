from datetime import timedelta

from django.utils import timezone

from tests.world import IN_THE_HOLE, INSIDE_LUGNVIK, OUTSIDE, TryggTestCase, report_data
from trygg.core.errors import InputRejected
from trygg.reports.actions import submit_report, submit_reports
from trygg.reports.models import Category, Report


class SubmitReportTests(TryggTestCase):
    def submit(self, **overrides):
        return submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data(**overrides)
        )

    def rejected_fields(self, **overrides):
        with self.assertRaises(InputRejected) as caught:
            self.submit(**overrides)
        self.assertEqual(Report.objects.count(), 0)
        return {e.field for e in caught.exception.errors}

    def test_it_stores_a_report_with_projection_area_and_cell(self):
        report, created = self.submit()
        self.assertTrue(created)
        report.refresh_from_db()
        self.assertEqual(report.area, self.w.centrum)
        self.assertEqual(report.municipality, self.w.ostersund)
        # SWEREF 99 TM around Östersund: easting ~ 4.7e5, northing ~ 7.0e6.
        self.assertAlmostEqual(report.x, 4.7e5, delta=2e4)
        self.assertAlmostEqual(report.y, 7.0e6, delta=2e4)
        self.assertEqual(len(report.h3_cell), 15)

    def test_it_assigns_the_area_on_the_other_side(self):
        report, _ = self.submit(lat=INSIDE_LUGNVIK[0], lon=INSIDE_LUGNVIK[1])
        self.assertEqual(report.area, self.w.lugnvik)

    def test_it_leaves_a_point_in_a_hole_without_area(self):
        report, _ = self.submit(lat=IN_THE_HOLE[0], lon=IN_THE_HOLE[1])
        self.assertIsNone(report.area)

    def test_it_refuses_a_point_outside_the_municipality(self):
        self.assertEqual(self.rejected_fields(lat=OUTSIDE[0], lon=OUTSIDE[1]), {"lat"})

    def test_it_refuses_an_unknown_category(self):
        self.assertEqual(self.rejected_fields(category="ufo"), {"category"})

    def test_it_refuses_an_inactive_category(self):
        Category.objects.filter(code="graffiti").update(is_active=False)
        self.assertEqual(self.rejected_fields(), {"category"})

    def test_it_refuses_a_missing_category_and_position(self):
        self.assertEqual(
            self.rejected_fields(category=None, lat=None, lon=""), {"category", "lat", "lon"}
        )

    def test_it_refuses_a_future_time(self):
        future = timezone.now() + timedelta(hours=1)
        self.assertEqual(self.rejected_fields(occurred_at=future), {"occurred_at"})

    def test_it_accepts_a_few_minutes_of_clock_skew(self):
        report, _ = self.submit(occurred_at=timezone.now() + timedelta(minutes=2))
        self.assertIsNotNone(report.pk)

    def test_it_refuses_a_time_older_than_the_limit(self):
        old = timezone.now() - timedelta(days=400)
        self.assertEqual(self.rejected_fields(occurred_at=old), {"occurred_at"})

    def test_it_refuses_a_window_that_ends_before_it_starts(self):
        start = timezone.now() - timedelta(hours=5)
        fields = self.rejected_fields(occurred_at=start, occurred_to=start - timedelta(hours=1))
        self.assertEqual(fields, {"occurred_to"})

    def test_it_stores_an_overnight_window(self):
        start = timezone.now() - timedelta(hours=10)
        report, _ = self.submit(occurred_at=start, occurred_to=start + timedelta(hours=8))
        self.assertEqual(report.occurred_to - report.occurred_at, timedelta(hours=8))

    def test_it_refuses_numbers_out_of_range(self):
        self.assertEqual(
            self.rejected_fields(persons=-1, damage_cost_sek=10**12),
            {"persons", "damage_cost_sek"},
        )

    def test_it_refuses_non_numbers_and_bad_choices(self):
        self.assertEqual(
            self.rejected_fields(lat="north", persons=2.5, sharing="everyone", place_type="roof"),
            {"lat", "persons", "sharing", "place_type"},
        )

    def test_it_masks_personal_data_in_the_description(self):
        report, _ = self.submit(description="Ring 070-123 45 67, pnr 850709-1234, bil ABC 123")
        self.assertNotIn("070", report.description)
        self.assertNotIn("850709", report.description)
        self.assertNotIn("ABC", report.description)

    def test_it_returns_the_existing_report_for_a_repeated_client_id(self):
        first, created = self.submit(client_id="phone-1")
        again, created_again = self.submit(client_id="phone-1", description="other")
        self.assertTrue(created)
        self.assertFalse(created_again)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Report.objects.count(), 1)

    def test_the_same_client_id_in_another_organisation_is_another_report(self):
        self.submit(client_id="phone-1")
        submit_report(
            organisation=self.w.orgs["natt"], by=self.w.nils, data=report_data(client_id="phone-1")
        )
        self.assertEqual(Report.objects.count(), 2)


class SubmitReportsBatchTests(TryggTestCase):
    def test_it_stores_all_or_nothing_and_names_every_bad_item(self):
        items = [report_data(), report_data(category="ufo"), report_data(), report_data(lat=99)]
        with self.assertRaises(InputRejected) as caught:
            submit_reports(organisation=self.w.orgs["polis"], by=self.w.petra, items=items)
        self.assertEqual(
            [(e.index, e.field) for e in caught.exception.errors], [(1, "category"), (3, "lat")]
        )
        self.assertEqual(Report.objects.count(), 0)

    def test_it_does_not_duplicate_client_ids_within_or_across_batches(self):
        org = self.w.orgs["polis"]
        items = [report_data(client_id="a"), report_data(client_id="b"), report_data(client_id="a")]
        first = submit_reports(organisation=org, by=self.w.petra, items=items)
        self.assertEqual((first.created, first.existing), (2, 1))
        self.assertEqual(first.reports[0].pk, first.reports[2].pk)
        second = submit_reports(organisation=org, by=self.w.petra, items=[*items, report_data()])
        self.assertEqual((second.created, second.existing), (1, 3))
        self.assertEqual(Report.objects.count(), 3)
