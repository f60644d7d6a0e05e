"""The file import in a browser at 360 px: upload to import, by keyboard; axe on every step."""

import pytest
from django.utils import timezone

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.imports.files import csv_bytes
from tests.world import build_world
from trygg.imports.actions import run_import
from trygg.imports.models import ImportRun
from trygg.reports.models import Report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sheet() -> bytes:
    day = f"{timezone.localdate() - timezone.timedelta(days=2):%Y-%m-%d}"
    return csv_bytes([
        ["Klotter", f"{day} 23:10", "63,16", "14,61", "Klotter på garageporten"],
        ["Krossad ruta", f"{day} 07.45", "63,16", "14,68", "Ruta i trapphus B"],
        ["Fyrverkerier", f"{day} 22:00", "63,16", "14,61", ""],
    ])  # fmt: skip


def test_a_caretaker_imports_his_sheet_by_keyboard_and_every_step_passes_axe(page, live_server):
    build_world()
    base = live_server.url
    problems = {}
    log_in(page, base, "karl")
    page.goto(f"{base}/importera/")
    problems["upload"] = violations(page)
    page.get_by_label("Fil").set_input_files(
        {"name": "logg.csv", "mimeType": "text/csv", "buffer": sheet()}
    )
    page.get_by_role("button", name="Ladda upp och fortsätt").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/kolumner/" in page.url
    problems["columns"] = violations(page)
    # The headers were recognised: the step is only confirmed.
    assert page.get_by_label("Latitud, eller nordkoordinat (SWEREF 99 TM)").input_value() == "Lat"
    page.get_by_label("Kategori").select_option("Händelse")
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url("**/kategorier/")
    problems["categories"] = violations(page)
    page.get_by_label("Krossad ruta").select_option("broken_glass")
    assert page.get_by_label("Klotter").input_value() == "graffiti"
    page.get_by_role("button", name="Granska filen").click()
    page.wait_for_url("**/granska/")
    problems["preview"] = violations(page)
    assert "2 nya rapporter skulle importeras." in page.locator(".import-summary").inner_text()
    assert "Fyrverkerier" in page.locator(".import-errors").inner_text()
    page.get_by_role("button", name="Importera raderna som godkänts").click()
    page.wait_for_selector(".import-progress")
    problems["progress"] = violations(page)
    run_import(run_id=ImportRun.objects.get().pk)  # the worker's part
    # The page polls the run and shows the outcome without being reloaded by hand.
    page.wait_for_selector("text=2 nya rapporter importerades.")
    problems["done"] = violations(page)
    assert Report.objects.filter(source="import").count() == 2
    page.goto(f"{base}/importera/")
    assert "logg.csv" in page.locator("table").inner_text()
    assert {k: v for k, v in problems.items() if v} == {}
