"""The import through HTTP: upload, columns, categories, preview, import, and the run's page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.imports.files import caretaker_rows, csv_bytes
from tests.world import TryggTestCase, sign_in
from trygg.imports.actions import run_import
from trygg.imports.models import ImportFile, ImportProfile, ImportRun
from trygg.reports.models import Report


def recent_rows():
    """The caretaker's rows, dated in the days before the real now (the pages use it)."""
    day = timezone.localdate() - timezone.timedelta(days=3)
    rows = caretaker_rows()
    for row in rows:
        row[1] = f"{day:%Y-%m-%d} 21:30"
    return rows


def upload(name="logg.csv", content=None):
    return SimpleUploadedFile(name, content or csv_bytes(recent_rows()), content_type="text/csv")


class ImportFlowTests(TryggTestCase):
    def setUp(self):
        sign_in(self.client, self.w.karl)

    def upload(self, content=None):
        response = self.client.post("/importera/", {"file": upload(content=content)})
        self.assertEqual(response.status_code, 302)
        return ImportRun.objects.get()

    def map_everything(self, run):
        page = self.client.get(f"/importera/{run.pk}/kolumner/")
        self.assertContains(page, '<option value="Händelse" selected>', html=False)
        response = self.client.post(
            f"/importera/{run.pk}/kolumner/",
            {"category": "Händelse", "occurred_at": "Datum", "lat": "Lat", "lon": "Long",
             "description": "Beskrivning"},
        )  # fmt: skip
        self.assertRedirects(response, f"/importera/{run.pk}/kategorier/")
        page = self.client.get(f"/importera/{run.pk}/kategorier/")
        self.assertContains(page, "Krossad ruta")
        self.assertContains(page, '<option value="graffiti" selected>', html=False)  # "Klotter"
        response = self.client.post(
            f"/importera/{run.pk}/kategorier/", {"word_0": "graffiti", "word_1": "broken_glass"}
        )
        self.assertRedirects(response, f"/importera/{run.pk}/granska/")

    def test_a_caretaker_uploads_maps_checks_and_imports_his_sheet(self):
        rows = [*recent_rows(), ["Fyrverkerier", recent_rows()[0][1], "63,16", "14,61", ""]]
        run = self.upload(csv_bytes(rows))
        self.map_everything(run)
        preview = self.client.get(f"/importera/{run.pk}/granska/")
        self.assertContains(preview, "3 nya rapporter skulle importeras.")
        self.assertContains(preview, "<td>Fyrverkerier</td><td>Okänd kategori.</td>", html=False)
        self.assertEqual(Report.objects.count(), 0)
        response = self.client.post(f"/importera/{run.pk}/importera/")
        self.assertRedirects(response, f"/importera/{run.pk}/")
        self.assertContains(self.client.get(f"/importera/{run.pk}/"), "import-progress")
        self.assertEqual(
            self.client.get(f"/importera/{run.pk}/status.json").json()["status"], "queued"
        )
        run_import(run_id=run.pk)  # what `trygg worker` does with the queued task
        page = self.client.get(f"/importera/{run.pk}/")
        self.assertContains(page, "3 nya rapporter importerades.")
        self.assertContains(page, "Okänd kategori.")
        self.assertEqual(Report.objects.filter(source="import").count(), 3)
        self.assertFalse(ImportFile.objects.exists())  # the file's free text is not kept
        self.assertTrue(self.client.get(f"/importera/{run.pk}/status.json").json()["finished"])

    def test_the_next_file_is_mapped_as_the_last_one_was(self):
        self.map_everything(self.upload())
        profile = ImportProfile.objects.get(organisation=self.w.orgs["bostad"])
        self.assertEqual(
            profile.categories, {"Klotter": "graffiti", "Krossad ruta": "broken_glass"}
        )
        header = "Händelse;Datum;Lat;Long;Beskrivning\r\n"
        second = self.upload_another(
            header + f"Krossad ruta;{recent_rows()[0][1]};63,16;14,61;x\r\n"
        )
        columns = self.client.get(f"/importera/{second.pk}/kolumner/")
        self.assertContains(columns, '<option value="Long" selected>', html=False)
        self.client.post(
            f"/importera/{second.pk}/kolumner/",
            {"category": "Händelse", "occurred_at": "Datum", "lat": "Lat", "lon": "Long"},
        )
        page = self.client.get(f"/importera/{second.pk}/kategorier/")
        self.assertContains(page, '<option value="broken_glass" selected>', html=False)

    def upload_another(self, text):
        self.client.post("/importera/", {"file": upload(content=text.encode())})
        return ImportRun.objects.order_by("-pk").first()

    def test_a_second_import_of_the_same_file_is_recognised_and_adds_nothing(self):
        first = self.upload()
        self.map_everything(first)
        self.client.post(f"/importera/{first.pk}/importera/")
        run_import(run_id=first.pk)
        self.client.post("/importera/", {"file": upload()})
        second = ImportRun.objects.order_by("-pk").first()
        self.map_everything(second)
        preview = self.client.get(f"/importera/{second.pk}/granska/")
        self.assertContains(preview, "Filen importerades redan")
        self.assertContains(preview, "0 nya rapporter skulle importeras.")

    def test_an_unreadable_file_is_refused_on_the_upload_page(self):
        response = self.client.post(
            "/importera/", {"file": upload("bild.xlsx", b"PK\x03\x04 not really a workbook")}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "XLSX-filen går inte att läsa.", status_code=400)
        self.assertFalse(ImportRun.objects.exists())

    def test_an_imported_run_cannot_be_mapped_or_imported_again(self):
        run = self.upload()
        self.map_everything(run)
        self.client.post(f"/importera/{run.pk}/importera/")
        run_import(run_id=run.pk)
        for step in ("kolumner", "kategorier", "granska"):
            self.assertRedirects(
                self.client.get(f"/importera/{run.pk}/{step}/"), f"/importera/{run.pk}/"
            )
        self.client.post(f"/importera/{run.pk}/importera/")
        self.assertEqual(ImportRun.objects.get().status, ImportRun.Status.DONE)


class WhoMayImportTests(TryggTestCase):
    def test_another_organisation_does_not_see_the_run_but_the_coordinator_does(self):
        sign_in(self.client, self.w.karl)
        self.client.post("/importera/", {"file": upload()})
        run = ImportRun.objects.get()
        self.client.logout()
        sign_in(self.client, self.w.kim)  # the other housing company's caretaker
        self.assertEqual(self.client.get(f"/importera/{run.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/importera/"), "logg.csv")
        self.client.logout()
        sign_in(self.client, self.w.anna)  # the municipality's coordinator
        self.assertEqual(self.client.get(f"/importera/{run.pk}/").status_code, 200)

    def test_a_coordinator_may_import_for_any_organisation_of_the_municipality(self):
        sign_in(self.client, self.w.anna)
        page = self.client.get("/importera/")
        self.assertContains(page, "Bostaden")
        self.assertContains(page, "Vaktbolaget")
        self.assertNotContains(page, "Krokoms kommun")
        self.client.post("/importera/", {"organisation": self.w.orgs["vakt"].pk, "file": upload()})
        self.assertEqual(ImportRun.objects.get().organisation, self.w.orgs["vakt"])

    def test_a_member_may_not_upload_for_an_organisation_he_is_not_in(self):
        sign_in(self.client, self.w.sara)
        self.client.post(
            "/importera/", {"organisation": self.w.orgs["bostad"].pk, "file": upload()}
        )
        self.assertEqual(ImportRun.objects.get().organisation, self.w.orgs["vakt"])
