"""Anna, a coordinator, publishes week 47 from her phone: she previews the public numbers,
confirms, sees the period marked as published with a link to the public page, and then
withdraws it for good."""

import pytest

from tests.browser.test_report_flow import log_in
from tests.situation.test_picture import at, centrum, lugnvik
from tests.world import build_world
from trygg.reports.actions import submit_reports
from trygg.situation.models import Publication

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def seed(world):
    """Week 47: six public graffiti in Centrum; two public, three partnership noise in Lugnvik."""
    when = at(2026, 47, 6, 2)
    items = [centrum("graffiti", when, sharing="public") for _ in range(6)]
    items += [lugnvik("noise", when, sharing="public") for _ in range(2)]
    items += [lugnvik("noise", when, sharing="partnership") for _ in range(3)]
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, items=items,
        now=at(2026, 48, 3, 12), max_age_days=800,
    )  # fmt: skip


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_anna_previews_publishes_sees_it_published_and_unpublishes(page, live_server):
    world = build_world()
    seed(world)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)

    log_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/lagesbild/2380/?period=2026-W47")
    state = page.locator("section.publication")
    state.get_by_text("Inte publicerad.").wait_for()

    # The preview: the public numbers beside the partnership's, and why they differ.
    state.get_by_role("link", name="Förhandsgranska och publicera").click()
    page.wait_for_url("**/publicera/granska?period=2026-W47")
    page.get_by_role(
        "heading", name="Varför siffrorna skiljer sig från partnerskapets lägesbild"
    ).wait_for()
    rows = page.locator("table.public-areas tbody tr").all_inner_texts()
    assert [r.split("\t") for r in rows] == [["Centrum", "6", "6"], ["Lugnvik", "<5", "5"]]
    assert page.locator("table.public-areas tfoot td").first.inner_text() == "7–10"
    assert fits_the_phone(page)
    assert Publication.objects.count() == 0  # looking publishes nothing

    # Confirm: back on the lägesbild, published, by whom, with the public page linked.
    page.get_by_role("button", name="Publicera de här siffrorna").click()
    page.wait_for_url("**/lagesbild/2380/?period=2026-W47")
    page.get_by_text("Perioden 2026-W47 är publicerad.").wait_for()
    assert "Publicerad" in state.inner_text() and "av anna" in state.inner_text()
    state.get_by_role("link", name="Öppna den publika sidan").click()
    page.wait_for_url("**/oppen/2380/2026-W47/")
    assert page.locator("table.public-areas tbody tr").all_inner_texts()[0].split("\t") == [
        "Centrum",
        "6",
    ]
    assert fits_the_phone(page)
    page.go_back()

    # Withdraw: a confirmation that says it is for good, then the state says so too.
    state.get_by_role("link", name="Avpublicera").click()
    page.wait_for_url("**/avpublicera/bekrafta?period=2026-W47")
    page.get_by_text("Den kan aldrig publiceras igen").wait_for()
    assert fits_the_phone(page)
    page.get_by_role("button", name="Avpublicera för gott").click()
    page.wait_for_url("**/lagesbild/2380/?period=2026-W47")
    state.get_by_text("Avpublicerad").first.wait_for()
    assert "kan aldrig publiceras igen" in state.inner_text()
    assert state.get_by_role("link", name="Förhandsgranska och publicera").count() == 0
    assert fits_the_phone(page)
    publication = Publication.objects.get()
    assert publication.withdrawn_at is not None and publication.withdrawn_by == world.anna
    assert problems == []
