"""Measures in a browser at 360 px: the owner sets yellow by keyboard; every page passes axe."""

from datetime import date

import pytest

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.world import build_world, report_data
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure
from trygg.reports.actions import submit_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_owner_sets_yellow_by_keyboard_and_the_pages_pass_axe(page, live_server):
    world = build_world()
    report, _ = submit_report(organisation=world.orgs["bostad"], by=world.karl, data=report_data())
    measure = create_measure(
        by=world.anna, municipality=world.ostersund, title="Belysning i gångtunneln",
        kind="situational", responsible=world.orgs["bostad"], status="decided",
        area=world.centrum, deadline=date(2020, 1, 1), reports=[report],
    )  # fmt: skip
    base = live_server.url
    problems = {}
    log_in(page, base, "karl")
    page.goto(f"{base}/atgarder/")
    page.wait_for_url(f"{base}/atgarder/kommun/2380/")
    problems["board"] = violations(page)
    assert "Försenad" in page.locator(".measure-list li").first.inner_text()
    page.get_by_role("link", name="Belysning i gångtunneln").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/atgarder/{measure.pk}/")
    problems["detail"] = violations(page)
    page.get_by_label("Gul: risk för avvikelse").focus()
    page.keyboard.press("Space")
    page.locator("#h-light ~ form textarea").focus()
    page.keyboard.type("Lamporna levereras i januari")
    page.keyboard.press("Tab")
    # The answer comes back to the same URL: wait for the new page, not for the address.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Gul: risk för avvikelse" in page.locator("h1 + p").inner_text()
    assert "Lamporna levereras i januari" in page.locator(".history").inner_text()
    assert Measure.objects.get(pk=measure.pk).light == "yellow"
    page.goto(f"{base}/atgarder/{measure.pk}/andra/")
    problems["edit"] = violations(page)
    # The owner unlinks the report and adds a partner, by keyboard.
    page.get_by_role("group", name="Kopplade rapporter").get_by_role("checkbox").focus()
    page.keyboard.press("Space")
    page.get_by_role("group", name="Samverkanspartner").get_by_label("Vaktbolaget").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Spara").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "1 rapport bortkopplad." in page.locator(".history").inner_text()
    assert list(measure.partners.values_list("name", flat=True)) == ["Vaktbolaget"]
    page.context.clear_cookies()
    log_in(page, base, "anna")
    page.goto(f"{base}/atgarder/kommun/2380/ny/")
    problems["new"] = violations(page)
    page.goto(f"{base}/lagesbild/2380/?period=2026-W47")
    problems["slot"] = violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_coordinator_types_a_polygon_by_keyboard_and_evaluates_it(page, live_server):
    from tests.measures.test_effect import build_effect_data
    from tests.measures.test_polygon import LINES, RECTANGLE
    from trygg.measures.polygon import as_lines

    world = build_world()
    measure = build_effect_data(world)["graffiti"]
    base = live_server.url
    problems = {}
    log_in(page, base, "anna")
    page.goto(f"{base}/atgarder/{measure.pk}/andra/")
    field = page.get_by_label("Polygon för åtgärdsområdet")
    field.focus()
    page.keyboard.type(LINES)
    page.keyboard.press("Tab")  # the change redraws the map from the text
    assert page.locator("#polygon-status").inner_text().startswith("4 hörn ritade.")
    page.locator("#polygon-map").click()  # a tap adds a fifth corner; the button takes it back
    assert len(field.input_value().splitlines()) == 5
    page.get_by_role("button", name="Ta bort sista hörnet").click()
    assert field.input_value() == as_lines(RECTANGLE)
    problems["edit"] = violations(page)
    page.get_by_role("button", name="Spara").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Measure.objects.get(pk=measure.pk).treated_polygon == RECTANGLE
    assert "Polygonen för åtgärdsområdet ritades." in page.locator(".history").inner_text()
    page.wait_for_selector("#polygon-view path")
    problems["detail"] = violations(page)
    page.goto(f"{base}/atgarder/{measure.pk}/utvardera/?weeks=4")
    page.wait_for_selector("#polygon-view path")
    first_row = page.locator("table tbody tr").first.inner_text().split()
    assert first_row[-4:] == ["42", "25", "25", "24"], first_row
    problems["evaluate"] = violations(page)
    # At 360 px the counts table scrolls in its own box; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert {k: v for k, v in problems.items() if v} == {}
