"""Handling through the pages and the API: who may do what, and what each then sees."""

import json

from django.test import override_settings

from tests.world import TryggTestCase, report_data, sign_in
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure
from trygg.partners.actions import create_api_token
from trygg.reports.actions import comment_on_report, link_to_measure, submit_report
from trygg.reports.models import Report, ReportComment


@override_settings(LANGUAGE_CODE="sv")
class HandlingPageTests(TryggTestCase):
    def setUp(self):
        self.report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )
        self.url = f"/rapporter/{self.report.pk}/"

    def page(self, person):
        sign_in(self.client, person)
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="sv")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def post(self, person, suffix, **data):
        sign_in(self.client, person)
        return self.client.post(self.url + suffix, data, HTTP_ACCEPT_LANGUAGE="sv")

    def test_a_coordinator_reviews_and_the_history_says_so_in_swedish(self):
        response = self.post(self.w.anna, "status/", status="reviewed")
        self.assertRedirects(response, self.url)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "reviewed")
        self.assertIn("anna ändrade status från mottagen till granskad.", self.page(self.w.karl))

    def test_a_refused_move_is_said_on_the_page_and_changes_nothing(self):
        self.post(self.w.anna, "status/", status="closed")
        response = self.client.post(self.url + "status/", {"status": "reviewed"}, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "En rapport som är avslutad kan inte bli granskad.")
        self.assertEqual(self.report.history.count(), 1)

    def test_the_reporter_reads_comments_but_not_notes_and_hears_what_is_done(self):
        self.post(self.w.anna, "kommentar/", text="Vi åtgärdar det")
        self.post(self.w.anna, "kommentar/", text="Hemligt om platsen", internal="on")
        measure = create_measure(
            by=self.w.anna, municipality=self.w.ostersund, title="Belysning vid porten",
            kind=Measure.Kind.SITUATIONAL, responsible=self.w.orgs["kommun"],
        )  # fmt: skip
        self.post(self.w.anna, "atgard/", measure=str(measure.pk))
        self.assertEqual(list(measure.reports.all()), [self.report])
        coordinator = self.page(self.w.anna)
        self.assertIn("Hemligt om platsen", coordinator)
        reporter = self.page(self.w.karl)
        self.assertIn("Vi åtgärdar det", reporter)
        self.assertNotIn("Hemligt om platsen", reporter)
        self.assertNotIn("intern anteckning", reporter)
        self.assertIn("Det här görs: Belysning vid porten (föreslagen)", reporter)
        partner = self.page(self.w.sara)
        for hidden in ("Vi åtgärdar det", "Historik", "Belysning vid porten"):
            self.assertNotIn(hidden, partner)

    def test_only_coordinators_handle_and_outsiders_do_not_learn_the_report_exists(self):
        for person, status in ((self.w.karl, 403), (self.w.sara, 403), (self.w.erik, 404)):
            with self.subTest(person=person.username):
                self.assertEqual(self.post(person, "kommentar/", text="x").status_code, status)
                response = self.post(person, "status/", flagged="yes")
                self.assertEqual(response.status_code, status)
        self.assertFalse(ReportComment.objects.exists())
        self.report.refresh_from_db()
        self.assertFalse(self.report.flagged_for_discussion)

    def test_the_reporter_withdraws_from_his_page(self):
        self.assertIn("Återkalla rapporten", self.page(self.w.karl))
        self.assertNotIn("Återkalla rapporten", self.page(self.w.anna))
        self.post(self.w.karl, "status/", status="withdrawn")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "withdrawn")
        self.assertIn("karl återkallade rapporten.", self.page(self.w.karl))

    def test_the_list_filters_flagged_reports(self):
        other, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )
        self.post(self.w.anna, "status/", flagged="yes")
        response = self.client.get("/rapporter/?flagged=yes")
        self.assertEqual([r.report for r in response.context["rows"]], [self.report])
        response = self.client.get("/rapporter/?flagged=no")
        self.assertEqual([r.report for r in response.context["rows"]], [other])
        self.assertEqual(self.client.get("/rapporter/?flagged=maybe").status_code, 400)


class HandlingApiTests(TryggTestCase):
    def setUp(self):
        self.report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl, data=report_data()
        )
        self.path = f"/api/v1/reports/{self.report.pk}"

    def call(self, person, suffix, body, method="post"):
        token = create_api_token(user=person, name="t")[1]
        return getattr(self.client, method)(
            self.path + suffix, json.dumps(body) if body is not None else None,
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        )  # fmt: skip

    def test_a_coordinator_reviews_flags_and_comments_in_one_request(self):
        body = {"status": "reviewed", "flagged_for_discussion": True, "comment": "Noterat"}
        response = self.call(self.w.anna, "/status", body)
        self.assertEqual(response.status_code, 200, response.content)
        answer = response.json()
        self.assertEqual((answer["status"], answer["flagged_for_discussion"]), ("reviewed", True))
        self.assertEqual([h["what"] for h in answer["history"]], ["status", "comment", "flag"])
        self.assertEqual([c["text"] for c in answer["comments"]], ["Noterat"])

    def test_a_refused_transition_is_422_naming_status_and_writes_nothing(self):
        self.call(self.w.anna, "/status", {"status": "closed"})
        response = self.call(self.w.anna, "/status", {"status": "reviewed", "comment": "x"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "status")
        self.assertEqual(self.report.history.count(), 1)
        self.assertFalse(ReportComment.objects.exists())

    def test_who_may_set_a_status(self):
        for person, code in (
            (self.w.sara, 403), (self.w.greta, 403), (self.w.kim, 404), (self.w.erik, 404),
            (self.w.karl, 403),  # the reporter may withdraw, not review
        ):  # fmt: skip
            with self.subTest(person=person.username):
                response = self.call(person, "/status", {"status": "reviewed"})
                self.assertEqual(response.status_code, code)
        self.assertEqual(Report.objects.get().status, "received")

    def test_the_reporter_withdraws_through_the_api(self):
        response = self.call(self.w.karl, "/status", {"status": "withdrawn"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "withdrawn")

    def test_comments_and_notes_reach_whom_they_may(self):
        for text, internal in (("Till er", False), ("Bara oss", True)):
            response = self.call(self.w.anna, "/comments", {"text": text, "internal": internal})
            self.assertEqual(response.status_code, 201, response.content)
            self.assertEqual(response.json()["internal"], internal)
        self.assertEqual(self.call(self.w.anna, "/comments", {"text": " "}).status_code, 422)
        self.assertEqual(self.call(self.w.karl, "/comments", {"text": "x"}).status_code, 403)
        seen = {
            person.username: [
                c["text"] for c in self.call(person, "", None, "get").json()["comments"]
            ]
            for person in (self.w.anna, self.w.karl, self.w.greta, self.w.sara)
        }
        self.assertEqual(
            seen,
            {"anna": ["Till er", "Bara oss"], "karl": ["Till er"], "greta": [], "sara": []},
        )

    def test_the_reporter_sees_what_is_done_about_his_report(self):
        measure = create_measure(
            by=self.w.anna, municipality=self.w.ostersund, title="Belysning",
            kind=Measure.Kind.SITUATIONAL, responsible=self.w.orgs["kommun"],
        )  # fmt: skip
        link_to_measure(report=self.report, by=self.w.anna, measure=measure)
        comment_on_report(report=self.report, by=self.w.anna, text="Kopplad")
        answer = self.call(self.w.karl, "", None, "get").json()
        self.assertEqual(
            answer["measures"],
            [{"id": measure.pk, "title": "Belysning", "status": "proposed",
              "status_name": answer["measures"][0]["status_name"]}],
        )  # fmt: skip


@override_settings(LANGUAGE_CODE="sv")
class CorrectionPageTests(TryggTestCase):
    def setUp(self):
        self.report, _ = submit_report(
            organisation=self.w.orgs["bostad"], by=self.w.karl,
            data=report_data(description="Klotter", persons=2),
        )  # fmt: skip
        self.url = f"/rapporter/{self.report.pk}/ratta/"
        sign_in(self.client, self.w.karl)

    def form_data(self, **changes):
        form = self.client.get(self.url).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data = {k: "" if v is None else v for k, v in data.items()}
        data.update(changes)
        return data

    def test_the_reporter_corrects_and_only_what_changed_is_recorded(self):
        response = self.client.post(self.url, self.form_data(description="Klotter, 070-123 45 67"))
        self.assertRedirects(response, f"/rapporter/{self.report.pk}/")
        self.report.refresh_from_db()
        self.assertIn("[telefonnummer]", self.report.description)
        event = self.report.history.get()
        self.assertEqual((event.what, event.old), ("correction", "description"))
        self.assertEqual(event.previous["description"], "Klotter")
        page = self.client.get(f"/rapporter/{self.report.pk}/").content.decode()
        self.assertIn(
            "karl rättade rapporten (anteckning); den tidigare versionen finns kvar.", page
        )

    def test_a_bad_correction_is_shown_at_its_field_and_changes_nothing(self):
        response = self.client.post(self.url, self.form_data(persons="-3"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["persons"])
        self.assertFalse(self.report.history.exists())

    @override_settings(REPORT_EDIT_HOURS=0)
    def test_after_the_window_the_page_says_so(self):
        response = self.client.get(self.url, follow=True)
        self.assertContains(response, "Rapporten kan inte längre ändras.")


@override_settings(LANGUAGE_CODE="sv")
class EarlierVersionTests(TryggTestCase):
    """A correction's earlier values, masked as stored, to those who read the details."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report, _ = submit_report(
            organisation=cls.w.orgs["bostad"], by=cls.w.karl,
            data=report_data(description="Ring 070-123 45 67", persons=2),
        )  # fmt: skip

    def correct(self):
        sign_in(self.client, self.w.karl)
        url = f"/rapporter/{self.report.pk}/ratta/"
        form = self.client.get(url).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data = {k: "" if v is None else v for k, v in data.items()}
        data.update(description="Klotter på dörren", persons="3")
        self.assertEqual(self.client.post(url, data).status_code, 302)

    def test_the_report_page_shows_the_earlier_values_masked_as_stored(self):
        self.correct()
        for reader in (self.w.karl, self.w.anna):
            sign_in(self.client, reader)
            page = self.client.get(f"/rapporter/{self.report.pk}/").content.decode()
            self.assertIn("Före rättelsen:", page)
            self.assertIn("<dd>Ring [telefonnummer]</dd>", page)
            self.assertIn("<dd>2</dd>", page)
            self.assertNotIn("070-123", page)

    def test_the_api_history_carries_them_too(self):
        self.correct()
        token = create_api_token(user=self.w.karl, name="t")[1]
        answer = self.client.get(f"/api/v1/reports/{self.report.pk}",
                                 headers={"Authorization": f"Bearer {token}"}).json()  # fmt: skip
        [correction] = [h for h in answer["history"] if h["what"] == "correction"]
        earlier = {e["field"]: e["value"] for e in correction["earlier"]}
        self.assertEqual(earlier, {"persons": "2", "description": "Ring [telefonnummer]"})

    def test_a_reader_without_the_details_sees_no_earlier_value(self):
        self.correct()
        sign_in(self.client, self.w.sara)  # partner: the report, not its free text
        page = self.client.get(f"/rapporter/{self.report.pk}/").content.decode()
        self.assertNotIn("Ring [telefonnummer]", page)
        self.assertNotIn("Före rättelsen", page)
