"""Handling reports: each status move allowed or refused with its history entry, flags,
comments and notes, links to measures, the reporter's corrections and withdrawals
within the edit window, and the rollup and lägesbild kept right through all of it."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from tests.world import INSIDE_LUGNVIK, TryggTestCase, report_data
from trygg.measures.actions import change_status, create_measure
from trygg.measures.models import Measure, MeasureEvent
from trygg.reports import rollup
from trygg.reports.actions import (
    HandlingRefused,
    change_report_status,
    comment_on_report,
    correct_report,
    flag_for_discussion,
    link_to_measure,
    submit_report,
    withdraw_report,
)
from trygg.reports.models import DailyCount, Report, ReportComment, ReportEvent
from trygg.situation.queries import period_events

S = Report.Status


class HandlingTestCase(TryggTestCase):
    def setUp(self):
        self.report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )

    def measure(self, title="Belysning vid porten", **fields):
        return create_measure(
            by=self.w.anna, municipality=self.w.ostersund, title=title,
            kind=Measure.Kind.SITUATIONAL, responsible=self.w.orgs["kommun"], **fields,
        )  # fmt: skip

    def cells(self):
        return {
            (c.area_key, c.category_id, c.sharing, c.day): c.n for c in DailyCount.objects.all()
        }


class StatusTests(HandlingTestCase):
    def test_it_allows_exactly_the_transitions_of_the_model_each_with_its_history_entry(self):
        for start, allowed in Report.TRANSITIONS.items():
            for to in (S.REVIEWED, S.CLOSED):
                with self.subTest(start=start, to=to):
                    Report.objects.filter(pk=self.report.pk).update(status=start)
                    before = ReportEvent.objects.count()
                    if to in allowed:
                        report = change_report_status(report=self.report, by=self.w.anna, to=to)
                        self.assertEqual(report.status, to)
                        event = ReportEvent.objects.latest("pk")
                        self.assertEqual(
                            (event.what, event.old, event.new, event.actor),
                            ("status", start, to, self.w.anna),
                        )
                    else:
                        with self.assertRaises(HandlingRefused):
                            change_report_status(report=self.report, by=self.w.anna, to=to)
                        self.assertEqual(ReportEvent.objects.count(), before)

    def test_it_refuses_a_coordinator_withdrawing_and_an_unknown_status(self):
        for to in (S.WITHDRAWN, "lost"):
            with self.subTest(to=to), self.assertRaises(HandlingRefused):
                change_report_status(report=self.report, by=self.w.anna, to=to)
        self.assertFalse(ReportEvent.objects.exists())

    def test_it_refuses_handling_by_anyone_but_a_coordinator_of_the_municipality(self):
        for person in (self.w.karl, self.w.sara, self.w.greta, self.w.adam, self.w.erik):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                change_report_status(report=self.report, by=person, to=S.REVIEWED)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, S.RECEIVED)

    def test_closing_with_a_comment_leaves_the_comment_for_the_reporter(self):
        change_report_status(
            report=self.report, by=self.w.anna, to=S.CLOSED, comment="Sanerat, tack!"
        )
        comment = ReportComment.objects.get()
        self.assertEqual((comment.text, comment.internal), ("Sanerat, tack!", False))
        self.assertEqual(
            list(self.report.history.values_list("what", flat=True)), ["status", "comment"]
        )

    def test_history_refuses_to_be_changed_or_deleted(self):
        change_report_status(report=self.report, by=self.w.anna, to=S.REVIEWED)
        event = ReportEvent.objects.get()
        with self.assertRaises(ValueError):
            event.save()
        with self.assertRaises(ValueError):
            event.delete()


class FlagCommentAndMeasureTests(HandlingTestCase):
    def test_flagging_and_unflagging_each_leave_an_entry(self):
        flag_for_discussion(report=self.report, by=self.w.anna, flagged=True)
        self.assertTrue(Report.objects.filter(flagged_for_discussion=True).exists())
        flag_for_discussion(report=self.report, by=self.w.anna, flagged=True)  # no change
        flag_for_discussion(report=self.report, by=self.w.anna, flagged=False)
        entries = list(self.report.history.values_list("what", "old", "new"))
        self.assertEqual(entries, [("flag", "false", "true"), ("flag", "true", "false")])

    def test_comments_are_masked_and_notes_kept_apart(self):
        comment_on_report(report=self.report, by=self.w.anna, text="Ring 070-123 45 67")
        comment_on_report(report=self.report, by=self.w.anna, text="Känd adress", internal=True)
        public, note = ReportComment.objects.order_by("pk")
        self.assertIn("[telefonnummer]", public.text)
        self.assertEqual((public.internal, note.internal), (False, True))
        self.assertEqual(
            list(self.report.history.values_list("what", flat=True)), ["comment", "note"]
        )

    def test_it_refuses_an_empty_comment(self):
        with self.assertRaises(HandlingRefused):
            comment_on_report(report=self.report, by=self.w.anna, text="   ")

    def test_linking_to_an_open_measure_notes_it_in_both_histories(self):
        measure = self.measure()
        link_to_measure(report=self.report, by=self.w.anna, measure=measure)
        self.assertEqual(list(measure.reports.all()), [self.report])
        event = self.report.history.get()
        self.assertEqual((event.what, event.new), ("measure", str(measure.pk)))
        self.assertEqual(
            MeasureEvent.objects.filter(measure=measure, field="reports").get().new,
            "1",  # a count: the history, which partners read, does not list reports
        )

    def test_it_refuses_a_closed_measure_or_one_of_another_municipality(self):
        done = self.measure()
        change_status(measure=done, by=self.w.anna, to=Measure.Status.CANCELLED, comment="Nej")
        elsewhere = create_measure(
            by=self.w.erik, municipality=self.w.krokom, title="X", kind=Measure.Kind.OTHER,
            responsible=self.w.orgs["elsewhere"],
        )  # fmt: skip
        for measure in (done, elsewhere):
            with self.subTest(measure=measure.title), self.assertRaises(HandlingRefused):
                link_to_measure(report=self.report, by=self.w.anna, measure=measure)
        self.assertFalse(self.report.measures.exists())


class ReporterTests(HandlingTestCase):
    def test_the_reporter_withdraws_and_the_report_leaves_the_counts_and_the_points(self):
        self.assertEqual(sum(self.cells().values()), 1)
        withdraw_report(report=self.report, by=self.w.karl)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, S.WITHDRAWN)
        self.assertEqual(self.cells(), {})
        self.assertEqual(rollup.disagreements(), {})
        day = timezone.localdate()
        events = period_events(
            self.w.ostersund.pk, day, day + timedelta(days=1), [self.report.category_id]
        )
        self.assertEqual(len(events.x), 0)
        event = self.report.history.get()
        self.assertEqual((event.what, event.old, event.new), ("status", "received", "withdrawn"))

    def test_nobody_else_withdraws_it(self):
        for person in (self.w.kim, self.w.anna, self.w.sara):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                withdraw_report(report=self.report, by=person)

    @override_settings(REPORT_EDIT_HOURS=2)
    def test_it_refuses_after_the_edit_window(self):
        later = self.report.reported_at + timedelta(hours=2)
        with self.assertRaises(HandlingRefused):
            withdraw_report(report=self.report, by=self.w.karl, now=later)
        with self.assertRaises(HandlingRefused):
            correct_report(report=self.report, by=self.w.karl, data=report_data(), now=later)
        just_in = later - timedelta(seconds=1)
        withdraw_report(report=self.report, by=self.w.karl, now=just_in)

    def test_it_refuses_a_closed_report(self):
        change_report_status(report=self.report, by=self.w.anna, to=S.CLOSED)
        with self.assertRaises(HandlingRefused):
            withdraw_report(report=self.report, by=self.w.karl)

    def test_a_correction_keeps_the_earlier_version_and_moves_the_count(self):
        before = self.cells()
        lat, lon = INSIDE_LUGNVIK
        data = report_data(
            category="noise", lat=lat, lon=lon, sharing="organisation",
            description="Rättat: ring 070-123 45 67",
        )  # fmt: skip
        report = correct_report(report=self.report, by=self.w.karl, data=data)
        self.assertEqual((report.area, report.category.code), (self.w.lugnvik, "noise"))
        self.assertIn("[telefonnummer]", report.description)
        event = report.history.get()
        self.assertEqual(event.what, "correction")
        self.assertEqual(event.previous["area_id"], self.w.centrum.pk)
        self.assertEqual(event.previous["sharing"], "partnership")
        self.assertEqual(event.previous["description"], "")
        after = self.cells()
        self.assertNotEqual(before, after)
        self.assertEqual(sum(after.values()), 1)
        [(area, _category, sharing, _day)] = after
        self.assertEqual((area, sharing), (self.w.lugnvik.pk, "organisation"))
        self.assertEqual(rollup.disagreements(), {})

    def test_a_correction_is_validated_like_intake(self):
        from trygg.core.errors import InputRejected

        with self.assertRaises(InputRejected):
            correct_report(report=self.report, by=self.w.karl, data=report_data(category="x"))
        self.assertFalse(ReportEvent.objects.exists())


class WithdrawnLeavesThePictureTests(HandlingTestCase):
    def test_the_lagesbild_counts_and_points_drop_a_withdrawn_report(self):
        from tests.world import sign_in
        from trygg.partners.actions import create_api_token

        year, week, _ = timezone.localdate().isocalendar()
        period = f"{year}-W{week:02d}"
        token = create_api_token(user=self.w.anna, name="t")[1]
        sign_in(self.client, self.w.anna)

        def seen():
            picture = self.client.get(
                f"/api/v1/situation?municipality=2380&period={period}",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            ).json()
            points = self.client.get(
                f"/lagesbild/2380/export/punkter.geojson?period={period}"
            ).json()
            return picture["total"]["current"], len(points["features"])

        self.assertEqual(seen(), (1, 1))
        withdraw_report(report=self.report, by=self.w.karl)
        self.assertEqual(seen(), (0, 0))


class LinkableMeasuresTests(HandlingTestCase):
    def test_open_measures_of_the_reports_own_area_come_first(self):
        from trygg.reports.access import linkable_measures

        other = self.measure(title="A i Lugnvik", area=self.w.lugnvik)
        own = self.measure(title="B i Centrum", area=self.w.centrum)
        done = self.measure(title="C klar", area=self.w.centrum)
        change_status(measure=done, by=self.w.anna, to=Measure.Status.CANCELLED, comment="Nej")
        self.assertEqual(list(linkable_measures(self.w.anna, self.report)), [own, other])
        self.assertEqual(list(linkable_measures(self.w.sara, self.report)), [])
