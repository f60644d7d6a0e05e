"""The home page: what is new for each role since the last visit, in counts only."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from tests.meetings.helpers import MEETING_DAY, known_reports, measure
from tests.situation.test_picture import centrum, lugnvik
from tests.world import TryggTestCase, sign_in
from trygg.home import home_for
from trygg.measures.models import Measure
from trygg.meetings.models import Meeting
from trygg.reports.actions import submit_reports
from trygg.reports.models import Report
from trygg.situation.cache import picture_for
from trygg.situation.periods import default_period

SECRET_KARL = "Karls hemliga anteckning"
SECRET_KIM = "Kims hemliga anteckning"
SECRET_MEASURE = "Hemlig åtgärdstitel"


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|ul)>', page, re.S)
    if found is None:
        return ""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


class HomePageTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = cls.w
        cls.today = timezone.localdate()
        cls.last_visit = timezone.now() - timedelta(days=2)
        cls.file(w.karl, centrum("graffiti", cls.last_visit - timedelta(days=2)), before=True)
        cls.file(w.karl, centrum("graffiti", cls.last_visit, description=SECRET_KARL))
        cls.file(w.karl, lugnvik("graffiti", cls.last_visit))
        cls.file(w.kim, lugnvik("graffiti", cls.last_visit, description=SECRET_KIM))
        overdue = measure(w, SECRET_MEASURE, owner="bostad")
        due = measure(w, "Belysning", owner="polis")
        Measure.objects.filter(pk=overdue.pk).update(deadline=cls.today - timedelta(days=3))
        Measure.objects.filter(pk=due.pk).update(deadline=cls.today + timedelta(days=3))
        since = cls.today - timedelta(days=9)
        cls.meeting = Meeting.objects.create(
            municipality=w.ostersund, held_on=cls.today + timedelta(days=5), since=since,
            created_by=w.anna,
        )  # fmt: skip
        Meeting.objects.create(  # another municipality's, sooner: nobody here sees it
            municipality=w.krokom, held_on=cls.today + timedelta(days=1), since=since,
            created_by=w.erik,
        )  # fmt: skip

    @classmethod
    def file(cls, user, item, before: bool = False) -> None:
        org = user.memberships.get().organisation
        [report] = submit_reports(organisation=org, by=user, items=[item]).reports
        received = cls.last_visit + (timedelta(hours=-1) if before else timedelta(hours=1))
        Report.objects.filter(pk=report.pk).update(reported_at=received)

    def page_of(self, user: User) -> str:
        # Their previous visit was two days ago; logging in now moves last_login to
        # now (as Django does), and the page must still count from two days ago.
        User.objects.filter(pk=user.pk).update(last_login=self.last_visit)
        user.refresh_from_db()
        sign_in(self.client, user)
        self.assertGreater(User.objects.get(pk=user.pk).last_login, self.last_visit)
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="sv")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for secret in (SECRET_KARL, SECRET_KIM, SECRET_MEASURE):
            self.assertNotIn(secret, page)
        return page

    def test_the_coordinator_sees_the_municipalitys_new_reports_and_runs_the_next_meeting(self):
        page = self.page_of(self.w.anna)
        self.assertEqual(text_of(page, "home-new-reports"), "3 nya rapporter")
        self.assertEqual(text_of(page, "home-new-by-area"), "Centrum: 1 Lugnvik: 2")
        self.assertEqual(text_of(page, "home-overdue"), "0 försenade")
        self.assertIn(f'href="/moten/{self.meeting.pk}/"', page)

    def test_the_reporter_sees_his_organisations_new_reports_and_its_overdue_measure(self):
        page = self.page_of(self.w.karl)
        self.assertEqual(text_of(page, "home-new-reports"), "2 nya rapporter")
        self.assertEqual(text_of(page, "home-new-by-area"), "Centrum: 1 Lugnvik: 1")
        self.assertEqual(text_of(page, "home-overdue"), "1 försenad")
        self.assertEqual(text_of(page, "home-due"), "0 ska vara klara inom en vecka")
        self.assertNotIn('id="home-next-meeting"', page)
        self.assertIn(f'href="{reverse("reports:new")}"', page)  # still one tap to report

    def test_the_partner_sees_the_next_meeting_without_a_link_and_no_other_reports(self):
        page = self.page_of(self.w.sara)
        self.assertEqual(text_of(page, "home-new-reports"), "0 nya rapporter")
        self.assertNotIn('id="home-new-by-area"', page)
        self.assertIn("Östersund", text_of(page, "home-next-meeting"))
        self.assertNotIn(f"/moten/{self.meeting.pk}/", page)

    def test_the_police_coordinator_sees_the_measure_due_within_a_week(self):
        page = self.page_of(self.w.petra)
        self.assertEqual(text_of(page, "home-due"), "1 ska vara klar inom en vecka")


class HomeRisingTests(TryggTestCase):
    def test_it_shows_the_last_complete_periods_rising_list_of_the_picture(self):
        known_reports(self.w)
        period = default_period(self.w.ostersund.meeting_cadence, MEETING_DAY)
        rising = picture_for(self.w.ostersund, period).rising
        home = home_for(self.w.anna, MEETING_DAY)
        self.assertTrue(rising)
        self.assertEqual(home.rising, [("Östersund", r) for r in rising])
        self.assertIn(("Centrum", "damage"), [(r.area_name, r.group) for _m, r in home.rising])
