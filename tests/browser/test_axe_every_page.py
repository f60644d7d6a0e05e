"""Every HTML page of the access table, for each role that gets it, passes axe at 360 and 1280 px.

Public bodies buy Trygg under the accessibility law (WCAG 2.1 AA): a page added to
tests/test_access_table.py's ROUTES is checked here without anyone writing a flow
through it. Each page must also fit a 360 px phone without scrolling sideways.
"""

import pytest

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.sspf.world import TEST_KEY
from tests.test_access_table import OK, ROLES, ROUTES, build_access_data, jpeg, path_of
from tests.world import build_world
from trygg.reports.photos import attach_photo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [360, 1280]
# The table's roles whose pages are checked, then the SSPF coordinator (no column of her own:
# every /sspf/ page is hers). adam, the administrator, covers what only he may open.
CHECKED = ("anonymous", "anna", "adam")
SSPF_COORDINATOR = "sofia"
# Swagger UI, django-ninja's page for developers, is a third-party application: its nested
# buttons and grey stamps are its own.
NOT_OURS = {"/api/v1/docs"}
# The innermost elements that stick out past the right edge, to say what makes a page too wide.
WIDEST = """[...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > 361 && e.children.length === 0)
  .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' +
                        Math.round(e.getBoundingClientRect().right) + 'px').join('; ')"""


def pages_for(role: str) -> list[str]:
    """The path templates of the GET routes the table gives `role` (or sofia) an answer to."""
    if role == SSPF_COORDINATOR:
        return [path for method, path, _ in ROUTES.values()
                if method == "GET" and path.startswith("/sspf/")]  # fmt: skip
    column = ROLES.index(role)
    anna = ROLES.index("anna")
    return [
        path
        for method, path, outcomes in ROUTES.values()
        if method == "GET"
        and path not in NOT_OURS
        and outcomes[column] == OK
        and (role != "adam" or outcomes[anna] != OK)  # anna already covers the rest
    ]


def check(page, url: str, problems: dict[str, list[str]]) -> bool:
    """axe and the 360 px fit of one page at each width; False if it is not an HTML page."""
    answer = page.context.request.get(url, max_redirects=0)
    if answer.status != 200 or not answer.headers.get("content-type", "").startswith("text/html"):
        return False
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found = violations(page)
        if width == 360 and page.evaluate("document.documentElement.scrollWidth") > 361:
            found.append(f"wider than 360 px: {page.evaluate(WIDEST)}")
        if found:
            problems[f"{url} @ {width}px"] = found
    return True


def test_every_page_of_the_access_table_passes_axe_for_each_role_that_gets_it(
    page, live_server, settings
):
    settings.SSPF_KEYS = [TEST_KEY]  # the case's consent is encrypted with it
    data = build_access_data(build_world())
    attach_photo(data.report, jpeg())
    base = live_server.url
    problems: dict[str, list[str]] = {}
    checked = 0

    for role in (*CHECKED, SSPF_COORDINATOR):
        page.context.clear_cookies()
        if role != "anonymous":
            log_in(page, base, role)
        for template in pages_for(role):
            checked += check(page, base + path_of(data, template), problems)

    assert problems == {}, f"{len(problems)} of {checked} pages × {len(WIDTHS)} widths fail:\n" + (
        "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items())
    )
    # 67 on 1 December 2026: a drop means pages stopped answering, not that they got better.
    assert checked >= 67, f"only {checked} pages were HTML and answered 200"
