"""Anna, a coordinator, reads the audit log on her phone and narrows it to one kind of entry."""

import pytest

from tests.browser.test_report_flow import log_in
from tests.world import build_world, report_data
from trygg.partners.actions import create_api_token
from trygg.partners.models import Membership, Role
from trygg.reports.actions import submit_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_log_fits_a_phone_and_filters_by_kind(page, live_server):
    world = build_world()
    report, _ = submit_report(organisation=world.orgs["bostad"], by=world.karl, data=report_data())
    membership = Membership.objects.get(user=world.karl)
    membership.role = Role.PARTNER
    membership.save()
    create_api_token(user=world.anna, name="Fastighetssystemets nattliga export")
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    log_in(page, live_server.url, "petra")
    page.goto(f"{live_server.url}/rapporter/{report.pk}/")
    # A long path with a query, as an export leaves in the log.
    export = f"{live_server.url}/lagesbild/2380/export.csv?period=2026-W47&x=" + "a" * 80
    assert page.request.get(export).status == 200
    page.context.clear_cookies()
    log_in(page, live_server.url, "anna")

    page.goto(f"{live_server.url}/logg/")
    assert page.locator(".audit-entry").count() >= 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_text("Filtrera", exact=True).first.click()  # opens the filters
    page.get_by_label("Typ").select_option("permission")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**/logg/?*action=permission*")
    texts = page.locator(".audit-entry").all_inner_texts()
    assert any("från Rapportör till Partner" in t for t in texts)
    assert not any("Fick se fritexten" in t for t in texts)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []
