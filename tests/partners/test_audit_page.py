"""The audit log page: sentences in the reader's language, filters, and the CSV for the DPO."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from tests.world import TryggTestCase, report_data, sign_in
from trygg.partners.models import AuditEvent, Membership, Role
from trygg.reports.actions import submit_report


class AuditPageTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report, _ = submit_report(
            organisation=cls.w.orgs["bostad"], by=cls.w.karl, data=report_data()
        )
        # Changes made outside a request: the system is the actor.
        membership = Membership.objects.get(user=cls.w.karl)
        membership.role = Role.PARTNER
        membership.save()
        cls.w.nils.username = "nils.o"
        cls.w.nils.save()

    def setUp(self):
        sign_in(self.client, self.w.petra)
        self.client.get(f"/rapporter/{self.report.pk}/")  # petra reads karl's free text
        sign_in(self.client, self.w.anna)

    def test_each_entry_is_a_swedish_sentence_not_raw_fields(self):
        page = self.client.get("/logg/")
        self.assertContains(page, "Ändrade rollen för karl i Bostaden från Rapportör till Partner.")
        self.assertContains(page, "Gav anna rollen Samordnare i Östersunds kommun.")
        self.assertContains(page, "Bytte namn på användaren nils till nils.o")
        self.assertContains(page, "Fick se fritexten i 1 rapport från en annan organisation.")
        self.assertContains(page, "<strong>Systemet</strong>: Bytte namn")
        for raw in ["old_role", "membership added", "None", "change:", ">system<"]:
            self.assertNotContains(page, raw)

    def test_a_change_it_has_no_sentence_for_still_reads_as_one_without_raw_fields(self):
        AuditEvent.objects.create(
            actor_name="system",
            action=AuditEvent.Action.PERMISSION,
            municipality_id=self.w.ostersund.pk,
            target="area:7",
            detail={"change": "outline redrawn", "vertices": 12},
        )
        page = self.client.get("/logg/")
        self.assertContains(page, "Ändrad behörighet som gäller area:7.")
        self.assertNotContains(page, "outline redrawn")
        self.assertNotContains(page, "vertices")

    def test_it_speaks_english_to_who_chose_it(self):
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/logg/"})
        page = self.client.get("/logg/")
        self.assertContains(page, "Changed the role of karl in Bostaden from Reporter to Partner.")
        self.assertContains(page, "Was shown the free text of 1 report of another organisation.")

    def test_it_filters_by_person_kind_and_dates(self):
        petra = str(self.w.petra.pk)
        page = self.client.get("/logg/", {"person": petra})
        self.assertContains(page, "Fick se fritexten")
        self.assertNotContains(page, "Ändrade rollen")
        page = self.client.get("/logg/", {"person": "system", "action": "permission"})
        self.assertContains(page, "Ändrade rollen")
        self.assertNotContains(page, "Fick se fritexten")
        page = self.client.get("/logg/", {"action": "read_details"})
        self.assertContains(page, "1 post")
        today = timezone.localdate()
        page = self.client.get("/logg/", {"since": today, "until": today, "person": petra})
        self.assertContains(page, "Fick se fritexten")
        tomorrow = today + timedelta(days=1)
        self.assertContains(self.client.get("/logg/", {"since": tomorrow}), "0 poster")

    def test_it_says_when_the_dates_are_the_wrong_way_round(self):
        today = timezone.localdate()
        page = self.client.get("/logg/", {"since": today, "until": today - timedelta(days=3)})
        self.assertContains(page, "Slutdatumet ligger före startdatumet.", status_code=400)

    def test_the_pages_keep_the_filter(self):
        for _ in range(101):
            self.client.get(f"/rapporter/{self.report.pk}/")
        page = self.client.get("/logg/", {"action": "read_details"})
        self.assertContains(page, "?action=read_details&amp;page=2")

    def test_another_municipalitys_coordinator_sees_neither_entries_nor_people(self):
        sign_in(self.client, self.w.erik)
        page = self.client.get("/logg/")
        self.assertNotContains(page, "petra")
        self.assertNotContains(self.client.get("/logg/export.csv"), "petra")


class AuditExportTests(TryggTestCase):
    def read_as(self, user):
        report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )
        sign_in(self.client, user)
        self.client.get(f"/rapporter/{report.pk}/")

    def download(self, **query):
        sign_in(self.client, self.w.anna)
        response = self.client.get("/logg/export.csv", query)
        self.assertEqual(response.status_code, 200)
        return response

    def test_it_is_a_csv_for_swedish_excel(self):
        self.read_as(self.w.petra)
        response = self.download()
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertRegex(response["Content-Disposition"], r'^attachment; filename="trygg-logg-')
        body = response.content
        self.assertTrue(body.startswith("\ufeff".encode()))
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[0][:5], ["När", "Användar-id", "Vem", "Typ", "Vad som hände"])
        [read] = [r for r in rows[1:] if r[2] == "petra"]
        self.assertEqual(read[1], str(self.w.petra.pk))
        self.assertEqual(read[4], "Fick se fritexten i 1 rapport från en annan organisation.")
        self.assertTrue(body.decode("utf-8-sig").endswith("\r\n"))

    def test_it_keeps_the_filters_and_is_itself_logged(self):
        self.read_as(self.w.petra)
        response = self.download(action="read_details")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual([r[2] for r in rows[1:]], ["petra"])
        [export] = AuditEvent.objects.filter(target="/logg/export.csv")
        self.assertEqual(export.actor_id, self.w.anna.pk)
        self.assertEqual(
            (export.detail["rows"], export.detail["query"]), (1, "action=read_details")
        )
        self.assertEqual(export.municipality_id, self.w.ostersund.pk)
        page = self.client.get("/logg/", {"action": "export"})
        self.assertContains(page, "(1 post).")

    def test_a_name_excel_would_run_as_a_formula_is_written_as_text(self):
        sly = User.objects.create_user("+46sly", password="secret-pass-123")
        Membership.objects.create(
            user=sly, organisation=self.w.orgs["kommun"], role=Role.COORDINATOR
        )
        self.read_as(sly)
        rows = list(
            csv.reader(io.StringIO(self.download().content.decode("utf-8-sig")), delimiter=";")
        )
        self.assertIn("'+46sly", [r[2] for r in rows])
        self.assertNotIn("+46sly", [r[2] for r in rows])

    def test_a_wrong_filter_is_refused(self):
        sign_in(self.client, self.w.anna)
        self.assertEqual(self.client.get("/logg/export.csv", {"since": "igår"}).status_code, 400)
