"""A citizen promise in a browser at 360 px: a coordinator creates one, adds a commitment with
an activity and an indicator, and publishes it, largely by keyboard; every page passes axe."""

import pytest

from tests.browser.axe import violations
from tests.browser.test_report_flow import log_in
from tests.world import build_world
from trygg.promises.models import Activity, Indicator, Promise

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def open_details(page, summary: str) -> None:
    """Open a folded form by keyboard, as someone without a mouse would."""
    page.locator("summary", has_text=summary).focus()
    page.keyboard.press("Enter")


def test_a_coordinator_creates_and_publishes_a_promise(page, live_server):
    world = build_world()
    base = live_server.url
    problems = {}
    log_in(page, base, "anna")
    page.goto(f"{base}/loften/")
    page.wait_for_url(f"{base}/loften/kommun/2380/")
    problems["list"] = violations(page)
    page.get_by_role("link", name="Nytt löfte").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/loften/kommun/2380/nytt/")
    problems["new"] = violations(page)
    page.get_by_label("Rubrik").fill("Medborgarlöfte Östersund")
    page.get_by_label("Första år").fill("2023")
    page.get_by_label("Sista år").fill("2024")
    page.get_by_label("Läget i dag", exact=True).fill("Otrygghet i centrum kvällstid.")
    submit(page, "Skapa löftet")
    promise = Promise.objects.get()
    assert page.url == f"{base}/loften/{promise.pk}/"

    open_details(page, "Lägg till ett åtagande")
    page.locator("#commitment_owner").select_option("both")
    page.locator("#commitment_text").fill("Vi ska arbeta med EST och trygghetsvandringar.")
    submit(page, "Lägg till åtagandet")
    open_details(page, "Lägg till en aktivitet")
    page.locator("#activity_commitment").select_option(index=1)
    page.locator("#activity_what").fill("Trygghetsvandring i centrum")
    page.locator("#activity_responsible").select_option(label="Östersunds kommun")
    page.locator("#activity_when").fill("Hösten 2023")
    submit(page, "Lägg till aktiviteten")
    problems["detail"] = violations(page)

    page.get_by_role("link", name="Lägg till en indikator").click()
    page.wait_for_url(f"{base}/loften/{promise.pk}/indikatorer/ny/")
    problems["indicator"] = violations(page)
    page.get_by_label("Indikator", exact=True).fill("Anmäld skadegörelse i centrum")
    page.get_by_label("Klotter", exact=True).check()
    page.get_by_label("Centrum").check()
    page.get_by_label("Målvärde").fill("10")
    page.get_by_label("Riktning").select_option("lower")
    submit(page, "Lägg till indikatorn")

    assert "Trygghetsvandring i centrum" in page.locator(".activities").inner_text()
    assert "Anmäld skadegörelse i centrum" in page.locator(".indicators").inner_text()
    page.get_by_role("button", name="Publicera").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#promise-status").inner_text() == "Publicerad"
    promise.refresh_from_db()
    assert (promise.status, promise.revision) == (Promise.Status.PUBLISHED, 1)
    assert Activity.objects.get().responsible == world.orgs["kommun"]
    assert list(Indicator.objects.get().areas.all()) == [world.centrum]
    problems["published"] = violations(page)
    page.goto(f"{base}/loften/{promise.pk}/versioner/")
    problems["versions"] = violations(page)
    page.goto(f"{base}/loften/{promise.pk}/uppfoljning/ny/")
    problems["follow_up"] = violations(page)
    page.goto(f"{base}/loften/kommun/2380/insatser/ny/")
    problems["initiative"] = violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
