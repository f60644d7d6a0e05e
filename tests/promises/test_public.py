"""The public citizen-promise page, its JSON twin and PDFs: what is published, nothing else."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.promises.helpers import build_promise
from tests.world import TryggTestCase, report_data, sign_in
from trygg.promises import actions, indicators, public
from trygg.promises.models import Indicator, Owner
from trygg.promises.schemas import PromisesOut
from trygg.reports.actions import submit_reports
from trygg.reports.models import Category

ZONE = ZoneInfo("Europe/Stockholm")
# Strings only unpublished or internal things carry: none may reach a citizen.
SECRETS = (
    "UTKAST-SITUATION", "UTKAST-ÅTAGANDE", "UTKAST-AKTIVITET", "UTKAST-INDIKATOR",
    "REVIDERAT-ÅTAGANDE", "REVIDERAT-LÄGE", "Hemlig Handläggare", "hemlig-kontakt@example.se",
    "INTERN-ANTECKNING", "Anna Utkastsson",
)  # fmt: skip


def reports_in(w, *items):
    submit_reports(
        organisation=w.orgs["polis"], by=w.petra, items=list(items),
        now=datetime(2025, 1, 10, 12, tzinfo=ZONE), max_age_days=1200,
    )  # fmt: skip


def graffiti(month: int, year: int = 2023, **extra):
    at = datetime(year, month, 10, 14, 30, tzinfo=ZONE)
    return report_data(category="graffiti", occurred_at=at, **({"sharing": "public"} | extra))


class PublicPageTests(TryggTestCase):
    """Östersund: a published 2023–2024 promise (revised once), an archived 2021–2022 one, a
    draft for 2025 and a revision of 2023–2024 prepared as a draft; neither draft may show."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        reports_in(w, *[graffiti(m) for m in (2, 3, 5)], graffiti(6, 2022),
                   graffiti(8, sharing="partnership"), graffiti(9, 2024))  # fmt: skip
        cls.old = build_promise(w, title="Medborgarlöfte förr", start_year=2021, end_year=2022)
        actions.publish_promise(promise=cls.old.promise, by=w.anna)
        actions.archive_promise(promise=cls.old.promise, by=w.anna)
        p = cls.p = build_promise(w)
        initiative = actions.create_initiative(
            by=w.anna, municipality=w.ostersund, name="Purple Flag", owner=w.orgs["kommun"],
            contact="hemlig-kontakt@example.se",
        )  # fmt: skip
        cls.flag = actions.add_activity(
            commitment=p.commitment, by=w.anna, what="Purple Flag-certifiering",
            responsible=w.orgs["kommun"], responsible_person="Hemlig Handläggare",
            initiative=initiative, status="ongoing",
        )  # fmt: skip
        actions.enter_indicator_value(indicator=p.survey, by=w.anna, period="2023", value="64")
        actions.add_signatory(
            promise=p.promise, by=w.anna, name="Lena Lokalpolis", role="Lokalpolisområdeschef",
            organisation=w.orgs["polis"],
        )  # fmt: skip
        actions.publish_promise(promise=p.promise, by=w.anna)
        actions.update_part(part=p.commitment, by=w.anna, text="Vi ska arbeta med EST i hela "
                            "centrum.", note="INTERN-ANTECKNING")  # fmt: skip
        cls.follow_up = actions.write_follow_up(
            promise=p.promise, by=w.anna, narrative="Vandringarna är gjorda.",
            made_on=date(2024, 2, 1),
        )  # fmt: skip
        cls.draft = cls.secret_draft(2025, 2026, "UTKAST")
        cls.revision = cls.secret_draft(2023, 2024, "REVIDERAT")

    @classmethod
    def secret_draft(cls, start, end, word):
        w = cls.w
        draft = actions.create_promise(
            by=w.anna, municipality=w.ostersund, title=f"{word}-LÖFTE", start_year=start,
            end_year=end, situation=f"{word}-SITUATION", situation_sources=f"{word}-LÄGE",
        )  # fmt: skip
        commitment = actions.add_commitment(promise=draft, by=w.anna, owner=Owner.POLICE,
                                            text=f"{word}-ÅTAGANDE")  # fmt: skip
        actions.add_activity(commitment=commitment, by=w.anna, what=f"{word}-AKTIVITET",
                             responsible=w.orgs["polis"])  # fmt: skip
        actions.add_indicator(
            promise=draft, by=w.anna, name=f"{word}-INDIKATOR", kind="manual", baseline_year=2022,
            baseline_value=1, target_value=2, direction="higher", source="x",
        )  # fmt: skip
        actions.add_signatory(promise=draft, by=w.anna, name="Anna Utkastsson", role="Chef")
        return draft

    def page(self):
        response = self.client.get("/medborgarloften/2380/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def api(self):
        response = self.client.get("/api/v1/promises?municipality=2380")
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assert_no_secret(self, text):
        for secret in SECRETS:
            self.assertNotIn(secret, text)

    def test_anyone_reads_the_published_promise_without_logging_in(self):
        page = self.page()
        self.assertIn("<h1>Medborgarlöfte Östersund 2023–2024</h1>", page)
        for shown in ("Otrygghet i centrum kvällstid.", "Vi ska arbeta med EST i hela centrum.",
                      "Purple Flag-certifiering", "ingår i Purple Flag", "Östersunds kommun",
                      "Anmäld skadegörelse i centrum", "Lena Lokalpolis", "Vandringarna är gjorda.",
                      "Medborgarlöfte förr 2021–2022"):  # fmt: skip
            self.assertIn(shown, page)

    def test_neither_a_draft_nor_a_prepared_revision_nor_internal_notes_leak(self):
        self.assert_no_secret(self.page())
        data = self.api()
        self.assert_no_secret(str(data))
        self.assertEqual(data["current"]["id"], self.p.promise.pk)
        self.assertEqual([p["id"] for p in data["previous"]], [self.old.promise.pk])
        for path in (f"/medborgarloften/2380/{self.p.promise.pk}/",
                     f"/medborgarloften/2380/uppfoljning/{self.follow_up.pk}/"):  # fmt: skip
            self.assert_no_secret(self.client.get(path).content.decode())

    def test_the_json_says_exactly_what_the_published_version_says(self):
        current = self.api()["current"]
        published = self.p.promise.versions.order_by("-number").first().snapshot
        self.assertEqual(current["title"], published["promise"]["title"])
        self.assertEqual(current["situation"], published["promise"]["situation"])
        self.assertEqual([c["text"] for c in current["commitments"]],
                         [c["text"] for c in published["commitments"]])  # fmt: skip
        self.assertEqual(
            [a["what"] for c in current["commitments"] for a in c["activities"]],
            [a["what"] for a in published["activities"]],
        )
        self.assertEqual([i["name"] for i in current["indicators"]],
                         [i["name"] for i in published["indicators"]])  # fmt: skip
        self.assertEqual([s["name"] for s in current["signatories"]],
                         [s["name"] for s in published["signatories"]])  # fmt: skip
        self.assertEqual(current["version"], 2)
        self.assertEqual(current["progress"], {"total": 2, "planned": 1, "ongoing": 1, "done": 0,
                                               "cancelled": 0})  # fmt: skip

    def test_the_page_and_the_json_come_from_one_dict_of_exactly_the_documented_shape(self):
        expected = public.municipality_page(self.w.ostersund, timezone.localdate())
        self.assertEqual(self.api(), expected)
        # The API sends the dict as it is: the schema must neither add nor drop a field.
        self.assertEqual(PromisesOut.model_validate(expected).model_dump(), expected)

    def test_a_draft_or_a_follow_up_of_another_municipality_is_not_found(self):
        for path in (f"/medborgarloften/2380/{self.draft.pk}/",
                     f"/medborgarloften/2380/{self.draft.pk}/pdf/",
                     f"/medborgarloften/2309/{self.p.promise.pk}/",
                     f"/medborgarloften/2309/uppfoljning/{self.follow_up.pk}/",
                     "/medborgarloften/9999/"):  # fmt: skip
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(self.client.get("/api/v1/promises?municipality=9999").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/promises").status_code, 422)

    def test_a_municipality_with_only_drafts_shows_no_promise(self):
        actions.create_promise(by=self.w.erik, municipality=self.w.krokom, title="UTKAST-KROKOM",
                               start_year=2023, end_year=2024)  # fmt: skip
        page = self.client.get("/medborgarloften/2309/").content.decode()
        self.assertIn("Inget medborgarlöfte är publicerat ännu.", page)
        self.assertNotIn("UTKAST-KROKOM", page)
        data = self.client.get("/api/v1/promises?municipality=2309").json()
        self.assertEqual((data["current"], data["previous"]), (None, []))

    def test_the_coordinator_finds_the_public_page_of_a_published_promise_not_of_a_draft(self):
        sign_in(self.client, self.w.anna)
        link = f'href="/medborgarloften/2380/{self.p.promise.pk}/"'
        self.assertIn(link, self.client.get(f"/loften/{self.p.promise.pk}/").content.decode())
        draft = self.client.get(f"/loften/{self.draft.pk}/").content.decode()
        self.assertNotIn("/medborgarloften/", draft)

    def test_a_previous_period_has_its_own_page(self):
        page = self.client.get(f"/medborgarloften/2380/{self.old.promise.pk}/").content.decode()
        self.assertIn("<h1>Medborgarlöfte förr 2021–2022</h1>", page)
        self.assertIn("En tidigare period", page)

    def test_a_computed_count_of_one_to_four_is_shown_as_fewer_than_five(self):
        counted = next(i for i in self.api()["current"]["indicators"] if i["kind"] == "computed")
        # Public graffiti in Centrum: three in 2023, one in 2022 (the baseline), one in 2024;
        # the one shared with the partnership only is not counted.
        self.assertEqual([(p["period"], p["text"], p["value"]) for p in counted["series"]],
                         [("2023", "<5", None), ("2024", "<5", None)])  # fmt: skip
        self.assertEqual(counted["baseline"], {"value": None, "text": "<5", "suppressed": True})
        self.assertEqual(counted["target"]["text"], "10")

    def test_the_indicator_chart_has_a_table_beside_it(self):
        page = self.page()
        self.assertIn('role="img" aria-labelledby="chart-2-title chart-2-desc"', page)
        self.assertIn("<caption>Värden för ”Andel som känner sig trygga i centrum” (%)</caption>",
                      page)  # fmt: skip
        self.assertIn('<th scope="row">2023</th><td>64</td>', page)

    def test_the_promise_and_its_follow_up_download_as_pdf(self):
        for path in (f"/medborgarloften/2380/{self.p.promise.pk}/pdf/",
                     f"/medborgarloften/2380/uppfoljning/{self.follow_up.pk}/pdf/"):  # fmt: skip
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response["Content-Type"], "application/pdf")
                self.assertTrue(response.content.startswith(b"%PDF"))

    def test_the_follow_up_page_shows_what_was_frozen(self):
        actions.enter_indicator_value(indicator=self.p.survey, by=self.w.anna, period="2024",
                                      value="80")  # fmt: skip
        path = f"/medborgarloften/2380/uppfoljning/{self.follow_up.pk}/"
        page = self.client.get(path).content.decode()
        self.assertIn("Vandringarna är gjorda.", page)
        self.assertNotIn("<td>80</td>", page)
        self.assertIn("<td>80</td>", self.page())


class PublicIndicatorTests(TryggTestCase):
    def test_the_one_rollup_read_equals_each_indicators_own_standing(self):
        w = self.w
        reports_in(w, *[graffiti(m) for m in range(1, 13)], *[graffiti(m, 2024) for m in (1, 4)],
                   *[graffiti(m, 2022) for m in (3, 7)])  # fmt: skip
        p = build_promise(w)
        damage = Category.objects.get(code="damage")
        for every in ("year", "quarter"):
            actions.add_indicator(
                promise=p.promise, by=w.anna, name=every, kind="computed", every=every,
                baseline_year=2021, target_value=3, direction="lower", categories=[damage],
            )  # fmt: skip
        actions.add_indicator(promise=p.promise, by=w.anna, name="alla", kind="computed",
                              baseline_year=2022, target_value=3, direction="lower",
                              areas=[w.lugnvik, w.centrum])  # fmt: skip
        today = date(2024, 5, 2)
        rows = list(p.promise.indicators.prefetch_related("categories", "areas", "values"))
        found = public.standings(p.promise, rows, today)
        for indicator in rows:
            with self.subTest(indicator=indicator.name):
                self.assertEqual(found[indicator.pk], indicators.standing(indicator, today))
        self.assertEqual(Indicator.objects.filter(promise=p.promise).count(), 5)

    def test_a_cold_page_reads_the_rollup_once_a_row_per_category_area_and_quarter(self):
        w = self.w
        reports_in(w, graffiti(1), graffiti(2), graffiti(3), graffiti(12))
        p = build_promise(w)
        actions.publish_promise(promise=p.promise, by=w.anna)
        with (
            override_settings(SITUATION_CACHE_SECONDS=0),
            CaptureQueriesContext(connection) as seen,
        ):
            response = self.client.get("/api/v1/promises?municipality=2380")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len([q for q in seen if "reports_dailycount" in q["sql"]]), 1)
        code = Category.objects.get(code="graffiti").pk
        read = public._read_quarters(w.ostersund.pk, date(2022, 1, 1), date(2025, 1, 1), (code,))
        # Three months of the first quarter are one row, not three: a third of the rows.
        self.assertEqual(sorted(read.by_category[code]), [(20231, 3), (20234, 1)])
        self.assertEqual(sum(len(q) for q in read.by_area.values()), 2)

    def test_the_counts_are_kept_yet_a_new_report_shows_at_once(self):
        w = self.w
        reports_in(w, *[graffiti(m) for m in range(1, 7)])
        p = build_promise(w)
        today = date(2024, 5, 2)
        rows = list(public.with_selection(p.promise.indicators.all()))
        before = public.standings(p.promise, rows, today)[p.counted.pk]
        self.assertEqual(before.series[0].value, 6)
        with self.assertNumQueries(1):  # read again: the rollup kept, only the categories read
            public.standings(p.promise, rows, today)
        reports_in(w, graffiti(7), graffiti(8))
        after = public.standings(p.promise, rows, today)[p.counted.pk]
        self.assertEqual(after.series[0].value, 8)
        self.assertEqual(after, indicators.standing(p.counted, today))
