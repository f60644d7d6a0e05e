"""Evaluating a measure through the pages: the numbers shown, saving a snapshot, who may."""

from __future__ import annotations

from django.utils import timezone

from tests.measures.test_effect import FOUR_WEEKS, TODAY, build_effect_data
from tests.world import TryggTestCase, report_data, sign_in
from trygg.measures.actions import link_reports
from trygg.measures.effect import evaluate
from trygg.measures.models import Evaluation
from trygg.reports.actions import submit_report

TOO_FEW = "för få händelser för att dra slutsatser"
# The windows (four weeks either side of 2026-09-07) lie wholly in the past, so
# the pages, which evaluate up to the real today, count what TODAY counts.


class EffectPageTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measures = build_effect_data(cls.w)

    def page(self, user, code="graffiti", query="?weeks=4"):
        sign_in(self.client, user)
        return self.client.get(f"/atgarder/{self.measures[code].pk}/utvardera/{query}")

    def test_the_page_shows_the_counts_and_the_estimate(self):
        response = self.page(self.w.anna)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<td>30</td><td>10</td><td>25</td><td>24</td>", html=False)
        self.assertContains(response, "−20,0".replace("−", "-"))  # the DiD estimate
        self.assertContains(response, "WDQ = -0,37")
        self.assertNotContains(response, TOO_FEW, status_code=200)

    def test_a_handful_of_reports_shows_too_few_instead_of_a_number(self):
        response = self.page(self.w.anna, code="noise")
        self.assertContains(response, TOO_FEW)
        self.assertNotContains(response, "WDQ =")
        self.assertNotContains(response, "-2,0 ")  # the too-few DiD estimate is not shown

    def test_saving_keeps_a_dated_snapshot_equal_to_the_evaluation(self):
        sign_in(self.client, self.w.karl)  # his organisation is responsible
        measure = self.measures["graffiti"]
        response = self.client.post(f"/atgarder/{measure.pk}/utvardera/spara", {"weeks": "4"})
        self.assertRedirects(response, f"/atgarder/{measure.pk}/utvarderingar/")
        saved = Evaluation.objects.get(measure=measure)
        self.assertEqual(saved.by, self.w.karl)
        self.assertLessEqual(saved.created_at, timezone.now())
        self.assertEqual(saved.results, evaluate(measure, FOUR_WEEKS, today=TODAY).as_json())
        self.assertEqual(saved.parameters["weeks"], 4)
        self.assertEqual(measure.history.last().field, "evaluation")

    def test_partners_read_saved_evaluations_but_may_not_evaluate(self):
        measure = self.measures["graffiti"]
        sign_in(self.client, self.w.anna)
        self.client.post(f"/atgarder/{measure.pk}/utvardera/spara", {"weeks": "4"})
        self.client.logout()
        self.assertEqual(self.page(self.w.sara).status_code, 403)
        response = self.client.get(f"/atgarder/{measure.pk}/utvarderingar/")
        self.assertContains(response, "<td>30</td><td>10</td>", html=False)

    def test_other_reporters_and_other_municipalities_get_nothing(self):
        # kim may not see the measure at all (trygg.measures.access): 404, as on its page.
        self.assertEqual(self.page(self.w.kim).status_code, 404)
        self.assertEqual(self.page(self.w.erik).status_code, 404)
        response = self.client.get(f"/atgarder/{self.measures['graffiti'].pk}/utvarderingar/")
        self.assertEqual(response.status_code, 404)

    def test_a_reporter_who_sees_the_measure_is_refused_with_403(self):
        measure = self.measures["graffiti"]
        report, _ = submit_report(organisation=self.w.orgs["natt"], by=self.w.nils,
                                  data=report_data())  # fmt: skip
        link_reports(measure=measure, by=self.w.anna, reports=[report])
        sign_in(self.client, self.w.nils)
        self.assertEqual(self.client.get(f"/atgarder/{measure.pk}/").status_code, 200)
        self.assertEqual(self.page(self.w.nils).status_code, 403)
        response = self.client.get(f"/atgarder/{measure.pk}/utvarderingar/")
        self.assertEqual(response.status_code, 403)


class EffectLinksOnTheMeasurePageTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measure = build_effect_data(cls.w)["graffiti"]

    def links(self, user) -> tuple[bool, bool]:
        sign_in(self.client, user)
        page = self.client.get(f"/atgarder/{self.measure.pk}/").content.decode()
        evaluate = f'href="/atgarder/{self.measure.pk}/utvardera/">Utvärdera<'
        saved = f'href="/atgarder/{self.measure.pk}/utvarderingar/">Sparade utvärderingar<'
        return evaluate in page, saved in page

    def test_evaluators_get_both_links(self):
        self.assertEqual(self.links(self.w.anna), (True, True))
        self.assertEqual(self.links(self.w.karl), (True, True))  # the owner's member

    def test_partners_get_only_the_saved_evaluations(self):
        self.assertEqual(self.links(self.w.sara), (False, True))
        self.assertEqual(self.links(self.w.greta), (False, True))
