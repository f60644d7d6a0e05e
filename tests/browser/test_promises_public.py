"""A resident opens Östersund's citizen promise on her phone, logged out: she reads it at
360 px, moves through it by keyboard, finds each indicator chart's values as a table, and
downloads the PDF; axe-core finds nothing to fault."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.browser.axe import violations
from tests.promises.helpers import build_promise
from tests.world import build_world, report_data
from trygg.promises import actions
from trygg.reports.actions import submit_reports

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ZONE = ZoneInfo("Europe/Stockholm")


def published_promise(world):
    """2023–2024 with graffiti counted in Centrum, a survey by hand, a follow-up; and a draft."""
    at = [datetime(2023, m, 10, 14, tzinfo=ZONE) for m in (1, 2, 4, 5, 5, 6, 7, 8, 9)]
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, max_age_days=1200,
        items=[report_data(occurred_at=t, sharing="public") for t in at],
        now=datetime(2024, 1, 10, 12, tzinfo=ZONE),
    )  # fmt: skip
    p = build_promise(world)
    actions.enter_indicator_value(indicator=p.survey, by=world.anna, period="2023", value="64")
    actions.publish_promise(promise=p.promise, by=world.anna)
    actions.write_follow_up(promise=p.promise, by=world.anna, made_on=date(2024, 2, 1),
                            narrative="Trygghetsvandringen är gjord.")  # fmt: skip
    actions.create_promise(by=world.anna, municipality=world.ostersund, title="HEMLIGT UTKAST",
                           start_year=2025, end_year=2026)  # fmt: skip
    return p


def test_a_resident_reads_the_promise_on_her_phone_by_keyboard(page, live_server):
    world = build_world()
    published_promise(world)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)

    page.goto(f"{live_server.url}/medborgarloften/2380/")
    page.get_by_role("heading", level=1, name="Medborgarlöfte Östersund 2023–2024").wait_for()
    assert "HEMLIGT UTKAST" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []

    # Each chart is an image with a name and a description, and its values are a table.
    chart = page.get_by_role("img", name="Anmäld skadegörelse i centrum")
    chart.wait_for()
    assert "Tabellen ger alla värden" in chart.evaluate(
        "svg => svg.querySelector('desc').textContent"
    )
    table = page.get_by_role("table", name="Värden för ”Anmäld skadegörelse i centrum”")
    rows = table.locator("tbody tr").all_inner_texts()
    assert [r.split("\t") for r in rows] == [["Utgångsläge 2022", "0"], ["2023", "9"],
                                              ["2024", "0"], ["Målvärde", "10"]]  # fmt: skip

    # By keyboard: tab to the follow-up's link and open it with Enter.
    link = page.get_by_role("link", name="Uppföljning 2024-02-01")
    for _ in range(30):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("the follow-up link is not reached by Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Uppföljning 2024-02-01").wait_for()
    page.get_by_text("Trygghetsvandringen är gjord.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert violations(page) == []

    # The promise's PDF downloads without logging in.
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Löftet som PDF").click()
    assert download.value.suggested_filename == "medborgarlofte-2380-2023-2024.pdf"
    assert problems == []
