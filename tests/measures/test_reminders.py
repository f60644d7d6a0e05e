"""Reminders reach the owner's members through a real SMTP server, once per measure and reason."""

from __future__ import annotations

from datetime import date, timedelta
from email.header import decode_header, make_header

from django.core.management import call_command
from django.test import TransactionTestCase, override_settings

from tests.operations.test_email import MailServerMixin, run_worker
from tests.world import build_world
from trygg.measures.actions import create_measure, set_light
from trygg.measures.models import Measure, MeasureReminder
from trygg.partners.models import Membership, Role

TODAY = date(2026, 12, 1)
SECRET = "secret-internal-note"


class MeasureReminderTests(MailServerMixin, TransactionTestCase):
    # A flush that re-creates content types would clash with the serialized data of
    # the suite's other transactional tests; keep the migrated data instead.
    serialized_rollback = True

    def setUp(self):
        super().setUp()
        self.w = build_world()
        for person, address in (("karl", "karl@bostaden.example"), ("kim", "kim@hyres.example"),
                                ("anna", "anna@kommun.example")):  # fmt: skip
            user = getattr(self.w, person)
            user.email = address
            user.save()
        # A second member of Bostaden without an address: nobody to write to.
        Membership.objects.create(user=self.w.otto, organisation=self.w.orgs["bostad"],
                                  role=Role.REPORTER)  # fmt: skip

    def measure(self, title, **fields):
        measure = create_measure(
            by=self.w.anna, municipality=self.w.ostersund, title=title, kind="situational",
            responsible=self.w.orgs["bostad"], status="decided", internal_notes=SECRET,
            description="Beskrivning som inte ska mejlas", **fields,
        )  # fmt: skip
        set_light(measure=measure, by=self.w.anna, light="red", comment="Kommentar-hemlig")
        return measure

    def remind(self, today=TODAY):
        call_command("measure_reminders", "--today", today.isoformat(), verbosity=0)
        run_worker()

    def test_the_owner_s_members_with_an_address_get_one_email_listing_each_reason(self):
        self.measure("Belysning", deadline=TODAY + timedelta(days=3))
        self.measure("Klotterplank", deadline=TODAY - timedelta(days=2))
        self.measure("Uppföljning", follow_up_on=TODAY)
        self.measure("Långt fram", deadline=TODAY + timedelta(days=30))
        self.remind()
        [message] = self.inbox.messages
        self.assertEqual(message["X-RcptTo"], "karl@bostaden.example")
        self.assertIn("3", str(make_header(decode_header(message["Subject"]))))
        body = message.get_payload(decode=True).decode()
        self.assertIn("Belysning: klart senast 2026-12-04, inom en vecka", body)
        self.assertIn("Klotterplank: försenad sedan 2026-11-29", body)
        self.assertIn("Uppföljning: uppföljning 2026-12-01", body)
        self.assertNotIn("Långt fram", body)
        for secret in (SECRET, "Kommentar-hemlig", "Beskrivning som inte"):
            self.assertNotIn(secret, body)

    @override_settings(SITE_URL="https://trygg.example.se")
    def test_each_measure_in_the_reminder_links_to_its_page(self):
        measure = self.measure("Belysning", deadline=TODAY + timedelta(days=3))
        self.remind()
        body = self.inbox.messages[0].get_payload(decode=True).decode().replace("\r\n", "\n")
        self.assertIn(f"\n  https://trygg.example.se/atgarder/{measure.pk}/\n", body)

    def test_a_rerun_sends_nothing_twice_but_a_new_reason_is_sent(self):
        measure = self.measure("Belysning", deadline=TODAY + timedelta(days=3))
        self.remind()
        self.remind()
        self.assertEqual(len(self.inbox.messages), 1)
        self.remind(today=TODAY + timedelta(days=4))  # now overdue
        self.assertEqual(len(self.inbox.messages), 2)
        reasons = set(MeasureReminder.objects.filter(measure=measure).values_list("reason", "on"))
        self.assertEqual(reasons, {("deadline_soon", TODAY + timedelta(days=3)),
                                   ("overdue", TODAY + timedelta(days=3))})  # fmt: skip

    def test_done_and_cancelled_measures_are_not_reminded(self):
        measure = self.measure("Klar", deadline=TODAY - timedelta(days=1))
        Measure.objects.filter(pk=measure.pk).update(status="done")
        self.remind()
        self.assertEqual(self.inbox.messages, [])

    def test_the_measure_page_shows_the_owner_each_reminder_with_its_delivery_status(self):
        from tests.world import sign_in

        measure = self.measure("Belysning", deadline=TODAY - timedelta(days=1))
        self.remind()
        sign_in(self.client, self.w.karl)
        page = self.client.get(f"/atgarder/{measure.pk}/").content.decode()
        self.assertIn("Försenad (2026-11-30): Skickad", page)
        sign_in(self.client, self.w.sara)
        self.assertNotIn(
            "Påminnelser", self.client.get(f"/atgarder/{measure.pk}/").content.decode()
        )
