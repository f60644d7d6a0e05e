"""Importing partners' files: every row checked as intake checks it, the good ones stored once."""

from __future__ import annotations

import gzip
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from tests.imports.files import (
    CATEGORIES,
    CENTRUM,
    COLUMNS,
    HEADER,
    LUGNVIK,
    NOW,
    caretaker_rows,
    csv_bytes,
    geojson_bytes,
    xlsx_bytes,
)
from tests.world import TryggTestCase
from trygg.geo.projection import to_sweref
from trygg.imports.actions import check_file, import_file
from trygg.imports.models import ImportRun
from trygg.reports.models import DailyCount, Report

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DATA = Path(__file__).resolve().parents[1] / "data"


def sweref(lat: float, lon: float) -> tuple[float, float]:
    """(easting, northing) of a WGS84 point."""
    x, y = to_sweref([lat], [lon])
    return round(float(x[0]), 2), round(float(y[0]), 2)


class ImportTestCase(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.org = cls.w.orgs["bostad"]

    def check(self, content, columns=COLUMNS, categories=CATEGORIES):
        return check_file(
            organisation=self.org, content=content, columns=columns, categories=categories, now=NOW
        )

    def commit(self, content, columns=COLUMNS, categories=CATEGORIES, name="logg.csv"):
        return import_file(
            organisation=self.org, by=self.w.karl, name=name, content=content,
            columns=columns, categories=categories, now=NOW,
        )  # fmt: skip

    def errors_of(self, checked):
        return [(e.row, e.column, e.message) for e in checked.errors]


class RowErrorTests(ImportTestCase):
    def test_each_kind_of_bad_row_is_named_with_its_row_column_and_reason(self):
        rows = [
            ["Klotter", "2026-11-24 23:10", "63,16", "14,61", "bra rad"],  # row 2: fine
            ["Fyrverkerier", "2026-11-24 23:10", "63,16", "14,61", ""],  # 3: no such category
            ["Klotter", "igår kväll", "63,16", "14,61", ""],  # 4: not a date
            ["Klotter", "", "63,16", "14,61", ""],  # 5: no date
            ["Klotter", "2026-12-24 12:00", "63,16", "14,61", ""],  # 6: in the future
            ["Klotter", "2026-11-24 23:10", "norr", "14,61", ""],  # 7: not a number
            ["Klotter", "2026-11-24 23:10", "63,30", "14,65", ""],  # 8: outside the municipality
            ["Klotter", "2005-11-24 23:10", "63,16", "14,61", ""],  # 9: older than ten years
        ]
        checked = self.check(csv_bytes(rows))
        self.assertEqual(
            self.errors_of(checked),
            [
                (3, "Händelse", "Okänd kategori."),
                (4, "Datum", "Ingen giltig tidpunkt."),
                (5, "Datum", "Ett datum krävs."),
                (6, "Datum", "Kan inte ligga i framtiden."),
                (7, "Lat", "Inget tal."),
                (8, "Lat", "Positionen ligger utanför kommunen."),
                (9, "Datum", "Äldre än 3650 dagar."),
            ],
        )
        self.assertEqual((checked.valid, checked.rejected), (1, 7))
        self.assertEqual(checked.errors[0].value, "Fyrverkerier")

    def test_optional_fields_are_checked_as_the_report_form_checks_them(self):
        header = [*HEADER, "Antal personer", "Polisanmäld", "Platstyp"]
        rows = [
            [*caretaker_rows()[0], "3", "ja", "Trapphus"],
            [*caretaker_rows()[0], "2,5", "kanske", "Taket"],
        ]
        columns = {**COLUMNS, "persons": "Antal personer", "reported_to_police": "Polisanmäld",
                   "place_type": "Platstyp"}  # fmt: skip
        checked = self.check(csv_bytes(rows, header=header), columns=columns)
        self.assertEqual(
            [(e.row, e.column) for e in checked.errors],
            [(3, "Antal personer"), (3, "Platstyp"), (3, "Polisanmäld")],
        )
        [good] = checked.sample()
        self.assertEqual(
            (good["persons"], good["reported_to_police"], good["place_type"]),
            (3, True, "stairwell"),
        )

    def test_a_refused_value_is_shown_masked_as_intake_would_store_it(self):
        text = "Ring Kalle på 070-123 45 67. " + "x" * 5000
        rows = [["Klotter", "2026-11-24 23:10", "63,16", "14,61", text]]
        [error] = self.commit(csv_bytes(rows)).errors
        self.assertEqual((error["row"], error["column"]), (2, "Beskrivning"))
        self.assertNotIn("070-123 45 67", error["value"])

    def test_a_feature_that_is_not_a_point_is_named_by_its_number(self):
        line = {"type": "LineString", "coordinates": [[14.61, 63.16], [14.62, 63.16]]}
        feature = {"type": "Feature", "geometry": line,
                   "properties": {"kategori": "graffiti", "datum": "2026-11-24 23:10"}}  # fmt: skip
        content = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
        checked = self.check(content, columns=self.geo_columns(), categories={})
        self.assertEqual([(e.row, e.column) for e in checked.errors], [(1, "geometry.x")])

    def test_a_file_without_the_required_columns_is_refused_before_any_row(self):
        from trygg.core.errors import InputRejected

        with self.assertRaises(InputRejected) as refused:
            self.check(csv_bytes(caretaker_rows()), columns={"category": "Händelse"})
        self.assertEqual({e.field for e in refused.exception.errors}, {"occurred_at", "lat", "lon"})

    def geo_columns(self):
        return {"category": "kategori", "occurred_at": "datum", "lat": "geometry.y",
                "lon": "geometry.x"}  # fmt: skip


class CommitTests(ImportTestCase):
    def test_it_imports_the_good_rows_and_records_the_run(self):
        rows = [*caretaker_rows(), ["Fyrverkerier", "2026-11-24", "63,16", "14,61", ""]]
        run = self.commit(csv_bytes(rows))
        self.assertEqual(run.status, ImportRun.Status.DONE)
        self.assertEqual((run.rows, run.created, run.existing, run.rejected), (4, 3, 0, 1))
        self.assertEqual(run.errors[0]["row"], 5)
        self.assertEqual(run.by, self.w.karl)
        self.assertEqual(len(run.file_hash), 64)
        reports = Report.objects.filter(organisation=self.org).order_by("occurred_at")
        self.assertEqual(
            [(r.category.code, r.source, r.reporter) for r in reports],
            [("graffiti", "import", self.w.karl), ("broken_glass", "import", self.w.karl),
             ("graffiti", "import", self.w.karl)],
        )  # fmt: skip
        self.assertEqual(reports[1].occurred_at, datetime(2026, 11, 25, 7, 45, tzinfo=STOCKHOLM))
        self.assertEqual(sum(DailyCount.objects.values_list("n", flat=True)), 3)

    def test_the_same_file_twice_adds_nothing_and_is_recognised(self):
        content = csv_bytes(caretaker_rows())
        first = self.commit(content)
        self.assertEqual(self.check(content).earlier_runs, [first])
        self.assertEqual(self.check(content).new, 0)
        second = self.commit(content)
        self.assertEqual((second.created, second.existing), (0, 3))
        self.assertEqual(Report.objects.filter(organisation=self.org).count(), 3)

    def test_the_repeat_check_looks_client_ids_up_in_their_index_not_by_a_scan(self):
        # Both planners use a partial index only when the query implies its
        # condition (client_id <> ''); PostgreSQL is told not to prefer a scan of
        # the few rows a test has.
        self.commit(csv_bytes(caretaker_rows()))
        with CaptureQueriesContext(connection) as queries:
            self.check(csv_bytes(caretaker_rows()))
        [lookup] = [q["sql"] for q in queries if "client_id" in q["sql"] and "IN (" in q["sql"]]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + lookup)
            else:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + lookup)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        self.assertIn("report_unique_client_id", plan)

    def test_a_row_logged_twice_in_the_file_is_two_reports_once(self):
        row = caretaker_rows()[0]
        content = csv_bytes([row, row])
        self.assertEqual(self.commit(content).created, 2)
        self.assertEqual(self.commit(content).created, 0)

    def test_a_later_file_with_some_of_the_same_rows_adds_only_the_new_ones(self):
        rows = caretaker_rows()
        self.commit(csv_bytes(rows[:2]))
        run = self.commit(csv_bytes(rows[::-1]))
        self.assertEqual((run.created, run.existing), (1, 2))

    def test_a_failed_write_keeps_neither_reports_nor_the_run_record(self):
        self.refuse_finished_runs()
        with self.assertRaises(DatabaseError):
            self.commit(csv_bytes(caretaker_rows()))
        self.assertEqual(Report.objects.count(), 0)
        self.assertEqual(DailyCount.objects.count(), 0)

    def refuse_finished_runs(self):
        """A trigger that fails the run's final save: the last write of the import."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "CREATE TRIGGER refuse_done BEFORE UPDATE ON imports_importrun "
                    "WHEN NEW.status = 'done' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            else:
                cursor.execute(
                    "CREATE FUNCTION refuse_done() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.status = 'done' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
                cursor.execute(
                    "CREATE TRIGGER refuse_done BEFORE UPDATE ON imports_importrun "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_done()"
                )


class FormatTests(ImportTestCase):
    def stored(self):
        return sorted(
            (r.category.code, r.occurred_at, round(r.lat, 5), round(r.lon, 5), r.description)
            for r in Report.objects.filter(organisation=self.org)
        )

    def expected(self):
        at = datetime(2026, 11, 24, 23, 10, tzinfo=STOCKHOLM)
        return [("graffiti", at, *CENTRUM, "Klotter på garageporten")]

    def test_utf8_utf8_with_bom_and_windows_1252_read_alike(self):
        row = caretaker_rows()[:1]
        for encoding in ("utf-8", "utf-8-sig", "cp1252"):
            with self.subTest(encoding=encoding):
                checked = self.check(csv_bytes(row, encoding=encoding))
                self.assertEqual(checked.sheet.headers, HEADER)
                self.assertEqual(checked.sample()[0]["description"], "Klotter på garageporten")

    def test_comma_separated_files_with_decimal_points_or_quoted_commas_read_alike(self):
        text = (
            "Händelse,Datum,Lat,Long,Beskrivning\r\n"
            'Klotter,2026-11-24 23:10,63.16,"14,61",Klotter på garageporten\r\n'
        )
        checked = self.check(text.encode("utf-8"))
        self.assertEqual(checked.sheet.separator, ",")
        self.assertEqual((checked.valid, checked.errors), (1, []))
        self.commit(text.encode("utf-8"))
        self.assertEqual(self.stored(), self.expected())

    def test_swedish_excel_serial_dates_decimal_commas_and_text_dates(self):
        header = ["Händelse", "Datum", "Lat", "Long", "Beskrivning", "Skadekostnad"]
        serial = 46350 + (23 * 60 + 10) / 1440  # 2026-11-24 23:10 as Excel counts
        rows = [
            ["Klotter", serial, "63,16", "14,61", "Klotter på garageporten", "1 200,00"],
            ["Klotter", datetime(2026, 11, 24, 23, 10), 63.16, 14.61, "Klotter på garageporten", 0],
            ["Klotter", "2026-11-24 23:10", 63.16, "14,61", "Klotter på garageporten", None],
        ]
        content = xlsx_bytes(rows, header=header)
        columns = {**COLUMNS, "damage_cost_sek": "Skadekostnad"}
        checked = self.check(content, columns=columns)
        self.assertEqual((checked.sheet.format, checked.errors), ("xlsx", []))
        self.assertEqual([s["damage_cost_sek"] for s in checked.sample()[:2]], [1200, 0])
        self.commit(content, columns=columns)
        self.assertEqual(self.stored(), self.expected() * 3)

    def test_a_date_and_a_time_in_columns_of_their_own(self):
        header = ["Händelse", "Datum", "Klockslag", "Lat", "Long", "Beskrivning"]
        row = ["Klotter", "24/11/2026", "23.10", "63,16", "14,61", "Klotter på garageporten"]
        columns = {**COLUMNS, "occurred_time": "Klockslag"}
        self.commit(csv_bytes([row], header=header), columns=columns)
        self.assertEqual(self.stored(), self.expected())

    def test_geojson_points_import_with_their_properties(self):
        props = {"kategori": "Klotter", "datum": "24 nov 2026 23.10",
                 "beskrivning": "Klotter på garageporten"}  # fmt: skip
        content = geojson_bytes([((CENTRUM[1], CENTRUM[0]), props)])
        columns = {"category": "kategori", "occurred_at": "datum", "lat": "geometry.y",
                   "lon": "geometry.x", "description": "beskrivning"}  # fmt: skip
        self.commit(content, columns=columns)
        self.assertEqual(self.stored(), self.expected())


class CoordinateTests(ImportTestCase):
    def test_sweref_99_tm_is_recognised_in_either_column_order(self):
        east, north = sweref(*CENTRUM)
        rows = [
            ["Klotter", "2026-11-24 23:10", str(north).replace(".", ","), str(east), "N, E"],
            ["Klotter", "2026-11-24 23:10", str(east), str(north), "X, Y"],
            ["Klotter", "2026-11-24 23:10", "63,16", "14,61", "WGS84"],
        ]
        checked = self.check(csv_bytes(rows))
        self.assertEqual(checked.errors, [])
        self.assertEqual(checked.converted.systems, {"sweref99tm": 2, "wgs84": 1})
        for row in checked.sample():
            self.assertAlmostEqual(row["lat"], CENTRUM[0], places=6)
            self.assertAlmostEqual(row["lon"], CENTRUM[1], places=6)
            self.assertEqual(row["area_id"], self.w.centrum.pk)

    def test_a_sweref_point_outside_the_municipality_is_refused(self):
        east, north = sweref(63.30, 14.65)
        inside_east, inside_north = sweref(*LUGNVIK)
        rows = [
            ["Klotter", "2026-11-24 23:10", str(north), str(east), ""],
            ["Klotter", "2026-11-24 23:10", str(inside_north), str(inside_east), ""],
        ]
        checked = self.check(csv_bytes(rows))
        self.assertEqual(
            self.errors_of(checked), [(2, "Lat", "Positionen ligger utanför kommunen.")]
        )
        self.assertEqual(checked.sample()[0]["area_id"], self.w.lugnvik.pk)


class RealFileTests(ImportTestCase):
    def test_a_police_uk_extract_is_read_and_each_row_out_of_the_municipality_named(self):
        with gzip.open(DATA / "police_uk_2018-07-west-yorkshire-street.csv.gz", "rb") as f:
            content = b"".join(f.readline() for _ in range(301))
        columns = {"category": "Crime type", "occurred_at": "Month", "lat": "Latitude",
                   "lon": "Longitude", "external_id": "Crime ID"}  # fmt: skip
        categories = {"Vehicle crime": "vehicle_crime", "Burglary": "burglary_home"}
        checked = self.check(content, columns=columns, categories=categories)
        self.assertEqual((checked.rows, checked.sheet.separator), (300, ","))
        self.assertEqual(checked.valid, 0)
        self.assertEqual(checked.rejected, 300)
        # "2018-07" names no day: every row's date is refused, and its place too.
        self.assertEqual({e.column for e in checked.errors} >= {"Month"}, True)


class CommandTests(ImportTestCase):
    def run_command(self, *args, content=None):
        path = Path(self.tmp) / "logg.csv"
        path.write_bytes(content or csv_bytes(caretaker_rows()))
        out, err = io.StringIO(), io.StringIO()
        call_command("import", str(path), "--organisation", "Bostaden", *args, stdout=out,
                     stderr=err)  # fmt: skip
        return out.getvalue(), err.getvalue()

    def setUp(self):
        import tempfile

        self.tmp = tempfile.mkdtemp()
        mapping = Path(self.tmp) / "mapping.json"
        mapping.write_text(json.dumps({"columns": COLUMNS, "categories": CATEGORIES}))
        self.mapping = str(mapping)

    def test_a_dry_run_lists_the_bad_rows_and_writes_nothing(self):
        rows = [*caretaker_rows(), ["Fyrverkerier", "2026-11-24", "63,16", "14,61", ""]]
        out, err = self.run_command("--mapping", self.mapping, content=csv_bytes(rows))
        self.assertIn("Would import: 3 new, 0 already there.", out)
        self.assertIn("row 5, Händelse: Okänd kategori. (Fyrverkerier)", out)
        self.assertIn("100%", err)
        self.assertEqual(Report.objects.count(), 0)
        self.assertEqual(ImportRun.objects.count(), 0)

    def test_commit_imports_saves_the_mapping_and_a_second_run_reuses_it(self):
        out, _err = self.run_command("--mapping", self.mapping, "--commit", "--by", "karl")
        self.assertIn("3 new, 0 already there", out)
        self.assertEqual(Report.objects.filter(source="import").count(), 3)
        out, _err = self.run_command("--commit")  # the saved "standard" mapping
        self.assertIn("0 new, 3 already there", out)
