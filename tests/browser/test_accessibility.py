"""Every page a partnership uses, checked by axe-core for WCAG 2.1 AA at 360 px and 1280 px.

Public bodies buy Trygg under the accessibility law: each page must pass, for
each role that sees it, on a phone and on a desktop.
"""

import pytest

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.browser.test_situation import seed
from tests.world import build_world, report_data
from trygg.reports.actions import comment_on_report, submit_report
from trygg.reports.models import Report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [360, 1280]


def check(page, url: str, problems: dict[str, list[str]]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found = violations(page)
        if found:
            problems[f"{url} @ {width}px"] = found


def test_every_page_passes_axe_for_a_coordinator_and_a_reporter(page, live_server):
    world = build_world()
    seed(world)
    report = Report.objects.filter(organisation=world.orgs["polis"]).first()
    # karl's own, fresh report: he may still correct it, and has a comment to read.
    own, _ = submit_report(organisation=world.orgs["bostad"], by=world.karl, data=report_data())
    comment_on_report(report=own, by=world.anna, text="Vi tittar på det")
    area = world.centrum.pk
    base = live_server.url
    problems: dict[str, list[str]] = {}

    check(page, f"{base}/logga-in/", problems)
    log_in(page, base, "anna")
    for path in [
        "/",
        "/rapportera/",
        "/rapporter/",
        f"/rapporter/{report.pk}/",
        "/lagesbild/2380/?period=2026-W47",
        f"/lagesbild/omrade/{area}/?period=2026-W47",
        "/logg/",
        "/profil/",
        "/rapporter/veckobrev/",
        f"/rapporter/{own.pk}/",
    ]:
        check(page, base + path, problems)

    page.context.clear_cookies()
    log_in(page, base, "karl")
    for path in ["/", "/rapportera/", "/rapporter/", f"/rapporter/{own.pk}/",
                 f"/rapporter/{own.pk}/ratta/"]:  # fmt: skip
        check(page, base + path, problems)

    page.context.clear_cookies()
    check(page, f"{base}/oppen/2380/", problems)
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
