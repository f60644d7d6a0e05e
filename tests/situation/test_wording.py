"""One wording rule: the same comparison reads the same on the page, in the PDF and the CSV,
a change chance explains never reads "Stabilt", and a card carries one mark only."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.situation.test_documents import pdf_pages
from tests.situation.test_picture import at, centrum, lugnvik
from tests.world import TryggTestCase, sign_in
from trygg.analysis.trend import compare_counts
from trygg.reports.actions import submit_reports
from trygg.situation.picture import Comparison
from trygg.situation.wording import KINDS, kind_of, mark_of

WEEK = "period=2026-W47"
WORDS = ("Ökar", "Minskar", "Stabilt", "Ingen säker förändring", "För få för att säga")


def comparison(current: int, baseline_sum: int, flag: str | None = None) -> Comparison:
    """A comparison as the picture makes it, the flag from the trend module itself."""
    trend = compare_counts(current, baseline_sum, baseline_periods=4)
    mean = baseline_sum / 4
    return Comparison(
        current, mean, 0, trend.rate_ratio, trend.ci_low, trend.ci_high, trend.p_exact,
        flag or trend.flag, "too_few",
    )  # fmt: skip


class TheRuleTests(TryggTestCase):
    def test_a_35_percent_rise_that_chance_explains_never_reads_stable(self):
        plus35 = comparison(54, 160)  # the trend module calls it "stable": 0.97–1.85
        self.assertEqual(plus35.flag, "stable")
        mark = mark_of(plus35)
        self.assertEqual(
            (mark.word, mark.change, mark.arrow), ("Ingen säker förändring", "+35 %", "")
        )
        self.assertFalse(mark.significant)

    def test_stable_is_said_only_near_the_usual_with_halving_and_doubling_ruled_out(self):
        self.assertEqual(mark_of(comparison(41, 160)).word, "Stabilt")
        self.assertEqual(mark_of(comparison(41, 160)).arrow, "→")
        self.assertEqual(mark_of(comparison(8, 32)).word, "För få för att säga")

    def test_rising_and_falling_only_when_the_test_says_more_than_chance(self):
        self.assertEqual(mark_of(comparison(81, 240)).word, "Ökar")
        self.assertEqual(mark_of(comparison(81, 240)).arrow, "▲")
        self.assertEqual(mark_of(comparison(20, 240)).word, "Minskar")
        self.assertEqual(mark_of(comparison(3, 0, flag="no_baseline")).word, "Ingen historik")

    def test_every_kind_has_words_and_a_meaning(self):
        self.assertEqual(len({str(k.word) for k in KINDS}), 6)
        self.assertEqual(kind_of("stable", None).code, "no_clear_change")


class SameWordsEverywhereTests(TryggTestCase):
    """Week 47: 54 graffiti in Centrum against 40 a week before (+35 %, chance explains it)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        items = [centrum("graffiti", at(2026, 47, 1 + k % 7, k % 24)) for k in range(54)]
        for week in range(43, 47):
            items += [centrum("graffiti", at(2026, week, 1 + k % 7, k % 24)) for k in range(40)]
        items += [lugnvik("noise", at(2026, 47, 5, 23)) for _ in range(6)]
        submit_reports(
            organisation=cls.w.orgs["polis"], by=cls.w.petra, items=items,
            now=at(2026, 48, 3, 12), max_age_days=800,
        )  # fmt: skip

    def get(self, path: str):
        sign_in(self.client, self.w.anna)
        response = self.client.get(f"/lagesbild/2380/{path}")
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response

    def cards(self) -> dict[str, str]:
        html = self.get(f"?{WEEK}").content.decode()
        cards = re.findall(
            r'<article class="card[^"]*"[^>]*data-group="([^"]+)"(.*?)</article>', html, re.S
        )
        return dict(cards)

    @pytest.mark.system  # pdftotext
    def test_the_page_pdf_csv_and_map_say_the_same_words(self):
        card = self.cards()["damage"]
        self.assertIn("Ingen säker förändring", card)
        self.assertIn("+35 %", card)
        self.assertNotIn("Stabilt", card)

        _pages, text = pdf_pages(self.get(f"pdf?{WEEK}").content)
        self.assertRegex(text[1], r"Skadegörelse\s+54\s+40\s+\d+\s+\+35 %\s+Ingen säker förändring")

        rows = csv.reader(
            io.StringIO(self.get(f"export.csv?{WEEK}&table=headline").content.decode("utf-8-sig")),
            delimiter=";",
        )
        damage = next(row for row in rows if row[0] == "Skadegörelse")
        self.assertEqual((damage[1], damage[-2]), ("54", "Ingen säker förändring"))

        data = self.get(f"data.json?{WEEK}").json()
        damage_json = next(g for g in data["groups"] if g["code"] == "damage")
        self.assertEqual(damage_json["mark"], "no_clear_change")

        layer = self.get(f"karta/omraden.geojson?{WEEK}").json()
        centrum_area = next(f for f in layer["features"] if f["properties"]["name"] == "Centrum")
        self.assertIn("Ingen säker förändring", centrum_area["properties"]["mark_word"])

    def test_a_card_never_shows_two_marks_and_its_arrow_is_beside_the_current_count(self):
        for group, card in self.cards().items():
            shown = [w for w in WORDS if re.search(rf">{w}<", card)]
            self.assertLessEqual(len(shown), 1, (group, shown))
            self.assertEqual(card.count('class="mark '), 1, group)
            if "▲" in card:
                self.assertRegex(card, r'class="big-number">\d+ <span class="arrow')
        self.assertRegex(self.cards()["disorder"], r'big-number">6 <span class="arrow mark-rising"')

    def test_the_marks_link_to_the_method_page_that_names_the_methods(self):
        self.assertIn('href="/lagesbild/metod/#forandring"', self.cards()["damage"])
        sign_in(self.client, self.w.anna)
        page = self.client.get("/lagesbild/metod/").content.decode()
        for name in ("Gi*", "FDR", "exakt betingat test", "E-testet", "kärnskattning"):
            self.assertIn(name, page)
        self.assertIn('id="brannpunkter"', page)
