"""A measure's categories, partners and linked reports are edited after it is created.

Each change is a history entry saying what was added and removed; reports are
linked only from those the person may see, and the reporter's "det här görs"
comes and goes with the link.
"""

from __future__ import annotations

import uuid

from tests.measures.test_access import make_measure
from tests.world import TryggTestCase, report_data, sign_in
from trygg.measures.actions import MeasureRefused, update_measure
from trygg.measures.models import Measure
from trygg.partners.actions import create_api_token
from trygg.reports.actions import link_to_measure, submit_report
from trygg.reports.models import Category


class MeasureLinkTestCase(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.karls, _ = submit_report(organisation=cls.w.orgs["bostad"], by=cls.w.karl,
                                     data=report_data())  # fmt: skip
        cls.kims, _ = submit_report(organisation=cls.w.orgs["bostad2"], by=cls.w.kim,
                                    data=report_data(category="broken_glass"))  # fmt: skip
        cls.measure = make_measure(cls.w)  # owned by Bostaden, karl's company

    def last_entry(self):
        entry = self.measure.history.order_by("pk").last()
        return entry.field, entry.old, entry.new

    def refused_field(self, **changes):
        with self.assertRaises(MeasureRefused) as refused:
            update_measure(measure=self.measure, **changes)
        return refused.exception.field, str(refused.exception)


class CategoryAndPartnerTests(MeasureLinkTestCase):
    def test_adding_and_removing_categories_names_the_codes_in_the_history(self):
        update_measure(measure=self.measure, by=self.w.anna, categories=["graffiti", "arson"])
        self.assertEqual(self.last_entry(), ("categories", "", "arson graffiti"))
        update_measure(measure=self.measure, by=self.w.anna, categories=["arson"])
        self.assertEqual(self.last_entry(), ("categories", "graffiti", ""))
        self.assertEqual(list(self.measure.categories.values_list("code", flat=True)),
                         ["arson"])  # fmt: skip
        update_measure(measure=self.measure, by=self.w.anna, categories=["arson"])
        self.assertEqual(self.measure.history.filter(field="categories").count(), 2)

    def test_adding_and_removing_partners_names_the_organisations(self):
        vakt, natt = self.w.orgs["vakt"], self.w.orgs["natt"]
        update_measure(measure=self.measure, by=self.w.karl, partners=[vakt.pk, natt])
        self.assertEqual(self.last_entry(),
                         ("partners", "", "Nattvandring Östersund, Vaktbolaget"))  # fmt: skip
        update_measure(measure=self.measure, by=self.w.karl, partners=[natt.pk])
        self.assertEqual(self.last_entry(), ("partners", "Vaktbolaget", ""))
        self.assertEqual(list(self.measure.partners.all()), [natt])

    def test_it_refuses_an_unknown_category_or_another_municipality_s_partner_naming_it(self):
        self.assertEqual(self.refused_field(by=self.w.anna, categories=["nonsense"])[0],
                         "categories")  # fmt: skip
        elsewhere = self.w.orgs["elsewhere"].pk
        self.assertEqual(self.refused_field(by=self.w.anna, partners=[elsewhere])[0], "partners")
        self.assertEqual(self.refused_field(by=self.w.anna, partners=["x"])[0], "partners")
        self.assertFalse(self.measure.partners.exists() or self.measure.categories.exists())

    def test_one_edit_is_one_transaction(self):
        with self.assertRaises(MeasureRefused):
            update_measure(measure=self.measure, by=self.w.anna, title="Nytt namn",
                           categories=["graffiti"], partners=[999999])  # fmt: skip
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.title, "Bättre belysning vid gångtunneln")
        self.assertFalse(self.measure.categories.exists())

    def test_the_history_says_it_in_sentences(self):
        update_measure(measure=self.measure, by=self.w.anna, categories=["graffiti"],
                       partners=[self.w.orgs["vakt"]], reports=[self.karls.pk])  # fmt: skip
        sign_in(self.client, self.w.sara)
        page = self.client.get(f"/atgarder/{self.measure.pk}/").content.decode()
        self.assertIn("Kategorier tillagda: Klotter.", page)
        self.assertIn("Samverkanspartner tillagda: Vaktbolaget.", page)
        self.assertIn("1 rapport kopplad.", page)
        self.assertNotIn(str(self.karls.pk), page.split('id="h-history"')[1])


class LinkedReportTests(MeasureLinkTestCase):
    def being_done_for_karl(self) -> bool:
        sign_in(self.client, self.w.karl)
        page = self.client.get(f"/rapporter/{self.karls.pk}/").content.decode()
        return "Det här görs: Bättre belysning vid gångtunneln" in page

    def test_linking_tells_the_reporter_and_unlinking_takes_it_back(self):
        self.assertFalse(self.being_done_for_karl())
        update_measure(measure=self.measure, by=self.w.anna, reports=[self.karls.pk, self.kims])
        self.assertEqual(self.last_entry(), ("reports", "", "2"))
        self.assertTrue(self.being_done_for_karl())
        update_measure(measure=self.measure, by=self.w.anna, reports=[str(self.kims.pk)])
        self.assertEqual(self.last_entry(), ("reports", "1", ""))
        self.assertEqual(list(self.measure.reports.all()), [self.kims])
        self.assertFalse(self.being_done_for_karl())

    def test_it_refuses_a_report_the_person_may_not_see_like_one_that_does_not_exist(self):
        invisible = self.refused_field(by=self.w.karl, reports=[self.kims.pk])
        missing = self.refused_field(by=self.w.karl, reports=[uuid.uuid4()])
        self.assertEqual(invisible, missing)
        self.assertEqual(invisible[0], "reports")
        self.assertEqual(self.refused_field(by=self.w.anna, reports=["not-an-id"])[0], "reports")
        self.assertFalse(self.measure.reports.exists())

    def test_it_refuses_another_municipality_s_report_even_to_a_superuser(self):
        self.w.erik.is_superuser = True
        self.w.erik.save()
        theirs, _ = submit_report(organisation=self.w.orgs["elsewhere"], by=self.w.erik,
                                  data=report_data(lat=63.2, lon=14.5))  # fmt: skip
        self.assertEqual(self.refused_field(by=self.w.erik, reports=[theirs.pk])[0], "reports")

    def test_a_linked_report_the_owner_may_not_see_stays_linked(self):
        update_measure(measure=self.measure, by=self.w.anna, reports=[self.karls, self.kims])
        update_measure(measure=self.measure, by=self.w.karl, reports=[])
        self.assertEqual(list(self.measure.reports.all()), [self.kims])
        # Naming it, as the API's own answer lists it, is no attempt to link it anew.
        update_measure(measure=self.measure, by=self.w.karl, reports=[self.kims.pk])
        self.assertEqual(list(self.measure.reports.all()), [self.kims])

    def test_a_link_from_the_report_side_is_counted_the_same_way(self):
        link_to_measure(report=self.karls, by=self.w.anna, measure=self.measure)
        self.assertEqual(self.last_entry(), ("reports", "", "1"))


class EditPageTests(MeasureLinkTestCase):
    def test_the_owner_edits_the_links_on_the_page(self):
        update_measure(measure=self.measure, by=self.w.anna, reports=[self.karls])
        sign_in(self.client, self.w.karl)
        path = f"/atgarder/{self.measure.pk}/andra/"
        form = self.client.get(path).content.decode()
        for name in ('name="categories"', 'name="partners"', 'name="linked_reports"',
                     'name="reports"'):  # fmt: skip
            self.assertIn(name, form)
        graffiti = Category.objects.get(code="graffiti")
        response = self.client.post(path, {
            "description": "", "categories": [graffiti.pk], "partners": [self.w.orgs["vakt"].pk],
            "reports": "",  # karl's report unticked: unlinked
        })  # fmt: skip
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        self.assertEqual(list(self.measure.categories.all()), [graffiti])
        self.assertEqual(list(self.measure.partners.all()), [self.w.orgs["vakt"]])
        self.assertFalse(self.measure.reports.exists())

    def test_the_page_keeps_ticked_reports_and_links_added_ids(self):
        update_measure(measure=self.measure, by=self.w.anna, reports=[self.karls])
        sign_in(self.client, self.w.anna)
        path = f"/atgarder/{self.measure.pk}/andra/"
        data = {"title": self.measure.title, "kind": self.measure.kind,
                "responsible": self.measure.responsible_id,
                "linked_reports": [str(self.karls.pk)], "reports": str(self.kims.pk)}  # fmt: skip
        self.assertEqual(self.client.post(path, data).status_code, 302)
        self.assertEqual(set(self.measure.reports.all()), {self.karls, self.kims})

    def test_the_page_refuses_an_invisible_report_naming_the_field(self):
        sign_in(self.client, self.w.karl)
        path = f"/atgarder/{self.measure.pk}/andra/"
        response = self.client.post(path, {"reports": str(self.kims.pk)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Ingen rapport som du får se i kommunen har det id:t.",
                      response.content.decode())  # fmt: skip
        self.assertFalse(self.measure.reports.exists())


class ApiTests(MeasureLinkTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tokens = {n: create_api_token(user=getattr(cls.w, n), name="t")[1]
                      for n in ("anna", "karl", "kim", "sara", "erik")}  # fmt: skip

    def patch(self, who, body):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.patch(f"/api/v1/measures/{self.measure.pk}", body,
                                 content_type="application/json", headers=headers)  # fmt: skip

    def test_a_patch_sets_and_returns_the_links_round_trip(self):
        body = {"categories": ["arson", "graffiti"], "partners": [self.w.orgs["vakt"].pk],
                "reports": [str(self.karls.pk)]}  # fmt: skip
        response = self.patch("anna", body)
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual(data["categories"], ["arson", "graffiti"])
        self.assertEqual([p["id"] for p in data["partners"]], [self.w.orgs["vakt"].pk])
        self.assertEqual(data["reports"], [str(self.karls.pk)])
        self.assertEqual([h["field"] for h in data["history"][-3:]],
                         ["categories", "partners", "reports"])  # fmt: skip
        again = self.patch("anna", {"categories": [], "reports": []}).json()
        self.assertEqual((again["categories"], again["reports"]), ([], []))
        self.assertEqual(len(again["partners"]), 1)  # absent: left as it was

    def test_a_patch_refuses_by_field_and_by_role_without_leaking(self):
        invisible = self.patch("karl", {"reports": [str(self.kims.pk)]})
        missing = self.patch("karl", {"reports": [str(uuid.uuid4())]})
        self.assertEqual((invisible.status_code, invisible.json()), (422, missing.json()))
        self.assertEqual(invisible.json()["detail"][0]["field"], "reports")
        bad = self.patch("anna", {"partners": [self.w.orgs["elsewhere"].pk]})
        self.assertEqual((bad.status_code, bad.json()["detail"][0]["field"]), (422, "partners"))
        self.assertEqual(self.patch("sara", {"categories": ["graffiti"]}).status_code, 403)
        self.assertEqual(self.patch("erik", {"categories": ["graffiti"]}).status_code, 404)
        self.assertFalse(Measure.objects.get(pk=self.measure.pk).reports.exists())

    def read(self, who):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.get(f"/api/v1/measures/{self.measure.pk}", headers=headers).json()

    def test_a_reader_gets_only_the_ids_of_linked_reports_he_may_see_and_a_count_of_all(self):
        update_measure(measure=self.measure, by=self.w.anna, reports=[self.karls, self.kims])
        karl, kim, anna = (self.read(n) for n in ("karl", "kim", "anna"))
        self.assertEqual((karl["reports"], karl["reports_count"]), ([str(self.karls.pk)], 2))
        self.assertEqual((kim["reports"], kim["reports_count"]), ([str(self.kims.pk)], 2))
        self.assertEqual(anna["reports"], sorted([str(self.karls.pk), str(self.kims.pk)]))
        self.assertNotIn(str(self.kims.pk), str(karl))
        self.assertNotIn(str(self.karls.pk), str(kim))
        # What karl reads back is what he may send: the report he cannot see stays linked.
        again = self.patch("karl", {"reports": karl["reports"]}).json()
        self.assertEqual((again["reports"], again["reports_count"]), ([str(self.karls.pk)], 2))
