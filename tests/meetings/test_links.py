"""Links between meetings, reports and measures: each shown only to those who may follow it."""

from __future__ import annotations

from tests.meetings.helpers import known_reports, measure
from tests.meetings.test_pages import drafted
from tests.world import TryggTestCase, report_data, sign_in
from trygg.meetings.actions import close_meeting
from trygg.reports.actions import flag_for_discussion, submit_report


class MeetingLinkTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        known_reports(w)
        # Bostaden's own report, shared with no one else: partners may not open it.
        cls.private, _ = submit_report(organisation=w.orgs["bostad"], by=w.karl,
                                       data=report_data(sharing="organisation"))  # fmt: skip
        flag_for_discussion(report=cls.private, by=w.anna, flagged=True)
        cls.meeting = drafted(w)
        cls.decided = measure(w, "Belysning", owner="bostad", meeting=cls.meeting)
        close_meeting(meeting=cls.meeting, by=w.anna)

    def test_the_flagged_item_links_to_the_report_for_those_who_may_open_it(self):
        link = f'href="/rapporter/{self.private.pk}/">Rapporten<'
        sign_in(self.client, self.w.anna)
        self.assertContains(
            self.client.get(f"/moten/{self.meeting.pk}/protokoll/"), link, html=False
        )
        sign_in(self.client, self.w.sara)  # reads the minutes, may not open the report
        minutes = self.client.get(f"/moten/{self.meeting.pk}/protokoll/")
        self.assertEqual(minutes.status_code, 200)
        self.assertNotContains(minutes, f"/rapporter/{self.private.pk}/")
        self.assertEqual(self.client.get(f"/rapporter/{self.private.pk}/").status_code, 404)

    def test_decided_at_meeting_links_to_the_minutes_for_their_readers(self):
        link = f'<a href="/moten/{self.meeting.pk}/protokoll/">'
        for reader in (self.w.anna, self.w.sara):
            sign_in(self.client, reader)
            self.assertContains(self.client.get(f"/atgarder/{self.decided.pk}/"), link)
        sign_in(self.client, self.w.karl)  # the owner's reporter: sees the measure, not minutes
        page = self.client.get(f"/atgarder/{self.decided.pk}/")
        self.assertContains(page, "Beslutad vid möte")
        self.assertNotContains(page, f"/moten/{self.meeting.pk}/")
