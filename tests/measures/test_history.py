"""A measure's history as its page and the API show it: sentences, and what each reader sees."""

from __future__ import annotations

from tests.measures.test_effect import build_effect_data
from tests.world import TryggTestCase, report_data, sign_in
from trygg.measures.actions import link_reports, update_measure
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
        self.assertIn("2 rapporter kopplades till åtgärden.", history)
        self.assertFalse(any(str(reports[0].pk) in text for text in history))

    def test_a_saved_evaluation_is_a_sentence(self):
        sign_in(self.client, self.w.anna)
        self.client.post(f"/atgarder/{self.measure.pk}/utvardera/spara", {"weeks": "4"})
        self.assertEqual(self.history()[-1], "Effekten utvärderades och utvärderingen sparades.")
