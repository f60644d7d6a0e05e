"""Running a meeting through its pages: plan, notes, a decision, attendance, close; the minutes."""

from __future__ import annotations

from datetime import date

from tests.meetings.helpers import LAST_MEETING, MEETING_DAY, known_reports
from tests.situation.test_documents import pdf_pages
from tests.world import TryggTestCase, sign_in
from trygg.measures.models import Measure
from trygg.meetings.actions import close_meeting, decide, write_notes
from trygg.meetings.agenda import draft_agenda
from trygg.meetings.models import AgendaItem, Attendance, Meeting
from trygg.reports.actions import flag_for_discussion


def drafted(w) -> Meeting:
    """The meeting of 30 November with its drafted agenda (planned by hand: today is not then)."""
    meeting = Meeting.objects.create(
        municipality=w.ostersund, held_on=MEETING_DAY, since=LAST_MEETING
    )
    AgendaItem.objects.bulk_create(draft_agenda(meeting))
    return meeting


class MeetingPageTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        known_reports(cls.w)
        cls.meeting = drafted(cls.w)

    def setUp(self):
        sign_in(self.client, self.w.anna)

    def url(self, suffix=""):
        return f"/moten/{self.meeting.pk}/{suffix}"

    def item(self, position=2):
        return self.meeting.items.get(position=position)

    def test_the_list_offers_to_plan_the_next_meeting(self):
        page = self.client.get("/moten/")
        self.assertContains(page, "Planera nästa möte")
        self.assertContains(page, self.url())

    def test_planning_opens_the_next_meeting_with_its_agenda(self):
        Meeting.objects.filter(pk=self.meeting.pk).update(status="held")
        response = self.client.post("/moten/2380/planera/")
        planned = Meeting.objects.get(status="planned")
        self.assertRedirects(response, f"/moten/{planned.pk}/")
        self.assertGreater(planned.held_on, self.meeting.held_on)

    def test_the_page_shows_the_drafted_agenda_with_links(self):
        page = self.client.get(self.url())
        self.assertContains(page, "Skadegörelse i Centrum: 6 rapporter")
        self.assertContains(page, "Brännpunkt i Centrum: 9 rutor, 36 rapporter")
        self.assertContains(
            page, f"/lagesbild/omrade/{self.w.centrum.pk}/?period=2026-11-16..2026-11-29"
        )
        self.assertContains(page, "Avsluta mötet")
        self.assertNotContains(page, "trappan")

    def test_a_decision_on_the_page_creates_the_measure_in_place(self):
        item = self.item()
        prefix = f"item{item.pk}"
        response = self.client.post(self.url(f"punkt/{item.pk}/beslut/"), {
            f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-title": "Klottersanering inom 24 timmar",
            f"{prefix}-0-kind": "situational",
            f"{prefix}-0-responsible": self.w.orgs["bostad"].pk,
            f"{prefix}-0-deadline": "2026-12-14",
            # The untouched second row as a browser sends it.
            f"{prefix}-1-title": "", f"{prefix}-1-kind": "", f"{prefix}-1-responsible": "",
            f"{prefix}-1-responsible_person": "", f"{prefix}-1-deadline": "",
        })  # fmt: skip
        self.assertRedirects(response, self.url() + "#punkt-2", fetch_redirect_response=False)
        measure = Measure.objects.get()
        self.assertEqual((measure.meeting, measure.status, measure.responsible),
                         (self.meeting, "decided", self.w.orgs["bostad"]))  # fmt: skip
        self.assertEqual(measure.deadline, date(2026, 12, 14))
        self.assertContains(self.client.get(self.url()), "Klottersanering inom 24 timmar")

    def test_an_empty_decision_is_refused_with_the_reason(self):
        item = self.item()
        prefix = f"item{item.pk}"
        response = self.client.post(self.url(f"punkt/{item.pk}/beslut/"), {
            f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0",
        })  # fmt: skip
        self.assertContains(response, "Fyll i minst en åtgärd.", status_code=400)
        self.assertFalse(Measure.objects.exists())

    def test_notes_and_attendance_are_saved(self):
        item = self.item()
        self.client.post(self.url(f"punkt/{item.pk}/anteckningar/"),
                         {f"notes{item.pk}-notes": "Polisen ser samma mönster."})  # fmt: skip
        self.client.post(self.url("narvaro/"), {"organisations": [self.w.orgs["polis"].pk]})
        item.refresh_from_db()
        self.assertEqual(item.notes, "Polisen ser samma mönster.")
        self.assertEqual(
            list(self.meeting.attendance.values_list("organisation", flat=True)),
            [self.w.orgs["polis"].pk],
        )

    def test_closing_asks_first_and_then_the_notes_are_final(self):
        self.assertContains(self.client.get(self.url("avsluta/bekrafta/")), "Avsluta mötet")
        self.assertRedirects(self.client.post(self.url("avsluta/")), self.url("protokoll/"))
        item = self.item()
        response = self.client.post(self.url(f"punkt/{item.pk}/anteckningar/"),
                                    {f"notes{item.pk}-notes": "efteråt"}, follow=True)  # fmt: skip
        self.assertContains(response, "Mötet är avslutat")
        item.refresh_from_db()
        self.assertEqual(item.notes, "")


class MinutesTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        reports = known_reports(w)
        noisy = next(r for r in reports if r.description)
        flag_for_discussion(report=noisy, by=w.anna, flagged=True)
        cls.meeting = drafted(w)
        item = cls.meeting.items.get(kind="flagged")
        write_notes(item=item, by=w.anna, text="Bostaden pratar med de boende.")
        decide(meeting=cls.meeting, item=item, by=w.anna, measures=[
            {"title": "Informationsblad i trapphusen", "kind": "information",
             "responsible": w.orgs["bostad"], "deadline": date(2026, 12, 10),
             "internal_notes": "Hemlig budgetfråga"},
        ])  # fmt: skip
        Attendance.objects.create(meeting=cls.meeting, organisation=w.orgs["polis"])
        Attendance.objects.create(meeting=cls.meeting, organisation=w.orgs["kommun"])

    def minutes(self, user, suffix="protokoll/"):
        sign_in(self.client, user)
        return self.client.get(f"/moten/{self.meeting.pk}/{suffix}")

    def test_partners_do_not_see_a_meeting_before_it_is_held(self):
        self.assertEqual(self.minutes(self.w.sara).status_code, 404)
        self.assertEqual(self.minutes(self.w.anna).status_code, 200)

    def test_partners_read_the_held_minutes_without_free_text_or_internal_notes(self):
        close_meeting(meeting=self.meeting, by=self.w.anna)
        for user in (self.w.sara, self.w.greta):
            page = self.minutes(user)
            self.assertContains(page, "Bostaden pratar med de boende.")
            self.assertContains(page, "Informationsblad i trapphusen")
            self.assertContains(page, "Polisen LPO Östersund")
            for secret in ("trappan", "skrek", "Hemlig"):
                self.assertNotContains(page, secret)

    def test_the_minutes_pdf_lists_attendance_items_notes_and_measures(self):
        close_meeting(meeting=self.meeting, by=self.w.anna)
        response = self.minutes(self.w.sara, "protokoll.pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("protokoll-2380-2026-11-30.pdf", response["Content-Disposition"])
        _pages, texts = pdf_pages(response.content)
        text = " ".join(" ".join(texts).split())
        self.assertIn("Protokoll från EST-mötet Östersund, 2026-11-30", text)
        self.assertIn("Polisen LPO Östersund, Östersunds kommun", text)
        self.assertIn("Bostaden pratar med de boende.", text)
        self.assertIn("Informationsblad i trapphusen", text)
        self.assertIn("2026-12-10", text)
        for secret in ("trappan", "skrek", "Hemlig"):
            self.assertNotIn(secret, text)

    def test_reporters_and_other_municipalities_never_see_minutes(self):
        close_meeting(meeting=self.meeting, by=self.w.anna)
        for user in (self.w.karl, self.w.erik, self.w.otto):
            with self.subTest(user=user.username):
                self.assertEqual(self.minutes(user).status_code, 404)
                self.assertEqual(self.minutes(user, "protokoll.pdf").status_code, 404)

    def test_only_coordinators_run_the_meeting(self):
        for user in (self.w.sara, self.w.greta, self.w.adam, self.w.karl, self.w.erik):
            with self.subTest(user=user.username):
                self.assertEqual(self.minutes(user, "").status_code, 404)


class MeetingsMenuTests(TryggTestCase):
    def test_the_menu_offers_meetings_to_those_who_run_or_read_them_only(self):
        for person, shown in [("anna", True), ("sara", True), ("karl", False)]:
            sign_in(self.client, getattr(self.w, person))
            page = self.client.get("/").content.decode()
            self.assertEqual('href="/moten/"' in page, shown, person)
