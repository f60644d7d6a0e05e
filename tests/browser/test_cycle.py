"""The whole EST cycle in a browser at 360 px: Anna decides a measure for Bostaden at a
planned meeting, Karl (Bostaden) sets it yellow, Anna closes the meeting and takes home
the minutes PDF and the åtgärdsplan XLSX, both naming the measure. Every page passes axe."""

import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.browser.axe import violations
from tests.browser.test_meeting import fits_the_phone
from tests.browser.test_report_flow import log_in
from tests.meetings.helpers import measure
from tests.world import build_world
from trygg.measures.models import Measure
from trygg.meetings.models import Meeting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Trygghetsvandring kring Bostadens gårdar"


def checked(page, problems):
    page.wait_for_load_state("networkidle")
    assert fits_the_phone(page), page.url
    problems += violations(page)
    return page


def decide_on_the_drafted_item(page, today):
    """The due measure stands on the drafted agenda; a decision there makes the new one."""
    item = page.locator("section.agenda-item", has_text="Belysning lagas")
    item.locator("summary").click()
    item.get_by_label("Vad som görs").first.fill(TITLE)
    item.get_by_label("Typ").first.select_option(label="Vuxennärvaro eller nattvandring")
    item.get_by_label("Ansvarig organisation").first.select_option(label="Bostaden")
    item.get_by_label("Klart senast").first.fill((today + timedelta(days=20)).isoformat())
    item.get_by_role("button", name="Besluta").click()
    page.get_by_text(f"Beslutat: {TITLE}.").wait_for()


def karl_sets_yellow(page, base, made, problems):
    log_in(page, base, "karl")
    page.goto(f"{base}/atgarder/")
    page.wait_for_url(f"{base}/atgarder/kommun/2380/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{base}/atgarder/{made.pk}/")
    page.get_by_label("Gul: risk för avvikelse").check()
    page.locator("#h-light ~ form textarea").fill("Få vandrare anmälda hittills")
    with page.expect_navigation():
        page.get_by_role("button", name="Sätt trafikljuset").click()
    assert (
        "Få vandrare anmälda hittills" in checked(page, problems).locator(".history").inner_text()
    )


def downloaded(page, link_name, role="link") -> bytes:
    with page.expect_download() as download:
        page.get_by_role(role, name=link_name).click()
    return download.value.path().read_bytes()


def pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def plan_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(BytesIO(content), read_only=True).active
    return [[str(v or "") for v in row] for row in sheet.iter_rows(values_only=True)]


def test_a_decided_measure_goes_round_the_cycle_into_the_minutes_and_the_plan(page, live_server):
    world = build_world()
    today = timezone.localdate()
    Meeting.objects.create(municipality=world.ostersund, held_on=today - timedelta(days=7),
                           since=today - timedelta(days=21), status="held")  # fmt: skip
    measure(world, "Belysning lagas", owner="kommun", deadline=today + timedelta(days=3))
    base, problems = live_server.url, []

    log_in(page, base, "anna")
    page.goto(f"{base}/moten/")
    page.get_by_role("button", name="Planera nästa möte").click()
    page.wait_for_url("**/moten/*/")
    meeting_url = page.url
    decide_on_the_drafted_item(page, today)
    checked(page, problems)
    made = Measure.objects.get(title=TITLE)
    assert (made.status, made.responsible, made.meeting.status) == (
        "decided", world.orgs["bostad"], "planned",
    )  # fmt: skip
    page.goto(f"{base}/atgarder/kommun/2380/")
    assert TITLE in checked(page, problems).locator(".measure-list").inner_text()

    # Karl on his own phone; Anna stays logged in on hers (a second code would be a replay).
    karls = page.context.browser.new_context(viewport={"width": 360, "height": 740}, locale="sv-SE")
    karls.set_default_timeout(15_000)
    karls.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
    karl_sets_yellow(karls.new_page(), base, made, problems)
    karls.close()
    assert Measure.objects.get(pk=made.pk).light == "yellow"

    page.goto(meeting_url)
    page.get_by_role("link", name="Avsluta mötet").click()
    page.wait_for_url("**/avsluta/bekrafta/")
    page.get_by_role("button", name="Avsluta mötet").click()
    page.wait_for_url("**/protokoll/")
    minutes = downloaded(checked(page, problems), "Protokoll som PDF")
    assert TITLE in " ".join(pdf_text(minutes).split())

    page.goto(f"{base}/atgarder/kommun/2380/")
    rows = plan_rows(downloaded(checked(page, problems), "Åtgärdsplan (XLSX)", role="button"))
    row = next(r for r in rows if TITLE in r)
    assert "Bostaden" in " ".join(row) and "Gul: risk för avvikelse" in " ".join(row)
    assert problems == []
