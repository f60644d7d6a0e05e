"""The board as CSV and XLSX, the åtgärdsplan as XLSX and PDF: parsed back, audited, no notes."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from django.utils import timezone
from openpyxl import load_workbook

from tests.measures.test_access import NOTE, make_measure
from tests.situation.test_documents import pdf_pages
from tests.world import TryggTestCase, report_data, sign_in
from trygg.measures.actions import change_status, set_light
from trygg.partners.models import AuditEvent
from trygg.reports.actions import submit_report


class MeasureExportTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.late = make_measure(cls.w, title="=HYPERLINK(\"x\")", deadline=date(2026, 3, 1),
                                starts_on=date(2026, 1, 10), goal="Färre klotter",
                                cause="Mörk gångtunnel", cost_sek=12000)  # fmt: skip
        set_light(measure=cls.late, by=cls.w.anna, light="red", comment="Ingen budget")
        cls.next_year = make_measure(cls.w, title="Nästa år", starts_on=date(2027, 2, 1),
                                     deadline=date(2027, 6, 1))  # fmt: skip
        cls.proposed = make_measure(cls.w, title="Bara ett förslag", status="proposed",
                                    deadline=date(2026, 5, 1))  # fmt: skip
        cls.cancelled = make_measure(cls.w, title="Avbruten", deadline=date(2026, 5, 1))
        change_status(measure=cls.cancelled, by=cls.w.anna, to="cancelled", comment="Dubblett")

    def test_the_board_csv_opens_in_swedish_excel_with_the_board_s_rows(self):
        sign_in(self.client, self.w.anna)
        response = self.client.get("/atgarder/kommun/2380/export.csv")
        body = response.content.decode("utf-8")
        self.assertTrue(body.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
        self.assertEqual(rows[0][:3], ["Id", "Vad som görs", "Status"])
        self.assertEqual(len(rows) - 1, 4)
        first = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(first["Vad som görs"], '\'=HYPERLINK("x")')
        self.assertEqual((first["Trafikljus"], first["Försenad"]), ("Röd: avviker", "ja"))
        self.assertNotIn(NOTE, body)
        event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
        self.assertIn("atgarder-2380", event.detail["file"])

    def test_the_board_xlsx_follows_the_filter(self):
        sign_in(self.client, self.w.sara)
        response = self.client.get("/atgarder/kommun/2380/export.xlsx?status=proposed")
        sheet = load_workbook(io.BytesIO(response.content)).active
        titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(titles, ["Bara ett förslag"])

    def test_the_plan_has_bra_s_columns_and_only_the_period_s_decided_measures(self):
        sign_in(self.client, self.w.greta)
        response = self.client.get("/atgarder/kommun/2380/atgardsplan.xlsx?period=2026")
        self.assertEqual(response.status_code, 200)
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        self.assertEqual(rows[0], ("Orsak eller problem", "Åtgärd", "Operativt mål", "När",
                                   "Vem", "Uppföljning och färg"))  # fmt: skip
        self.assertEqual(len(rows), 2)
        cause, measure, goal, when, who, follow = rows[1]
        self.assertEqual((measure, goal, when), ("=HYPERLINK(\"x\")", "Färre klotter",
                                                 "2026-01-10 – 2026-03-01"))  # fmt: skip
        self.assertIn("Mörk gångtunnel", cause)
        self.assertIn("Bostaden", who)
        self.assertIn("Röd: avviker", follow)

    def test_the_plan_pdf_lists_the_same_measures(self):
        sign_in(self.client, self.w.anna)
        response = self.client.get("/atgarder/kommun/2380/atgardsplan.pdf?period=2026")
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(pdf_pages(response.content)[1])
        self.assertIn("Åtgärdsplan", text)
        self.assertIn("Färre klotter", text)
        self.assertNotIn("Nästa år", text)
        self.assertNotIn("Bara ett förslag", text)
        self.assertNotIn(NOTE, text)

    def test_a_bad_period_is_a_400_and_an_outsider_a_404(self):
        sign_in(self.client, self.w.anna)
        response = self.client.get("/atgarder/kommun/2380/atgardsplan.pdf?period=2026-13")
        self.assertEqual(response.status_code, 400)
        sign_in(self.client, self.w.erik)
        self.assertEqual(self.client.get("/atgarder/kommun/2380/export.csv").status_code, 404)

    def test_the_board_chooses_the_plan_s_period_and_every_choice_is_a_plan(self):
        sign_in(self.client, self.w.greta)
        page = self.client.get("/atgarder/kommun/2380/").content.decode()
        self.assertIn('action="/atgarder/kommun/2380/atgardsplan.pdf"', page)
        self.assertIn('formaction="/atgarder/kommun/2380/atgardsplan.xlsx"', page)
        chooser = page[page.index('<select id="plan-period"') :].split("</select>")[0]
        options = dict(re.findall(r'<option value="([^"]+)"(?: selected)?>([^<]+)<', chooser))
        year = timezone.localdate().year
        self.assertEqual(
            options[f"{year + 1}-01-01..{year + 1}-06-30"], f"{year + 1}, första halvåret"
        )
        self.assertEqual(options[f"{year}-T2"], f"{year}, tertial 2")
        self.assertIn(f'<option value="{year}" selected>', page)
        for key in options:
            response = self.client.get(f"/atgarder/kommun/2380/atgardsplan.xlsx?period={key}")
            self.assertEqual(response.status_code, 200, key)

    def test_the_board_export_has_the_cancel_reason_and_the_partners(self):
        make_measure(self.w, title="Samverkan", partners=[self.w.orgs["vakt"], self.w.orgs["natt"]])
        sign_in(self.client, self.w.anna)
        response = self.client.get("/atgarder/kommun/2380/export.xlsx")
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        by_title = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        self.assertEqual(by_title["Avbruten"]["Skäl att avbryta"], "Dubblett")
        self.assertEqual(
            by_title["Samverkan"]["Samverkanspartner"], "Nattvandring Östersund, Vaktbolaget"
        )


class PartnerFileTests(TryggTestCase):
    """A partner's board and åtgärdsplan files carry no internal notes and no report ids."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report, _ = submit_report(organisation=cls.w.orgs["kommun"], by=cls.w.anna,
                                      data=report_data())  # fmt: skip
        today = timezone.localdate()
        cls.measure = make_measure(cls.w, title="Belysning", starts_on=today,
                                   reports=[cls.report])  # fmt: skip

    def test_no_file_a_partner_downloads_holds_the_notes_or_a_report_id(self):
        sign_in(self.client, self.w.sara)
        year = timezone.localdate().year
        files = {
            "csv": self.client.get("/atgarder/kommun/2380/export.csv").content.decode(),
            "xlsx": _xlsx_text(self.client.get("/atgarder/kommun/2380/export.xlsx").content),
            "plan xlsx": _xlsx_text(self.client.get(
                f"/atgarder/kommun/2380/atgardsplan.xlsx?period={year}").content),
            "plan pdf": " ".join(pdf_pages(self.client.get(
                f"/atgarder/kommun/2380/atgardsplan.pdf?period={year}").content)[1]),
        }  # fmt: skip
        for name, text in files.items():
            with self.subTest(name):
                self.assertIn("Belysning", text)
                self.assertNotIn(NOTE, text)
                self.assertNotIn(str(self.report.pk), text)
                self.assertNotIn(str(self.report.pk)[:8], text)


def _xlsx_text(content: bytes) -> str:
    """Every cell of every sheet, as one text to search."""
    book = load_workbook(io.BytesIO(content))
    return " ".join(str(v) for sheet in book for row in sheet.values for v in row if v is not None)
