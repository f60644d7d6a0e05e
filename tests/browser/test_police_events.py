"""The lägesbild's police slot in chromium: axe-clean at 360 and 1280 px, and its wide
table scrolls by keyboard on a phone."""

from datetime import UTC, datetime

import pytest

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.policeevents.common import OSTERSUND
from tests.world import build_world
from trygg.policeevents.actions import import_events
from trygg.policeevents.feed import parse_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_police_slot_passes_axe_and_scrolls_by_keyboard_at_360_px(page, live_server):
    build_world()
    import_events(events=parse_file(OSTERSUND), now=datetime(2026, 8, 22, tzinfo=UTC))
    log_in(page, live_server.url, "sara")
    url = f"{live_server.url}/lagesbild/2380/?period=2025-10"
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert violations(page) == []
    slot = page.locator("section.police-slot")
    assert "Polisens händelsenotiser (kontext)" in slot.locator("h2").inner_text()
    assert slot.get_by_role("rowheader", name="Stöld", exact=True).count() == 1
    region = slot.get_by_role("region", name="Polisens notiser per typ och vecka")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.police-slot .scroll-x').scrollLeft > 0")
