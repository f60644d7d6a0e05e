"""Anna, on her phone, picks October 2026 with the period picker instead of typing a code."""

import pytest

from tests.browser.test_report_flow import log_in
from tests.browser.test_situation import seed
from tests.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def visible(page, selector: str) -> bool:
    return page.locator(selector).is_visible()


def test_anna_chooses_a_month_with_the_picker_at_360_px(page, live_server):
    world = build_world()
    seed(world)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)

    log_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/lagesbild/2380/?period=2026-W47")
    page.get_by_role("heading", name="Lägesbild – Östersund").wait_for()

    # Only the chosen kind's controls show: the week now, the month after choosing "Månad".
    assert visible(page, "#p-week") and not visible(page, "#p-month")
    page.get_by_role("radio", name="Månad").check()
    assert visible(page, "#p-month") and not visible(page, "#p-week")
    assert not visible(page, "#p-year") and not visible(page, "#s-from")

    page.get_by_role("textbox", name="Månad").fill("2026-10")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url("**/lagesbild/2380/?kind=month&month=2026-10*")
    assert page.locator(".period-title strong").inner_text() == "Oktober 2026"
    # The picker stays on the month shown, so the next change starts from there.
    assert page.get_by_role("radio", name="Månad").is_checked()
    assert page.locator("#p-month").input_value() == "2026-10"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # A month that has not begun is refused in Swedish, next to the picker.
    page.get_by_role("textbox", name="Period").fill("januari 2099")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.get_by_role("alert").filter(has_text="har inte börjat än").wait_for()

    # Choosing in the picker again replaces the mistyped period.
    page.get_by_role("radio", name="År").check()
    page.get_by_role("spinbutton", name="År").fill("2025")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url("**/lagesbild/2380/?kind=year&year=2025*")
    assert page.locator(".period-title strong").inner_text() == "2025"
    assert problems == []
