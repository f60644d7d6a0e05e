"""A measure's history as its page and the API show it: sentences, and what each reader sees."""

from __future__ import annotations

import uuid

from tests.measures.test_access import NOTE, make_measure
from tests.measures.test_effect import build_effect_data
from tests.world import TryggTestCase, report_data, sign_in
from trygg.measures.actions import link_reports, update_measure
from trygg.measures.models import MeasureEvent
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_report


class HistorySentenceTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measure = build_effect_data(cls.w)["graffiti"]

    def history(self) -> list[str]:
        sign_in(self.client, self.w.anna)
        response = self.client.get(f"/atgarder/{self.measure.pk}/")
        return [h["text"] for h in response.context["history"]]

    def test_a_yes_no_field_reads_ja_and_nej_never_true_or_false(self):
        update_measure(measure=self.measure, by=self.w.anna, ordinary_work=True)
        self.assertIn("Ordinarie arbete (inte en engångsinsats) ändrad från nej till ja.",
                      self.history())  # fmt: skip
        page = self.client.get(f"/atgarder/{self.measure.pk}/").content.decode()
        self.assertNotIn("True", page)
        self.assertNotIn("False", page)

    def test_linked_reports_are_counted_without_their_ids(self):
        reports = [submit_report(organisation=self.w.orgs["bostad"], by=self.w.karl,
                                 data=report_data())[0] for _ in range(2)]  # fmt: skip
        link_reports(measure=self.measure, by=self.w.anna, reports=reports)
        history = self.history()
        self.assertIn("2 rapporter kopplade.", history)
        self.assertFalse(any(str(reports[0].pk) in text for text in history))

    def test_the_api_counts_reports_of_entries_that_once_held_their_ids(self):
        ids = [str(uuid.uuid4()) for _ in range(3)]
        # How linking was recorded before the history counted: the ids, space-separated.
        MeasureEvent.objects.create(measure=self.measure, actor=self.w.anna, field="reports",
                                    old=ids[0], new=" ".join(ids[1:]))  # fmt: skip
        token = create_api_token(user=self.w.sara, name="t")[1]
        response = self.client.get(f"/api/v1/measures/{self.measure.pk}",
                                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        entry = response.json()["history"][-1]
        self.assertEqual((entry["field"], entry["old"], entry["new"]), ("reports", "1", "2"))
        self.assertEqual(entry["text"], "2 rapporter kopplade. 1 rapport bortkopplad.")
        for pk in ids:
            self.assertNotIn(pk, response.content.decode())

    def test_a_saved_evaluation_is_a_sentence(self):
        sign_in(self.client, self.w.anna)
        self.client.post(f"/atgarder/{self.measure.pk}/utvardera/spara", {"weeks": "4"})
        self.assertEqual(self.history()[-1], "Effekten utvärderades och utvärderingen sparades.")


class InternalNotesStayInsideTests(TryggTestCase):
    """The owner rewrites the internal notes; a partner sees neither text in any history."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measure = make_measure(cls.w)  # owned by Bostaden, with NOTE as its notes

    def test_a_partner_never_sees_internal_notes_after_the_owner_edits_them(self):
        sign_in(self.client, self.w.karl)
        response = self.client.post(f"/atgarder/{self.measure.pk}/andra/",
                                    {"internal_notes": "Ny-hemlig-anteckning"})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        update_measure(measure=self.measure, by=self.w.karl, internal_notes="Tredje-hemliga")
        self.assertEqual(self.measure.history.filter(field="internal_notes").count(), 2)
        sign_in(self.client, self.w.sara)
        page = self.client.get(f"/atgarder/{self.measure.pk}/")
        self.assertEqual(page.status_code, 200)
        token = create_api_token(user=self.w.sara, name="t")[1]
        api = self.client.get(f"/api/v1/measures/{self.measure.pk}",
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        self.assertEqual(api.status_code, 200)
        self.assertNotIn("internal_notes", {h["field"] for h in api.json()["history"]})
        self.assertNotIn("Interna anteckningar", [h["text"] for h in page.context["history"]])
        for body in (page.content.decode(), api.content.decode()):
            for secret in (NOTE, "Ny-hemlig-anteckning", "Tredje-hemliga", "internal_notes"):
                self.assertNotIn(secret, body)

    def test_the_owner_sees_that_the_notes_changed(self):
        update_measure(measure=self.measure, by=self.w.karl, internal_notes="Ny-hemlig-anteckning")
        sign_in(self.client, self.w.karl)
        page = self.client.get(f"/atgarder/{self.measure.pk}/")
        self.assertIn("internal_notes", [h["field"] for h in page.context["history"]])
