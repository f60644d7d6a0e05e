"""Karl, a caretaker, reports from his phone and finds the report in his list."""

import re
import time

import pytest
from django.contrib.auth.models import User

from tests.world import authenticator_of, build_world, code_from
from trygg.partners.access import must_use_two_factor
from trygg.reports.models import Report

pytestmark = [
    pytest.mark.browser,
    # Transactional so the live server's thread sees the world; serialized
    # rollback brings back the categories of the data migration after a flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, base_url, username):
    """Log in through the form; a coordinator also types the code from her phone app."""
    user = User.objects.get(username=username)
    device = authenticator_of(user) if must_use_two_factor(user) else None
    page.goto(f"{base_url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("secret-pass-123")
    page.get_by_role("button", name="Logga in").click()
    if device is not None:
        page.wait_for_url("**/tvafaktor/?next=*")
        page.get_by_label("Kod").fill(code_from(device))
        page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{base_url}/")


def choose(page, name):
    """Tap one of the big choice buttons (a label styled as a button)."""
    page.locator("label.choice", has_text=re.compile(f"^{name}$")).click()


def test_karl_reports_graffiti_in_centrum_and_sees_it_in_his_list(page, live_server):
    world = build_world()
    scripts_failed = []
    page.on("pageerror", lambda error: scripts_failed.append(str(error)))
    page.on(
        "response",
        lambda r: scripts_failed.append(r.url) if "/static/" in r.url and r.status >= 400 else None,
    )

    log_in(page, live_server.url, "karl")
    page.get_by_role("link", name="Rapportera").first.click()
    page.wait_for_url("**/rapportera/")

    choose(page, "Skadegörelse")
    choose(page, "Klotter")
    assert page.locator("#category-graffiti").is_checked()

    # The map is fitted to the boundary: the square's west half is Centrum and its
    # park (a hole) lies in the north, so a point left of and below the centre is in Centrum.
    page.locator("#pick-map .leaflet-overlay-pane path").first.wait_for()  # outlines drawn
    picker = page.locator("#pick-map")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.72})
    # The marker image loaded: Leaflet's own files are served from static/vendor.
    page.wait_for_function(
        "() => { const i = document.querySelector('#pick-map img.leaflet-marker-icon');"
        " return i !== null && i.complete && i.naturalWidth > 0; }"
    )
    assert page.locator("#pick-map[data-picked='true']").count() == 1

    page.get_by_role("button", name="Skicka rapport").click()
    page.wait_for_url("**/rapporter/*/")
    page.get_by_text("Tack! Rapporten är sparad.").wait_for()

    page.get_by_role("link", name="Rapporter", exact=True).click()
    page.wait_for_url("**/rapporter/")
    page.locator(".report-list").get_by_text("Klotter").wait_for()
    # The map script ran and drew the report from the GeoJSON twin.
    page.locator("#report-map path.report-point").wait_for()
    assert page.locator("#report-map").get_attribute("data-points") == "1"
    assert scripts_failed == []

    report = Report.objects.get()
    assert report.reporter == world.karl
    assert report.category.code == "graffiti"
    assert report.area == world.centrum
    assert report.source == Report.Source.WEB
    assert report.client_id  # set by the page, so a double submit stores one report


IN_VIEW = """element => {
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def tap_in_centrum(page):
    """Tap the pick map left of and below its centre: in Centrum (see the test above)."""
    page.locator("#pick-map .leaflet-overlay-pane path").first.wait_for()  # outlines drawn
    picker = page.locator("#pick-map")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.72})


def test_karl_files_a_minimal_report_with_a_group_alone_in_under_20_seconds(page, live_server):
    world = build_world()
    log_in(page, live_server.url, "karl")

    started = time.monotonic()
    page.goto(f"{live_server.url}/rapportera/")
    # Skicka is on the first screen already: the bar stays at the bottom while scrolling.
    page.wait_for_function(IN_VIEW, arg=page.locator(".send-bar").element_handle())

    choose(page, "Narkotika")
    # Its types open right under the group, scrolled into view, and say they are optional.
    types = page.locator('fieldset.subcategories[data-group="drugs"]')
    types.get_by_text("Narkotika: valfritt, välj typ").wait_for()
    page.wait_for_function(IN_VIEW, arg=types.element_handle())

    tap_in_centrum(page)
    page.locator("#position-text", has_text="Plats: Centrum.").wait_for()

    page.get_by_role("button", name="Skicka rapport").click()
    page.wait_for_url("**/rapporter/*/")
    page.get_by_text("Tack! Rapporten är sparad.").wait_for()
    seconds = time.monotonic() - started
    print(f"minimal report: {seconds:.1f} s")
    # The confirmation shows the place on a small map.
    page.locator("#report-place-map[data-ready='true'] img.leaflet-marker-icon").wait_for()

    report = Report.objects.get()
    assert report.reporter == world.karl
    # No type chosen: the group itself, its general category, is what is stored.
    assert report.category.code == "drugs"
    assert report.area == world.centrum
    assert seconds < 20  # a usability bound for a person, not a speed test of the server


def test_karl_chooses_a_group_and_its_type_by_keyboard(page, live_server):
    build_world()
    log_in(page, live_server.url, "karl")
    page.goto(f"{live_server.url}/rapportera/")
    page.locator("#group-damage").focus()
    page.keyboard.press("Space")
    for _ in range(4):  # Skadegörelse → … → Narkotika, in the order shown
        page.keyboard.press("ArrowDown")
    assert page.locator("#group-drugs").is_checked()
    assert page.locator('fieldset.subcategories[data-group="drugs"]').is_visible()
    assert not page.locator('fieldset.subcategories[data-group="damage"]').is_visible()
    # The next Tab stop is the group's first type, right under it.
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("#category-drug_dealing").is_checked()
