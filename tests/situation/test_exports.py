"""Exports of the lägesbild carry the API's numbers, and points only as access allows."""

from __future__ import annotations

import csv
import io
import json
import math

from openpyxl import load_workbook

from tests.situation.test_picture import at, centrum, cluster, lugnvik
from tests.world import LUGNVIK, TryggTestCase, sign_in
from trygg.geo.models import Area
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_reports
from trygg.situation.exports import FIELDS
from trygg.situation.wording import kind_of, mark_of

WEEK = "period=2026-W47"


def rounded(name: str, value):
    """The API's number as the exports write it: ratios and means 2 decimals, p 4."""
    if not isinstance(value, float):
        return value
    return round(value, 4 if name == "p" else 2)


def comparison_values(comparison: dict) -> list:
    """The API's comparison as an export row: rounded numbers, then the page's words."""
    numbers = [rounded(name, comparison[name]) for name in FIELDS[:-2]]
    last_year = comparison["last_year"]
    ratio = comparison["current"] / last_year if last_year else None
    return [
        *numbers,
        mark_of(comparison).word,
        str(kind_of(comparison["last_year_flag"], ratio).word),
    ]


def same(got: list, want: list) -> bool:
    """Row lists equal, floats to 15 significant digits: all a spreadsheet keeps."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want, strict=True):
        if isinstance(g, list):
            if not same(g, w):
                return False
        elif isinstance(w, float) and isinstance(g, int | float):
            if not math.isclose(g, w, rel_tol=1e-14, abs_tol=1e-300):
                return False
        elif g != w:
            return False
    return True


def read_csv(response, delimiter: str = ";") -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=delimiter))


def as_csv(value, decimal: str = ",") -> str:
    """A value as Swedish Excel reads it: decimal comma."""
    if value is None:
        return ""
    return str(value).replace(".", decimal) if isinstance(value, float) else str(value)


def properties_of(collection: dict, area_id: int) -> dict:
    """The properties of the area's feature in a GeoJSON collection."""
    return next(f["properties"] for f in collection["features"] if f["properties"]["id"] == area_id)


class ExportTestCase(TryggTestCase):
    """The known week 47 of test_picture, plus reports with free text of several organisations."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        items = [centrum("graffiti", at(2026, 47, 6, 2)) for _ in range(6)]
        items += [lugnvik("noise", at(2026, 47, 3, 22))]
        items += [centrum("all_calm", at(2026, 47, 1, 9)) for _ in range(3)]  # never counted
        items += [centrum("graffiti", at(2026, 43 + k, 2, 14)) for k in range(4)]
        items += [centrum("broken_glass", at(2025, 47, 4, 13)) for _ in range(2)]
        items += [lugnvik("theft_other", at(2025, 40, 1, 12))]
        private = {"description": "Police note", "sharing": "organisation"}
        items += [lugnvik("noise", at(2026, 47, 5, 23), **private)]
        submit_reports(
            organisation=cls.w.orgs["polis"], by=cls.w.petra, items=items,
            now=at(2026, 48, 3, 12), max_age_days=800,
        )  # fmt: skip
        submit_reports(
            organisation=cls.w.orgs["bostad"], by=cls.w.karl,
            items=[centrum("graffiti", at(2026, 47, 2, 8), description="Stairwell B tagged")],
            now=at(2026, 48, 3, 12), max_age_days=800,
        )  # fmt: skip

    def api(self, query: str, user=None) -> dict:
        token = create_api_token(user=user or self.w.anna, name="t")[1]
        response = self.client.get(
            f"/api/v1/situation?{query}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def download(self, path: str, user=None, status: int = 200):
        sign_in(self.client, user or self.w.anna)
        response = self.client.get(f"/lagesbild/2380/{path}")
        self.assertEqual(response.status_code, status, response.content[:500])
        return response


class TableExportTests(ExportTestCase):
    def test_it_names_the_file_after_municipality_period_and_content(self):
        response = self.download(f"export.csv?{WEEK}")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="lagesbild-2380-2026-W47-omraden.csv"',
        )
        self.assertTrue(response["Content-Type"].startswith("text/csv"))

    def test_the_area_csv_has_the_apis_numbers_in_a_stable_order(self):
        api = self.api(WEEK)
        rows = read_csv(self.download(f"export.csv?{WEEK}"))
        self.assertEqual(
            rows[0],
            ["Område", "Grupp", "Denna period", "Snitt av de 4 föregående perioderna",
             "Samma period i fjol", "Kvot", "Kvot, lägst", "Kvot, högst", "p", "Markering",
             "Markering mot i fjol"],
        )  # fmt: skip
        names = {g["code"]: g["name"] for g in api["groups"]}
        want = []
        for area in api["areas"]:
            want.append([area["name"], "Alla grupper", *comparison_values(area["total"])])
            want += [
                [area["name"], names[code], *comparison_values(area["groups"][code])]
                for code in names
                if code in area["groups"]
            ]
        self.assertEqual(rows[1:], [[as_csv(v) for v in row] for row in want])
        centrum_total = rows[1]
        self.assertEqual(
            centrum_total,
            ["Centrum", "Alla grupper", "7", "1,0", "2", "7,0", "1,78", "32,61", "0,002", "Ökar",
             "För få för att säga"],
        )  # fmt: skip

    def test_the_csv_opens_in_swedish_excel(self):
        content = self.download(f"export.csv?{WEEK}").content
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark")
        text = content.decode("utf-8-sig")
        self.assertTrue(text.splitlines()[0].startswith("Område;Grupp;Denna period;"))
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual({len(row) for row in rows}, {11})
        numbers = [cell for row in rows[1:] for cell in row[3:9] if cell]
        for cell in numbers:
            self.assertRegex(cell, r"^\d+(,\d{1,4})?$")  # decimal comma, no 16-digit floats
        self.assertTrue(any("," in cell for cell in numbers))

    def test_format_international_keeps_comma_and_point(self):
        response = self.download(f"export.csv?{WEEK}&format=international")
        self.assertFalse(response.content.startswith(b"\xef\xbb\xbf"))
        rows = read_csv(response, delimiter=",")
        self.assertEqual(rows[1][:9], ["Centrum", "Alla grupper", "7", "1.0", "2", "7.0", "1.78",
                                       "32.61", "0.002"])  # fmt: skip
        self.download(f"export.csv?{WEEK}&format=klingon", status=400)

    def test_the_page_links_every_export(self):
        html = self.download(f"?{WEEK}").content.decode()
        for path in ("export.csv", "export.csv?period=2026-W47&amp;table=headline", "export.xlsx",
                     "export/omraden.geojson", "export/hotspots.geojson",
                     "export/punkter.geojson"):  # fmt: skip
            self.assertIn(f'href="/lagesbild/2380/{path}', html)

    def test_each_table_has_its_own_file_name(self):
        names = {
            self.download(f"export.{path}").headers["Content-Disposition"]
            for path in (f"csv?{WEEK}", f"csv?{WEEK}&table=headline", f"xlsx?{WEEK}")
        }
        self.assertEqual(
            names,
            {
                'attachment; filename="lagesbild-2380-2026-W47-omraden.csv"',
                'attachment; filename="lagesbild-2380-2026-W47-oversikt.csv"',
                'attachment; filename="lagesbild-2380-2026-W47.xlsx"',
            },
        )

    def test_marks_are_in_the_exports_language(self):
        swedish = read_csv(self.download(f"export.csv?{WEEK}&table=headline"))
        english = read_csv(self.download(f"export.csv?{WEEK}&table=headline&lang=en"))
        self.assertEqual(swedish[1][0], "Skadegörelse")
        self.assertEqual((swedish[1][-2], english[1][-2]), ("Ökar", "Rising"))
        self.assertEqual(english[2][-2], "Too few to tell")

    def test_the_headline_csv_has_each_group_and_the_total(self):
        api = self.api(f"{WEEK}&category=damage,disorder")
        response = self.download(f"export.csv?{WEEK}&category=damage,disorder&table=headline")
        self.assertIn(
            "lagesbild-2380-2026-W47-damage-disorder-oversikt.csv", response["Content-Disposition"]
        )
        want = [[g["name"], *comparison_values(g)] for g in api["groups"]]
        want.append(["Alla grupper", *comparison_values(api["total"])])
        self.assertEqual(read_csv(response)[1:], [[as_csv(v) for v in row] for row in want])

    def test_english_headers_with_lang_en(self):
        rows = read_csv(self.download(f"export.csv?{WEEK}&lang=en"))  # marks: see wording
        self.assertEqual(
            rows[0][:4], ["Area", "Group", "This period", "Mean of previous 4 periods"]
        )
        self.assertEqual(rows[1][1], "All groups")

    def test_the_xlsx_has_two_sheets_with_numbers_as_numbers(self):
        api = self.api(WEEK)
        response = self.download(f"export.xlsx?{WEEK}")
        self.assertIn('filename="lagesbild-2380-2026-W47.xlsx"', response["Content-Disposition"])
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Översikt", "Områden"])
        headline = [list(r) for r in book["Översikt"].iter_rows(values_only=True)]
        want = [[g["name"], *comparison_values(g)] for g in api["groups"]]
        want.append(["Alla grupper", *comparison_values(api["total"])])
        self.assertTrue(same(headline[1:], want), (headline, want))
        areas = [list(r) for r in book["Områden"].iter_rows(values_only=True)]
        self.assertEqual(areas[1][:3], ["Centrum", "Alla grupper", 7])
        self.assertTrue(same(areas[1][2:], comparison_values(api["areas"][0]["total"])))

    def test_a_formula_in_an_area_name_stays_text(self):
        self.w.centrum.name = '=HYPERLINK("http://x")'
        self.w.centrum.save()
        rows = read_csv(self.download(f"export.csv?{WEEK}"))
        self.assertEqual(rows[1][0], '\'=HYPERLINK("http://x")')
        book = load_workbook(io.BytesIO(self.download(f"export.xlsx?{WEEK}").content))
        cell = book["Områden"]["A2"]
        self.assertEqual((cell.value, cell.data_type), ('=HYPERLINK("http://x")', "s"))

    def test_a_bad_period_is_a_400(self):
        self.download("export.csv?period=2026-W99", status=400)

    def test_an_unknown_format_is_a_404(self):
        self.download(f"export.pdfx?{WEEK}", status=404)

    def test_outsiders_and_other_municipalities_get_404(self):
        self.download(f"export.csv?{WEEK}", user=self.w.otto, status=404)
        self.download(f"export.xlsx?{WEEK}", user=self.w.erik, status=404)
        self.download(f"export/omraden.geojson?{WEEK}", user=self.w.otto, status=404)

    def test_every_member_gets_the_same_tables(self):
        by_reporter = self.download(f"export.csv?{WEEK}", user=self.w.nils).content
        self.assertEqual(by_reporter, self.download(f"export.csv?{WEEK}").content)


class GeoJSONExportTests(ExportTestCase):
    def test_the_areas_carry_the_apis_counts_and_flags(self):
        api = self.api(WEEK)
        response = self.download(f"export/omraden.geojson?{WEEK}")
        self.assertIn("lagesbild-2380-2026-W47-omraden.geojson", response["Content-Disposition"])
        areas = {f["properties"]["name"]: f for f in json.loads(response.content)["features"]}
        for line in api["areas"]:
            if not line["id"]:
                continue
            properties = areas[line["name"]]["properties"]
            total = {k: rounded(k, line["total"][k]) for k in FIELDS}
            self.assertEqual({k: properties[k] for k in FIELDS}, total)
            self.assertEqual(properties["mark"], mark_of(line["total"]).word)
            for code, cell in line["groups"].items():
                self.assertEqual(properties[f"{code}_current"], cell["current"])
                self.assertEqual(properties[f"{code}_flag"], cell["flag"])
        self.assertEqual(areas["Lugnvik"]["geometry"]["type"], "Polygon")

    def test_an_area_without_reports_reads_as_on_the_maps_areas_layer(self):
        quiet = Area.objects.create(
            municipality=self.w.ostersund, name="Tyst", kind="residential", geometry=LUGNVIK
        )
        sign_in(self.client, self.w.anna)
        layer = self.client.get(f"/lagesbild/2380/karta/omraden.geojson?{WEEK}").json()
        on_map = next(
            f["properties"] for f in layer["features"] if f["properties"]["id"] == quiet.pk
        )
        export = json.loads(self.download(f"export/omraden.geojson?{WEEK}").content)
        exported = next(
            f["properties"] for f in export["features"] if f["properties"]["id"] == quiet.pk
        )
        self.assertEqual({k: exported[k] for k in FIELDS}, {k: on_map[k] for k in FIELDS})
        self.assertEqual((exported["current"], exported["flag"]), (0, "too_few"))

    def test_an_unknown_layer_is_a_404_for_the_download_and_the_map(self):
        self.download(f"export/gator.geojson?{WEEK}", status=404)
        self.download(f"karta/gator.geojson?{WEEK}", status=404)

    def test_the_hotspots_are_the_apis_cells(self):
        submit_reports(
            organisation=self.w.orgs["polis"], by=self.w.petra, now=at(2026, 48, 3, 12),
            items=cluster(self.w.ostersund, "noise", at(2026, 47, 4, 23)), max_age_days=800,
        )  # fmt: skip
        api = self.api(WEEK)
        response = self.download(f"export/hotspots.geojson?{WEEK}")
        features = json.loads(response.content)["features"]
        got = [(f["properties"]["z"], f["properties"]["p"], f["properties"]["count"])
               for f in features]  # fmt: skip
        self.assertEqual(got, [(h["z"], h["p"], h["count"]) for h in api["hotspots"]["cells"]])
        # The cluster's cells (4 reports each) are hot, Centrum's lone busy corner (7) is not.
        self.assertEqual({count for _z, _p, count in got}, {4})


class PointExportTests(ExportTestCase):
    def points(self, user, query: str = WEEK) -> list[dict]:
        response = self.download(f"export/punkter.geojson?{query}", user=user)
        self.assertIn('filename="lagesbild-2380-2026-W47-', response["Content-Disposition"])
        self.assertIn('punkter.geojson"', response["Content-Disposition"])
        data = json.loads(response.content)
        self.assertFalse(data["truncated"])
        return [f["properties"] for f in data["features"]]

    def test_a_coordinator_sees_every_incident_of_the_period_with_free_text(self):
        points = self.points(self.w.anna)
        self.assertEqual(len(points), 9)  # 6 + 1 + the organisation-only one + karl's; no check-ins
        texts = {p["description"] for p in points}
        self.assertLessEqual({"Police note", "Stairwell B tagged"}, texts)

    def test_each_point_is_the_one_the_report_map_shows(self):
        for user in (self.w.anna, self.w.sara):
            with self.subTest(user=user.username):
                response = self.download(f"export/punkter.geojson?{WEEK}", user=user)
                exported = json.loads(response.content)["features"]
                on_map = self.client.get("/rapporter/karta.geojson").json()["features"]
                by_id = {f["properties"]["id"]: f for f in on_map}
                self.assertTrue(exported)
                self.assertEqual(exported, [by_id[f["properties"]["id"]] for f in exported])

    def test_a_partner_gets_shared_points_without_other_organisations_free_text(self):
        points = self.points(self.w.sara)
        self.assertEqual(len(points), 8)  # not the police's organisation-only report
        self.assertEqual({p["description"] for p in points}, {None})

    def test_a_reporter_gets_only_their_own_organisations_points(self):
        points = self.points(self.w.karl)
        self.assertEqual([p["description"] for p in points], ["Stairwell B tagged"])

    def test_the_category_filter_narrows_the_points(self):
        points = self.points(self.w.anna, f"{WEEK}&category=disorder")
        self.assertEqual({p["category"] for p in points}, {"noise"})

    def test_an_outsider_gets_404(self):
        self.download(f"export/punkter.geojson?{WEEK}", user=self.w.otto, status=404)
