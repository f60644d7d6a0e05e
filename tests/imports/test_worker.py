"""The web import's last step runs in `trygg worker`, which writes the progress and the outcome."""

from __future__ import annotations

from django.core.management import call_command
from django.test import TransactionTestCase

from tests.imports.files import CATEGORIES, COLUMNS, csv_bytes
from tests.imports.test_pages import recent_rows
from tests.world import build_world
from trygg.imports.actions import map_run, start_import, upload_file
from trygg.imports.models import ImportFile, ImportRun
from trygg.reports.models import Report


class WorkerTests(TransactionTestCase):
    # As the email worker tests: keep the migrated data (categories) across the flush.
    serialized_rollback = True

    def test_the_worker_imports_a_queued_run_and_records_its_progress(self):
        w = build_world()
        run = upload_file(
            organisation=w.orgs["bostad"], by=w.karl, name="logg.csv",
            content=csv_bytes(recent_rows()),
        )  # fmt: skip
        map_run(run=run, by=w.karl, columns=COLUMNS, categories=CATEGORIES)
        start_import(run=run, by=w.karl)  # queues the task when its transaction commits
        self.assertEqual(ImportRun.objects.get().status, ImportRun.Status.QUEUED)
        call_command("worker", batch=True, verbosity=0)
        run = ImportRun.objects.get()
        self.assertEqual((run.status, run.created), (ImportRun.Status.DONE, 3))
        self.assertEqual((run.progress_done, run.progress_total, run.percent), (3, 3, 100))
        self.assertEqual(Report.objects.filter(source="import").count(), 3)
        self.assertFalse(ImportFile.objects.exists())
