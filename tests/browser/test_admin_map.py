"""The demo's administrator opens an area in the admin and sees its outline drawn on a map."""

import pytest

from tests.browser.test_report_flow import log_in
from tests.browser.test_xss import Watch
from tests.world import build_world
from trygg.demo.people import grant_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_adam_sees_centrums_outline_on_the_map_of_its_admin_page(page, live_server):
    world = build_world()
    grant_admin(world.adam)
    watch = Watch(page)  # no CSP violation, no script error
    log_in(page, live_server.url, "adam")
    watch.visit(page, f"{live_server.url}/admin/geo/area/{world.centrum.pk}/change/", "Centrum")
    # Centrum is one polygon with a hole: Leaflet draws it as one path of two rings.
    outline = page.locator("#area-map .leaflet-overlay-pane path")
    assert outline.count() == 1
    assert outline.get_attribute("d").count("M") == 2
    box = page.locator("#area-map").bounding_box()
    assert box["width"] <= 360 and box["height"] >= 200
