"""The weekly digest: opted-in organisations' members get the measures in their areas by
email, through a real SMTP server on loopback, with no free text of other organisations."""

from datetime import timedelta
from email.header import decode_header, make_header

from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from tests.operations.test_email import MailServerMixin, run_worker
from tests.world import INSIDE_LUGNVIK, TryggTestCase, build_world, report_data, sign_in
from trygg.measures.actions import change_status, create_measure
from trygg.measures.models import Measure
from trygg.operations.models import OutgoingEmail
from trygg.reports.actions import (
    comment_on_report,
    link_to_measure,
    send_report_digests,
    set_report_digest,
    submit_report,
)
from trygg.reports.models import DigestSubscription


def text_of(message) -> str:
    return message.get_payload(decode=True).decode("utf-8")


class DigestEmailTests(MailServerMixin, TransactionTestCase):
    """Real commits, as in production: the email is queued at commit and `trygg worker`
    (which closes its database connection, as a worker does) delivers it."""

    serialized_rollback = True  # the categories of the data migrations stay

    def setUp(self):
        super().setUp()
        w = self.w = build_world()
        for person, address in ((w.karl, "karl@bostaden.example"), (w.kim, "kim@hyres.example")):
            person.email = address
            person.save()
        self.own, _ = submit_report(
            organisation=w.orgs["bostad"], by=w.karl, data=report_data(description="Vår text")
        )
        lat, lon = INSIDE_LUGNVIK
        self.other, _ = submit_report(
            organisation=w.orgs["bostad2"], by=w.kim,
            data=report_data(lat=lat, lon=lon, description="Hyresbolagets hemliga text"),
        )  # fmt: skip
        comment_on_report(report=self.other, by=w.anna, text="Kommentar till Hyresbolaget")
        self.lighting = self.measure("Belysning i Centrum", area=w.centrum)
        link_to_measure(report=self.own, by=w.anna, measure=self.lighting)
        self.lugnvik = self.measure("Nattvandring i Lugnvik", area=w.lugnvik)
        stopped = self.measure("Gammal åtgärd i Centrum", area=w.centrum)
        change_status(measure=stopped, by=w.anna, to=Measure.Status.CANCELLED, comment="Nej")
        Measure.objects.filter(pk=stopped.pk).update(updated_at=timezone.now() - timedelta(days=30))
        set_report_digest(organisation=w.orgs["bostad"], by=w.karl, on=True)

    def measure(self, title, **fields):
        return create_measure(
            by=self.w.anna, municipality=self.w.ostersund, title=title,
            kind=Measure.Kind.SITUATIONAL, responsible=self.w.orgs["kommun"], **fields,
        )  # fmt: skip

    def send(self):
        call_command("report_digest", verbosity=0)
        run_worker()

    def test_the_opted_in_organisation_gets_the_measures_in_its_areas_only(self):
        self.send()
        [message] = self.inbox.messages
        self.assertEqual(message["To"], "karl@bostaden.example")
        subject = str(make_header(decode_header(message["Subject"])))
        self.assertTrue(subject.startswith("Trygg: det här görs i era områden, vecka "))
        body = text_of(message)
        self.assertIn("Veckobrev till Bostaden.", body)
        self.assertIn("- Belysning i Centrum (föreslagen, Centrum) (svarar på era rapporter)", body)
        for absent in (
            "Nattvandring i Lugnvik",  # not an area it reports in
            "Gammal åtgärd",  # cancelled a month ago
            "Hyresbolagets hemliga text",
            "Kommentar till Hyresbolaget",
            "Vår text",
        ):
            self.assertNotIn(absent, body)
        self.assertEqual(OutgoingEmail.objects.get().kind, "reports.digest")

    @override_settings(SITE_URL="https://trygg.example.se")
    def test_the_digest_links_to_each_measure_and_to_its_own_setting(self):
        self.send()
        body = text_of(self.inbox.messages[0]).replace("\r\n", "\n")
        self.assertIn(f"\n  https://trygg.example.se/atgarder/{self.lighting.pk}/\n", body)
        self.assertIn("Stäng av det här: https://trygg.example.se/rapporter/veckobrev/", body)

    def test_a_second_run_in_the_same_week_sends_nothing_and_opting_out_stops_it(self):
        self.send()
        self.send()
        self.assertEqual(len(self.inbox.messages), 1)
        set_report_digest(organisation=self.w.orgs["bostad"], by=self.w.karl, on=False)
        self.assertEqual(send_report_digests(now=timezone.now() + timedelta(days=7)), 0)

    def test_an_organisation_that_did_not_opt_in_gets_nothing(self):
        set_report_digest(organisation=self.w.orgs["bostad"], by=self.w.karl, on=False)
        set_report_digest(organisation=self.w.orgs["bostad2"], by=self.w.kim, on=True)
        link_to_measure(report=self.other, by=self.w.anna, measure=self.lugnvik)
        self.send()
        [message] = self.inbox.messages
        self.assertEqual(message["To"], "kim@hyres.example")
        body = text_of(message)
        self.assertIn("Nattvandring i Lugnvik", body)
        self.assertNotIn("Belysning i Centrum", body)
        self.assertNotIn("Vår text", body)

    def test_it_names_no_measure_its_recipients_may_not_open(self):
        # In Centrum, where Bostaden reports, but neither linked to its reports nor its own:
        # its reporters get a 404 for the measure, so the email must not name it either.
        cameras = self.measure("Kameror i Centrum", area=self.w.centrum)
        sign_in(self.client, self.w.karl)
        self.assertEqual(self.client.get(f"/atgarder/{cameras.pk}/").status_code, 404)
        self.send()
        body = text_of(self.inbox.messages[0])
        self.assertIn("Belysning i Centrum", body)
        self.assertNotIn("Kameror i Centrum", body)


class DigestPageTests(TryggTestCase):
    def test_a_member_turns_the_digest_on_and_off_for_his_own_organisation(self):
        sign_in(self.client, self.w.karl)
        bostad = self.w.orgs["bostad"]
        response = self.client.post(
            "/rapporter/veckobrev/", {"organisation": bostad.pk, "on": "yes"}
        )
        self.assertRedirects(response, "/rapporter/veckobrev/")
        self.assertTrue(DigestSubscription.objects.filter(organisation=bostad).exists())
        self.client.post("/rapporter/veckobrev/", {"organisation": bostad.pk, "on": "no"})
        self.assertFalse(DigestSubscription.objects.exists())

    def test_nobody_turns_it_on_for_another_organisation(self):
        sign_in(self.client, self.w.karl)
        other = self.w.orgs["bostad2"]
        response = self.client.post(
            "/rapporter/veckobrev/", {"organisation": other.pk, "on": "yes"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(DigestSubscription.objects.exists())
