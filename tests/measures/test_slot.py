"""The lägesbild's measures slot (page, PDF, data.json, API) and the area profile's list."""

from __future__ import annotations

from datetime import date

from tests.measures.test_access import NOTE, make_measure
from tests.situation.test_documents import pdf_pages
from tests.world import TryggTestCase, sign_in
from trygg.measures.actions import change_status, set_light
from trygg.partners.actions import create_api_token

WEEK = "2026-W47"


class MeasuresSlotTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.late = make_measure(cls.w, title="Försenad belysning", deadline=date(2020, 1, 1))
        set_light(measure=cls.late, by=cls.w.anna, light="red", comment="Ingen budget")
        cls.fine = make_measure(cls.w, title="Städning", area=cls.w.lugnvik)
        set_light(measure=cls.fine, by=cls.w.anna, light="green", comment="")
        cls.done = make_measure(cls.w, title="Klar sedan länge", deadline=date(2020, 1, 1))
        change_status(measure=cls.done, by=cls.w.anna, to="done")

    def test_the_page_counts_open_measures_by_light_in_words_and_lists_the_overdue(self):
        sign_in(self.client, self.w.sara)
        response = self.client.get(f"/lagesbild/2380/?period={WEEK}")
        slot = response.context["measures"]
        self.assertEqual((slot["open"], slot["overdue_count"]), (2, 1))
        self.assertEqual(slot["by_light"], {"green": 1, "yellow": 0, "red": 1, "none": 0})
        page = response.content.decode()
        self.assertIn("Röd: avviker", page)
        self.assertIn("Försenad belysning", page)
        self.assertNotIn("Klar sedan länge", page)
        self.assertNotIn(NOTE, page)

    def test_the_json_and_the_api_carry_the_same_slot(self):
        sign_in(self.client, self.w.sara)
        data = self.client.get(f"/lagesbild/2380/data.json?period={WEEK}").json()["measures"]
        token = create_api_token(user=self.w.sara, name="t")[1]
        api = self.client.get(
            f"/api/v1/situation?municipality=2380&period={WEEK}",
            headers={"Authorization": f"Bearer {token}"},
        ).json()["measures"]
        self.assertEqual(data, api)
        self.assertEqual([m["title"] for m in api["overdue"]], ["Försenad belysning"])
        self.assertEqual(api["board"], "/atgarder/kommun/2380/")

    def test_the_slot_counts_only_what_the_reader_may_see(self):
        sign_in(self.client, self.w.kim)  # a reporter with nothing linked
        slot = self.client.get(f"/lagesbild/2380/?period={WEEK}").context["measures"]
        self.assertEqual((slot["open"], slot["overdue"]), (0, []))

    def test_the_pdf_shows_the_slot(self):
        sign_in(self.client, self.w.anna)
        response = self.client.get(f"/lagesbild/2380/pdf?period={WEEK}")
        text = " ".join(pdf_pages(response.content)[1])
        self.assertIn("Försenad belysning", text)
        self.assertIn("2 öppna åtgärder", text)
        self.assertNotIn(NOTE, text)

    def test_the_area_profile_lists_the_area_s_measures(self):
        sign_in(self.client, self.w.greta)
        response = self.client.get(f"/lagesbild/omrade/{self.w.lugnvik.pk}/?period={WEEK}")
        self.assertEqual([m["title"] for m in response.context["measures"]], ["Städning"])
        self.assertIn("Grön: enligt plan", response.content.decode())

    def test_the_api_answer_follows_a_changed_light_though_the_picture_is_kept(self):
        token = create_api_token(user=self.w.anna, name="t")[1]

        def slot():
            return self.client.get(
                f"/api/v1/situation?municipality=2380&period={WEEK}",
                headers={"Authorization": f"Bearer {token}"},
            ).json()["measures"]

        self.assertEqual(slot()["by_light"]["yellow"], 0)
        set_light(measure=self.fine, by=self.w.anna, light="yellow", comment="Regn")
        self.assertEqual(slot()["by_light"]["yellow"], 1)


class PlanPresenceLinkTests(TryggTestCase):
    LINK = 'href="/atgarder/narvaro/2380/">Planera närvaro<'

    def test_the_lagesbild_and_the_board_link_to_planera_narvaro(self):
        sign_in(self.client, self.w.kim)  # any member of the partnership may plan
        for page in (f"/lagesbild/2380/?period={WEEK}", "/atgarder/kommun/2380/"):
            with self.subTest(page):
                self.assertContains(self.client.get(page), self.LINK, html=False)
        self.assertEqual(self.client.get("/atgarder/narvaro/2380/").status_code, 200)
