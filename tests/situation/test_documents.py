"""The lägesbild's SVG charts and PDF: members only, and the PDF's numbers are the API's."""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pytest
from django.test import SimpleTestCase

from tests.situation.test_picture import at, centrum, lugnvik
from tests.world import TryggTestCase, sign_in
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_reports
from trygg.situation import charts
from trygg.situation.actions import save_assessment
from trygg.situation.models import Assessment
from trygg.situation.pdf import LocalOnlyFetcher, css_string
from trygg.situation.periods import parse_period

WEEK = "period=2026-W47"
CHARTS = ("trend", "trend-smal", "timeofweek", "karta")


def svg_text(body: bytes) -> str:
    """Every text node of an SVG document, joined; fails if it is not well-formed XML."""
    return " ".join(ET.fromstring(body).itertext())


def words(name: str) -> str:
    """A pattern for `name` that also matches it wrapped over two lines of a table cell."""
    return r"\s+".join(map(re.escape, name.split()))


def pdf_pages(data: bytes) -> tuple[int, list[str]]:
    """The page count (pdfinfo) and each page's text (pdftotext -layout)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
        pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])
        text = subprocess.run(
            ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
        ).stdout
    return pages, text.split("\f")[:pages]


class KnownDocumentsTests(TryggTestCase):
    """The known week 47 of test_picture: six graffiti in Centrum, one noise in Lugnvik."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        items = [centrum("graffiti", at(2026, 47, 6, 2)) for _ in range(6)]
        items += [lugnvik("noise", at(2026, 47, 3, 22))]
        items += [centrum("all_calm", at(2026, 47, 1, 9)) for _ in range(3)]
        items += [centrum("graffiti", at(2026, 43 + k, 2, 14)) for k in range(4)]
        items += [centrum("broken_glass", at(2025, 47, 4, 13)) for _ in range(2)]
        items += [lugnvik("theft_other", at(2025, 40, 1, 12))]
        submit_reports(
            organisation=cls.w.orgs["polis"], by=cls.w.petra, items=items,
            now=at(2026, 48, 3, 12), max_age_days=800,
        )  # fmt: skip
        Assessment.objects.create(
            municipality=cls.w.ostersund, period_key="2026-W47", text="Klotter i Centrum.\nMer."
        )

    def get(self, url: str, user=None, **headers):
        sign_in(self.client, user or self.w.anna)
        return self.client.get(url, **headers)

    def anna_pdf(self) -> bytes:
        """Anna's PDF of week 47, rendered once for the class: every test reads the same file."""
        cls = type(self)
        if "_anna_pdf" not in cls.__dict__:
            response = self.get(f"/lagesbild/2380/pdf?{WEEK}")
            self.assertEqual(response.status_code, 200)
            cls._anna_pdf = response.content
        return cls._anna_pdf

    def anna_pdf_pages(self) -> tuple[int, list[str]]:
        cls = type(self)
        if "_anna_pages" not in cls.__dict__:
            cls._anna_pages = pdf_pages(self.anna_pdf())
        return cls._anna_pages

    def api(self, query: str) -> dict:
        token = create_api_token(user=self.w.anna, name="t")[1]
        response = self.client.get(
            f"/api/v1/situation?{query}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        return response.json()

    def test_it_serves_each_chart_as_svg_to_members(self):
        for name in CHARTS:
            response = self.get(f"/lagesbild/2380/diagram/{name}.svg?{WEEK}", self.w.nils)
            self.assertEqual(response.status_code, 200, name)
            self.assertEqual(response["Content-Type"], "image/svg+xml")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            self.assertIn("default-src 'none'", response["Content-Security-Policy"])
            svg_text(response.content)  # well-formed

    def test_it_hides_charts_and_pdf_from_outsiders(self):
        for user in (self.w.erik, self.w.otto):
            for url in ("/lagesbild/2380/diagram/trend.svg", "/lagesbild/2380/pdf"):
                self.assertEqual(self.get(url, user).status_code, 404, (user, url))

    def test_it_sends_anonymous_visitors_to_log_in(self):
        response = self.client.get("/lagesbild/2380/diagram/trend.svg")
        self.assertEqual(response.status_code, 302)

    def test_it_knows_only_its_own_charts(self):
        self.assertEqual(self.get("/lagesbild/2380/diagram/pie.svg").status_code, 404)

    def test_it_refuses_a_malformed_period(self):
        response = self.get("/lagesbild/2380/diagram/trend.svg?period=2026-W99")
        self.assertEqual(response.status_code, 400)

    def test_the_trend_names_every_group_and_the_filter_narrows_it(self):
        text = svg_text(self.get(f"/lagesbild/2380/diagram/trend.svg?{WEEK}").content)
        for group in self.api(WEEK)["groups"]:
            self.assertIn(group["name"], text)
        narrow = self.get(f"/lagesbild/2380/diagram/trend.svg?{WEEK}&category=disorder")
        self.assertIn("Ordningsstörning", svg_text(narrow.content))
        self.assertNotIn("Skadegörelse", svg_text(narrow.content))

    def test_the_charts_speak_english_when_asked(self):
        self.client.cookies["django_language"] = "en"
        text = svg_text(self.get(f"/lagesbild/2380/diagram/trend.svg?{WEEK}").content)
        self.assertIn("Criminal damage", text)
        tow = svg_text(self.get(f"/lagesbild/2380/diagram/timeofweek.svg?{WEEK}").content)
        self.assertIn("Mon", tow)

    def test_the_time_of_week_has_swedish_weekdays_monday_first(self):
        text = svg_text(self.get(f"/lagesbild/2380/diagram/timeofweek.svg?{WEEK}").content)
        self.assertLess(text.index("Mån"), text.index("Sön"))
        self.assertIn("7 rapporter", text)

    def test_the_map_labels_the_areas_and_says_when_it_is_demo_data(self):
        text = svg_text(self.get(f"/lagesbild/2380/diagram/karta.svg?{WEEK}").content)
        self.assertIn("Centrum", text)
        self.assertIn("Lugnvik", text)
        self.assertNotIn("Demodata", text)
        self.w.ostersund.is_demo = True
        self.w.ostersund.save(update_fields=["is_demo"])
        text = svg_text(self.get(f"/lagesbild/2380/diagram/karta.svg?{WEEK}").content)
        self.assertIn("Demodata", text)

    def test_an_area_name_cannot_inject_markup_into_the_map(self):
        self.w.lugnvik.name = '<script>alert("x")</script>'
        self.w.lugnvik.save(update_fields=["name"])
        body = self.get(f"/lagesbild/2380/diagram/karta.svg?{WEEK}").content
        self.assertNotIn(b"<script", body)
        self.assertIn('<script>alert("x")</script>', svg_text(body))

    def test_the_pdf_downloads_with_the_period_in_its_name(self):
        response = self.get(f"/lagesbild/2380/pdf?{WEEK}", self.w.sara)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="lagesbild-2380-2026-W47.pdf"'
        )
        self.assertTrue(response.content.startswith(b"%PDF-"))

    @pytest.mark.system  # pdfinfo, pdftotext, pdftoppm (poppler-utils)
    def test_the_pdf_has_its_pages_and_the_title_page_says_what_it_is(self):
        pages, text = self.anna_pdf_pages()
        self.assertEqual(pages, 6)  # title, headline, map, areas, time charts, method
        for words in ("Östersund", "2026-W47", "16 november 2026", "Klotter i Centrum."):
            self.assertIn(words, text[0])
        self.assertNotIn("Demodata", text[0])
        self.assertIn("Metod", text[-1])

    @pytest.mark.system  # pdfinfo, pdftotext, pdftoppm (poppler-utils)
    def test_the_pdf_headline_numbers_are_the_apis(self):
        picture = self.api(WEEK)
        _, text = self.anna_pdf_pages()
        rows = [*picture["groups"], {"name": "Alla grupper", **picture["total"]}]
        for row in rows:
            found = re.search(rf"{words(row['name'])}\s+(\d+)\s*[▲▼→]?\s+(\S+)\s+(\d+)", text[1])
            self.assertIsNotNone(found, row["name"])
            mean = f"{row['baseline_mean']:.2f}".rstrip("0").rstrip(".").replace(".", ",")
            self.assertEqual(found.groups(), (str(row["current"]), mean, str(row["last_year"])))
        self.assertRegex(text[1], r"Skadegörelse\s+6\s*▲\s+1\s+2\s+\+500 %\s+Ökar")

    @pytest.mark.system  # pdfinfo, pdftotext, pdftoppm (poppler-utils)
    def test_the_pdf_carries_the_new_or_rising_list(self):
        picture = self.api(WEEK)
        _, text = self.anna_pdf_pages()
        self.assertIn("Nytt eller ökande", text[1])
        self.assertTrue(picture["rising"])
        for r in picture["rising"]:
            row = rf"{words(r['area_name'])}\s+{words(r['group_name'])}\s+{r['current']}\s*▲"
            self.assertRegex(text[1], row)

    @pytest.mark.system  # pdfinfo, pdftotext, pdftoppm (poppler-utils)
    def test_the_pdf_area_table_has_the_apis_counts(self):
        picture = self.api(WEEK)
        _, text = self.anna_pdf_pages()
        page = next(p for p in text if re.search(r"^\s*Områden\s*$", p, re.M))
        codes = [g["code"] for g in picture["groups"]]
        for area in picture["areas"]:
            line = re.search(rf"^\s*{re.escape(area['name'])}\s+(.*)$", page, re.M)
            self.assertIsNotNone(line, area["name"])
            numbers = re.findall(r"\d+", line[1])
            want = [str(area["groups"].get(c, {}).get("current", 0)) for c in codes]
            self.assertEqual(numbers[: len(codes) + 1], [*want, str(area["total"]["current"])])

    def test_the_pdf_reuses_the_charts_the_page_drew_and_is_kept_for_the_next_download(self):
        with mock.patch.object(charts, "trend_svg", wraps=charts.trend_svg) as trend:
            self.get(f"/lagesbild/2380/diagram/trend.svg?{WEEK}")
            first = self.get(f"/lagesbild/2380/pdf?{WEEK}").content
            again = self.get(f"/lagesbild/2380/pdf?{WEEK}", self.w.sara).content
        self.assertEqual(trend.call_count, 1)
        self.assertEqual(first, again)

    @pytest.mark.system  # pdftotext
    def test_a_changed_assessment_makes_a_new_pdf(self):
        self.get(f"/lagesbild/2380/pdf?{WEEK}")
        save_assessment(
            municipality=self.w.ostersund, period=parse_period("2026-W47"), by=self.w.anna,
            text="Lugnare i Centrum.",
        )  # fmt: skip
        _, text = pdf_pages(self.get(f"/lagesbild/2380/pdf?{WEEK}").content)
        self.assertIn("Lugnare i Centrum.", text[0])

    @pytest.mark.system  # pdfinfo, pdftotext, pdftoppm (poppler-utils)
    def test_page_one_renders_to_png(self):
        data = self.anna_pdf()
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "doc.pdf").write_bytes(data)
            subprocess.run(
                ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "doc.pdf", "page"],
                cwd=folder, check=True, capture_output=True,
            )  # fmt: skip
            png = next(Path(folder).glob("page*.png")).read_bytes()
        self.assertTrue(png.startswith(b"\x89PNG"))

    @pytest.mark.system  # pdfinfo, pdftotext, pdftoppm (poppler-utils)
    def test_a_demo_municipality_says_so_on_the_title_page(self):
        self.w.ostersund.is_demo = True
        self.w.ostersund.save(update_fields=["is_demo"])
        _, text = pdf_pages(self.get(f"/lagesbild/2380/pdf?{WEEK}").content)
        self.assertIn("Demodata", text[0])


class StaticMapShapesTests(TryggTestCase):
    def test_the_pdf_map_draws_a_densified_outline_by_its_corners(self):
        from tests.reports.test_pages import densified
        from trygg.geo.models import Area
        from trygg.situation.staticmap import load_shapes

        ring = densified(14.661, 63.151, 14.669, 63.159)
        Area.objects.create(
            municipality=self.w.ostersund, name="Tät", kind="residential",
            geometry={"type": "Polygon", "coordinates": [ring]},
        )  # fmt: skip
        [polygon] = [p for _, name, p in load_shapes(self.w.ostersund).areas if name == "Tät"]
        self.assertEqual(len(polygon.exterior.coords), 5)
        self.assertAlmostEqual(polygon.area / 1e6, 0.36, delta=0.02)  # km², 400 m × 890 m


class LocalOnlyFetcherTests(SimpleTestCase):
    def test_it_refuses_the_network_and_files_outside_static(self):
        fetcher = LocalOnlyFetcher()
        for url in ("http://example.org/x.css", "file:///etc/passwd",
                    "file:///srv/x/trygg/static/../../etc/passwd"):  # fmt: skip
            with self.assertRaises(ValueError, msg=url):
                fetcher.fetch(url)

    def test_it_reads_data_uris(self):
        self.assertEqual(LocalOnlyFetcher().fetch("data:text/plain,hej").read(), b"hej")

    def test_a_css_string_cannot_close_the_style_element(self):
        self.assertEqual(css_string('Ö "x" </style>'), "Ö \\22 x\\22  \\3c \\2f style\\3e ")
