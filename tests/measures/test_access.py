"""Who sees and who changes which measure: each role × the board, the page, the notes, the forms."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from tests.world import TryggTestCase, report_data, sign_in
from trygg.measures import access
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure
from trygg.reports.actions import submit_report

FULL, SHARED, HIDDEN = "full", "shared", "hidden"
NOTE = "secret-internal-note"

# Who sees the measure owned by Bostaden (karl's company), with a report of Nattvandring.
EXPECTED = {
    "anna": FULL,  # coordinator: all, with notes
    "petra": FULL,  # police coordinator of the same municipality
    "karl": FULL,  # member of the responsible organisation
    "kim": HIDDEN,  # reporter at another company, nothing linked
    "nils": SHARED,  # reporter whose organisation's report is linked
    "sara": SHARED,  # partner: list and details, no notes
    "greta": SHARED,  # steering group
    "adam": SHARED,  # administrator
    "erik": HIDDEN,  # coordinator of another municipality
    "otto": HIDDEN,  # no membership
}


def make_measure(w, **overrides):
    fields = {
        "by": w.anna,
        "municipality": w.ostersund,
        "title": "Bättre belysning vid gångtunneln",
        "kind": Measure.Kind.SITUATIONAL,
        "responsible": w.orgs["bostad"],
        "status": Measure.Status.DECIDED,
        "internal_notes": NOTE,
        "area": w.centrum,
        "deadline": timezone.localdate() + timedelta(days=30),
    }
    fields.update(overrides)
    return create_measure(**fields)


class WhoSeesWhichMeasureTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        report, _ = submit_report(
            organisation=cls.w.orgs["natt"], by=cls.w.nils, data=report_data()
        )
        cls.measure = make_measure(cls.w, reports=[report])

    def seen_on_page(self, username: str) -> str:
        sign_in(self.client, getattr(self.w, username))
        response = self.client.get(f"/atgarder/{self.measure.pk}/")
        if response.status_code == 404:
            return HIDDEN
        self.assertEqual(response.status_code, 200)
        return FULL if NOTE in response.content.decode() else SHARED

    def test_each_role_sees_the_measure_page_as_the_docstring_says(self):
        for username, expected in EXPECTED.items():
            with self.subTest(username):
                self.assertEqual(self.seen_on_page(username), expected)

    def test_the_board_lists_it_exactly_for_those_who_may_see_it(self):
        for username, expected in EXPECTED.items():
            user = getattr(self.w, username)
            with self.subTest(username):
                listed = access.visible_measures(user).filter(pk=self.measure.pk).exists()
                self.assertEqual(listed, expected != HIDDEN)
                if expected != HIDDEN:
                    sign_in(self.client, user)
                    page = self.client.get("/atgarder/kommun/2380/").content.decode()
                    self.assertIn(self.measure.title, page)
                    self.assertNotIn(NOTE, page)

    def test_only_coordinators_and_the_owner_may_change_it(self):
        changers = {u for u in EXPECTED if EXPECTED[u] == FULL}
        for username in EXPECTED:
            with self.subTest(username):
                user = getattr(self.w, username)
                self.assertEqual(access.may_change(user, self.measure), username in changers)

    def test_the_owner_moves_forward_but_neither_decides_nor_cancels(self):
        karl, anna = self.w.karl, self.w.anna
        self.assertEqual(access.statuses_for(karl, self.measure), ("ongoing", "done"))
        self.assertIn("cancelled", access.statuses_for(anna, self.measure))
        proposed = make_measure(self.w, status=Measure.Status.PROPOSED)
        self.assertEqual(access.statuses_for(karl, proposed), ())

    def test_the_owner_edits_only_the_owner_fields(self):
        self.assertEqual(
            access.editable_fields(self.w.karl, self.measure, self.w.ostersund.pk),
            access.OWNER_FIELDS,
        )
        self.assertEqual(access.editable_fields(self.w.sara, self.measure, self.w.ostersund.pk), ())

    def test_only_coordinators_create(self):
        for username in EXPECTED:
            with self.subTest(username):
                user = getattr(self.w, username)
                may = access.may_create(user, self.w.ostersund)
                self.assertEqual(may, username in ("anna", "petra"))

    def test_overdue_measures_come_first_on_the_board(self):
        late = make_measure(self.w, title="Sen", deadline=date(2020, 1, 1),
                            starts_on=date(2019, 12, 1))  # fmt: skip
        sign_in(self.client, self.w.sara)
        response = self.client.get("/atgarder/kommun/2380/")
        ids = [m["id"] for m in response.context["measures"]]
        self.assertEqual(ids[0], late.pk)
        self.assertIn("Försenad", response.content.decode())


class MeasureFormsTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measure = make_measure(cls.w)

    def test_the_owner_sets_yellow_with_a_comment_and_the_history_says_so(self):
        sign_in(self.client, self.w.karl)
        url = f"/atgarder/{self.measure.pk}/ljus/"
        refused = self.client.post(url, {"light": "yellow", "comment": ""})
        self.assertEqual(refused.status_code, 400)
        response = self.client.post(url, {"light": "yellow", "comment": "Leverans försenad"})
        self.assertRedirects(response, f"/atgarder/{self.measure.pk}/")
        page = self.client.get(f"/atgarder/{self.measure.pk}/").content.decode()
        self.assertIn("Gul: risk för avvikelse", page)
        self.assertIn("Leverans försenad", page)
        self.assertIn("Trafikljuset satt till", page)

    def test_a_partner_may_not_set_the_light_and_an_outsider_gets_404(self):
        url = f"/atgarder/{self.measure.pk}/ljus/"
        sign_in(self.client, self.w.sara)
        self.assertEqual(self.client.post(url, {"light": "green"}).status_code, 403)
        sign_in(self.client, self.w.erik)
        self.assertEqual(self.client.post(url, {"light": "green"}).status_code, 404)
        self.assertEqual(Measure.objects.get(pk=self.measure.pk).light, "")

    def test_cancelling_without_a_reason_is_refused_naming_the_comment(self):
        sign_in(self.client, self.w.anna)
        url = f"/atgarder/{self.measure.pk}/status/"
        response = self.client.post(url, {"to": "cancelled", "comment": ""})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["status_form"].has_error("comment"))
        response = self.client.post(url, {"to": "cancelled", "comment": "Dubblett"})
        self.assertEqual(Measure.objects.get(pk=self.measure.pk).status, "cancelled")

    def test_the_owner_may_not_cancel(self):
        sign_in(self.client, self.w.karl)
        url = f"/atgarder/{self.measure.pk}/status/"
        response = self.client.post(url, {"to": "cancelled", "comment": "Orkar inte"})
        self.assertEqual(response.status_code, 400)
        self.client.post(url, {"to": "ongoing"})
        self.assertEqual(Measure.objects.get(pk=self.measure.pk).status, "ongoing")

    def test_the_owner_edits_the_outcome_but_not_the_deadline(self):
        sign_in(self.client, self.w.karl)
        url = f"/atgarder/{self.measure.pk}/andra/"
        form = self.client.get(url).context["form"]
        self.assertNotIn("deadline", form.fields)
        response = self.client.post(url, {"outcome": "Lampor bytta", "deadline": "2020-01-01"})
        self.assertEqual(response.status_code, 302)
        saved = Measure.objects.get(pk=self.measure.pk)
        self.assertEqual((saved.outcome, saved.deadline), ("Lampor bytta", self.measure.deadline))

    def test_a_coordinator_creates_a_measure_linked_to_a_report_and_cells(self):
        report, _ = submit_report(organisation=self.w.orgs["bostad"], by=self.w.karl,
                                  data=report_data())  # fmt: skip
        sign_in(self.client, self.w.anna)
        response = self.client.post("/atgarder/kommun/2380/ny/", {
            "title": "Nattvandring fredagar", "kind": "adult_presence",
            "responsible": self.w.orgs["natt"].pk, "area": self.w.centrum.pk,
            "reports": str(report.pk), "cells": "476000 7004000 250",
            "deadline": "2027-03-01",
        })  # fmt: skip
        measure = Measure.objects.get(title="Nattvandring fredagar")
        self.assertRedirects(response, f"/atgarder/{measure.pk}/")
        self.assertEqual(list(measure.reports.all()), [report])
        self.assertEqual(measure.cells, [{"x": 476000.0, "y": 7004000.0, "size": 250.0}])

    def test_the_owner_may_not_open_the_create_form(self):
        sign_in(self.client, self.w.karl)
        self.assertEqual(self.client.get("/atgarder/kommun/2380/ny/").status_code, 403)


class BoardDetailsTests(TryggTestCase):
    def test_the_measure_page_links_only_the_reports_the_reader_may_see(self):
        private, _ = submit_report(organisation=self.w.orgs["bostad"], by=self.w.karl,
                                   data=report_data(sharing="organisation"))  # fmt: skip
        shared, _ = submit_report(organisation=self.w.orgs["natt"], by=self.w.nils,
                                  data=report_data())  # fmt: skip
        measure = make_measure(self.w, reports=[private, shared])
        sign_in(self.client, self.w.sara)
        page = self.client.get(f"/atgarder/{measure.pk}/").content.decode()
        self.assertIn(f"/rapporter/{shared.pk}/", page)
        self.assertNotIn(f"/rapporter/{private.pk}/", page)

    def test_the_board_counts_per_status_and_shows_at_most_its_limit(self):
        from trygg.measures import pages

        for n in range(3):
            make_measure(self.w, title=f"Åtgärd {n}")
        sign_in(self.client, self.w.anna)
        original = pages.BOARD_LIMIT
        pages.BOARD_LIMIT = 2
        try:
            response = self.client.get("/atgarder/kommun/2380/")
        finally:
            pages.BOARD_LIMIT = original
        self.assertEqual(len(response.context["measures"]), 2)
        self.assertEqual(response.context["total"], 3)
        counts = {c["status"]: c["n"] for c in response.context["counts"]}
        self.assertEqual((counts["decided"], counts["overdue"], counts["done"]), (3, 0, 0))
        self.assertIn("De första 2 visas", response.content.decode())
