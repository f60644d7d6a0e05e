"""Planning a meeting, and its agenda drafted on a known fortnight: exactly the expected items."""

from __future__ import annotations

from datetime import date

from django.test import override_settings

from tests.meetings.helpers import LAST_MEETING, MEETING_DAY, known_reports, measure
from tests.world import TryggTestCase, sign_in
from trygg.meetings.actions import close_meeting, next_date, plan_next_meeting
from trygg.meetings.agenda import draft_agenda
from trygg.meetings.models import AgendaItem, Meeting
from trygg.reports.actions import flag_for_discussion
from trygg.reports.models import Report


class KnownAgendaTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        reports = known_reports(w)
        cls.noise = next(r for r in reports if r.description)
        flag_for_discussion(report=cls.noise, by=w.anna, flagged=True)
        cls.overdue = measure(w, "Klotter saneras", deadline=date(2026, 11, 20), status="ongoing")
        cls.due = measure(w, "Belysning lagas", owner="kommun", deadline=date(2026, 12, 5),
                          follow_up_on=date(2026, 11, 28))  # fmt: skip
        cls.follow = measure(w, "Nattvandring fredagar", owner="natt",
                             deadline=date(2026, 12, 20),
                             follow_up_on=date(2026, 11, 25))  # fmt: skip
        measure(w, "Later", deadline=date(2026, 12, 8))  # eight days after: not yet due
        cls.done = measure(w, "Klar", deadline=date(2026, 11, 1),
                           follow_up_on=date(2026, 11, 24), status="done")  # fmt: skip
        measure(w, "Följdes upp förra mötet", deadline=date(2026, 12, 20),
                follow_up_on=date(2026, 11, 16))  # fmt: skip
        measure(w, "Inställd", deadline=date(2026, 11, 1), follow_up_on=date(2026, 11, 20),
                status="cancelled")  # fmt: skip
        measure(w, "Krokom", owner="elsewhere", deadline=date(2026, 11, 20))
        cls.meeting = Meeting.objects.create(
            municipality=w.ostersund, held_on=MEETING_DAY, since=LAST_MEETING
        )

    def test_it_drafts_exactly_the_expected_items_in_order(self):
        items = draft_agenda(self.meeting)
        got = [(i.position, i.kind, i.subject) for i in items]
        centrum, lugnvik = self.w.centrum.pk, self.w.lugnvik.pk
        self.assertEqual(
            [(p, k, s.get("area"), s.get("group") or s.get("measure") or s.get("report"))
             for p, k, s in got],
            [
                (1, "rising", centrum, "disorder"),  # 36 noise against none before
                (2, "rising", centrum, "damage"),  # 6 graffiti against 1 a fortnight
                (3, "hotspot", centrum, None),
                (4, "due", None, self.overdue.pk),
                (5, "due", None, self.due.pk),  # also to follow up: listed once, as due
                (6, "follow_up", None, self.done.pk),  # done, and its effect is due a look
                (7, "follow_up", None, self.follow.pk),
                (8, "flagged", lugnvik, str(self.noise.pk)),
            ],
        )  # fmt: skip
        self.assertEqual(len(items[2].subject["cells"]), 9)
        self.assertEqual(items[2].subject["count"], 36)

    def test_no_item_carries_the_free_text_of_a_report(self):
        for item in draft_agenda(self.meeting):
            self.assertNotIn("trappan", item.title)

    @override_settings(LANGUAGE_CODE="sv")
    def test_titles_say_what_and_where_in_swedish(self):
        titles = [i.title for i in draft_agenda(self.meeting)]
        self.assertIn("Skadegörelse i Centrum", titles[1])
        self.assertIn("Klotter saneras (Polisen LPO Östersund, 2026-11-20)", titles[3])

    def test_a_meeting_the_day_after_the_last_has_no_picture_items(self):
        meeting = Meeting.objects.create(
            municipality=self.w.ostersund, held_on=LAST_MEETING, since=LAST_MEETING
        )
        kinds = {i.kind for i in draft_agenda(meeting)}
        self.assertFalse(kinds & {"rising", "hotspot"})


class PlanTests(TryggTestCase):
    def test_the_first_meeting_is_one_cadence_after_today(self):
        meeting = plan_next_meeting(municipality=self.w.ostersund, by=self.w.anna,
                                    today=date(2026, 11, 16))  # fmt: skip
        self.assertEqual((meeting.held_on, meeting.since), (date(2026, 11, 30), date(2026, 11, 16)))
        self.assertEqual(meeting.status, Meeting.Status.PLANNED)
        self.assertEqual(meeting.created_by, self.w.anna)

    def test_the_next_follows_the_last_and_its_picture_starts_there(self):
        Meeting.objects.create(municipality=self.w.ostersund, held_on=LAST_MEETING,
                               since=date(2026, 11, 2), status="held")  # fmt: skip
        known_reports(self.w)
        meeting = plan_next_meeting(municipality=self.w.ostersund, by=self.w.anna,
                                    today=date(2026, 11, 20))  # fmt: skip
        self.assertEqual((meeting.held_on, meeting.since), (MEETING_DAY, LAST_MEETING))
        kinds = list(meeting.items.values_list("kind", flat=True))
        self.assertEqual(kinds, ["rising", "rising", "hotspot"])

    def test_a_planned_meeting_is_the_next_one_and_not_planned_twice(self):
        first = plan_next_meeting(municipality=self.w.ostersund, by=self.w.anna,
                                  today=date(2026, 11, 16))  # fmt: skip
        again = plan_next_meeting(municipality=self.w.ostersund, by=self.w.anna,
                                  today=date(2026, 11, 17))  # fmt: skip
        self.assertEqual(first.pk, again.pk)

    def test_a_long_pause_moves_the_next_date_past_today(self):
        Meeting.objects.create(municipality=self.w.ostersund, held_on=date(2026, 1, 5),
                               since=date(2025, 12, 22), status="held")  # fmt: skip
        meeting = plan_next_meeting(municipality=self.w.ostersund, by=self.w.anna,
                                    today=date(2026, 3, 4))  # fmt: skip
        self.assertEqual(meeting.held_on, date(2026, 3, 16))
        self.assertEqual(meeting.since, date(2026, 1, 5))

    def test_cadences_step_a_week_two_weeks_or_a_month(self):
        self.assertEqual(next_date("weekly", date(2026, 1, 31)), date(2026, 2, 7))
        self.assertEqual(next_date("biweekly", date(2026, 1, 31)), date(2026, 2, 14))
        self.assertEqual(next_date("monthly", date(2026, 1, 31)), date(2026, 2, 28))
        self.assertEqual(next_date("monthly", date(2026, 12, 15)), date(2027, 1, 15))


class FlaggedReportsLeaveTheAgendaTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        reports = known_reports(cls.w)
        cls.noise = next(r for r in reports if r.description)
        flag_for_discussion(report=cls.noise, by=cls.w.anna, flagged=True)
        cls.meeting = Meeting.objects.create(
            municipality=cls.w.ostersund, held_on=MEETING_DAY, since=LAST_MEETING
        )
        AgendaItem.objects.bulk_create(draft_agenda(cls.meeting))

    def flagged_on(self, meeting) -> list[str]:
        return [i.subject["report"] for i in draft_agenda(meeting) if i.kind == "flagged"]

    def test_closing_the_meeting_that_listed_it_clears_the_flag_with_a_history_entry(self):
        later = Meeting(municipality=self.w.ostersund, held_on=date(2026, 12, 14),
                        since=MEETING_DAY)  # fmt: skip
        self.assertEqual(self.flagged_on(later), [str(self.noise.pk)])
        sign_in(self.client, self.w.anna)
        self.client.post(f"/moten/{self.meeting.pk}/avsluta/")
        self.assertEqual(self.flagged_on(later), [])
        self.noise.refresh_from_db()
        self.assertFalse(self.noise.flagged_for_discussion)
        page = self.client.get(f"/rapporter/{self.noise.pk}/").content.decode()
        self.assertIn("avslutade mötet 2026-11-30, där rapporten diskuterades", page)

    def test_a_report_flagged_after_the_meeting_stays_flagged(self):
        other = Report.objects.exclude(pk=self.noise.pk).first()
        close_meeting(meeting=self.meeting, by=self.w.anna)
        flag_for_discussion(report=other, by=self.w.anna, flagged=True)
        later = Meeting(municipality=self.w.ostersund, held_on=date(2026, 12, 14),
                        since=MEETING_DAY)  # fmt: skip
        self.assertEqual(self.flagged_on(later), [str(other.pk)])
