"""Anna runs an EST meeting from her phone, by keyboard: she plans it, decides a measure on
a drafted item, records attendance, closes the meeting and downloads the minutes; Sara,
a partner, then reads them. Every page passes axe at 360 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.meetings.helpers import measure
from tests.world import build_world
from trygg.measures.models import Measure
from trygg.meetings.models import Meeting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def checked(page, problems):
    page.wait_for_load_state("networkidle")
    assert fits_the_phone(page), page.url
    problems += violations(page)
    return page


def test_anna_runs_a_meeting_by_keyboard_and_sara_reads_the_minutes(page, live_server):
    world = build_world()
    today = timezone.localdate()
    Meeting.objects.create(municipality=world.ostersund, held_on=today - timedelta(days=7),
                           since=today - timedelta(days=21), status="held")  # fmt: skip
    measure(world, "Belysning lagas", owner="kommun", deadline=today + timedelta(days=3))
    errors, problems = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    base = live_server.url

    log_in(page, base, "anna")
    page.goto(f"{base}/moten/")
    checked(page, problems)
    page.get_by_role("button", name="Planera nästa möte").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/moten/*/")
    item = page.locator("section.agenda-item", has_text="Belysning lagas")
    checked(page, problems)

    # The decision form opens from its summary by keyboard and creates the measure in place.
    item.locator("summary").focus()
    page.keyboard.press("Enter")
    item.get_by_label("Vad som görs").first.fill("Ny armatur i gångtunneln")
    item.get_by_label("Typ").first.select_option(label="Fysisk eller situationell")
    item.get_by_label("Ansvarig organisation").first.select_option(label="Östersunds kommun")
    item.get_by_label("Klart senast").first.fill((today + timedelta(days=30)).isoformat())
    item.get_by_role("button", name="Besluta").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Beslutat: Ny armatur i gångtunneln.").wait_for()
    made = Measure.objects.get(title="Ny armatur i gångtunneln")
    assert (made.status, made.meeting.held_on > today) == ("decided", True)

    page.wait_for_load_state("networkidle")
    police = page.get_by_label("Polisen LPO Östersund")
    police.focus()
    page.keyboard.press("Space")
    expect(police).to_be_checked()
    page.get_by_role("button", name="Spara närvaro").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Närvaron är sparad.").wait_for()
    assert [a.organisation.name for a in made.meeting.attendance.all()] == ["Polisen LPO Östersund"]
    checked(page, problems)

    page.get_by_role("link", name="Avsluta mötet").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/avsluta/bekrafta/")
    checked(page, problems)
    page.get_by_role("button", name="Avsluta mötet").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/protokoll/")
    checked(page, problems)
    with page.expect_download() as download:
        page.get_by_role("link", name="Protokoll som PDF").click()
    assert download.value.suggested_filename.startswith("protokoll-2380-")

    page.context.clear_cookies()
    log_in(page, base, "sara")
    page.goto(f"{base}/moten/")
    page.get_by_role("link", name="Protokoll").first.click()
    page.get_by_text("Ny armatur i gångtunneln").first.wait_for()
    assert "Polisen LPO Östersund" in checked(page, problems).content()
    assert problems == [] and errors == []
