"""Anna, a coordinator, opens the lägesbild on her phone, switches period and category,
and finds the map layers and the time-of-week matrix following her choices."""

import os
import tempfile
from pathlib import Path

import pytest

from tests.browser.test_report_flow import log_in
from tests.situation.test_picture import at, centrum, cluster, lugnvik
from tests.world import build_world
from trygg.reports.actions import submit_reports

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def seed(world):
    """Week 47: six graffiti at Saturday 02:00 in Centrum and a block of litter in its east
    (a hot spot the permutation test supports); week 46: one noise on a Wednesday."""
    items = [centrum("graffiti", at(2026, 47, 6, 2)) for _ in range(6)]
    items += cluster(world.ostersund, "littering", at(2026, 47, 2, 10))
    items += [lugnvik("noise", at(2026, 47, 3, 22))]
    items += [lugnvik("noise", at(2026, 46, 3, 20))]
    items += [centrum("graffiti", at(2026, 43 + k, 2, 14)) for k in range(3)]
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, items=items,
        now=at(2026, 48, 3, 12), max_age_days=800,
    )  # fmt: skip


def matrix(page):
    return page.locator("#heat td").evaluate_all("cells => cells.map(c => c.dataset.value)")


def hotspot_cells(page):
    return page.locator("#situation-map path.hotspot-cell").count()


def test_anna_switches_period_and_category_and_sees_map_and_matrix_follow(page, live_server):
    world = build_world()
    seed(world)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)
    # Map tiles are refused on purpose (no network); anything else failing is a problem.
    page.on(
        "response",
        lambda r: problems.append(r.url) if r.status >= 400 and "tile." not in r.url else None,
    )

    log_in(page, live_server.url, "anna")
    page.get_by_role("link", name="Lägesbild").first.click()
    page.wait_for_url("**/lagesbild/2380/")
    page.get_by_role("textbox", name="Period").fill("2026-W47")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url("**/lagesbild/2380/?period=2026-W47*")
    page.get_by_role("heading", name="Lägesbild – Östersund").wait_for()

    # The map: both areas drawn as shaded Leaflet paths, and the hot spot cells on top.
    page.locator("#situation-map path.area-shape").nth(1).wait_for()
    assert page.locator("#situation-map path.area-shape").count() == 2
    page.wait_for_function("() => document.getElementById('situation-map').dataset.hotspotsCount")
    cells = int(page.locator("#situation-map").get_attribute("data-hotspots-count"))
    assert cells > 0 and hotspot_cells(page) == cells

    # The layer control switches the hot spots off and on again.
    toggle = page.locator(".leaflet-control-layers label", has_text="Brännpunkter")
    toggle.locator("input").uncheck()
    assert hotspot_cells(page) == 0
    toggle.locator("input").check()
    assert hotspot_cells(page) == cells

    # Wide tables scroll inside their box; the page itself fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The time-of-week matrix: Saturday 02–03 holds the six graffiti.
    week47 = matrix(page)
    assert page.locator("#heat td[title='lör 02–03: 6']").count() == 1

    # One week back: the matrix changes with the period.
    page.get_by_role("link", name="Föregående period").click()
    page.wait_for_url("**/lagesbild/2380/?period=2026-W46*")
    week46 = matrix(page)
    assert week46 != week47
    assert page.locator("#heat td[title='ons 20–21: 1']").count() == 1

    # A heading sorts the area table: largest first, then smallest first.
    rows = page.locator("table.area-table tbody tr th")
    assert rows.all_inner_texts() == ["Lugnvik", "Centrum"]  # the server's order: busiest first
    # (Located by place: the arrow shown after a sort becomes part of the button's name.)
    sort_all = page.locator("table.area-table thead th:nth-child(3) button")
    assert sort_all.inner_text() == "Alla"
    sort_all.click()
    assert rows.all_inner_texts() == ["Lugnvik", "Centrum"]
    sort_all.click()
    assert rows.all_inner_texts() == ["Centrum", "Lugnvik"]

    # The category filter narrows the headline, the table and the matrix.
    page.get_by_role("textbox", name="Period").fill("2026-W47")
    page.get_by_label("Kategori", exact=True).select_option("disorder")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_url("**/lagesbild/2380/?period=2026-W47&category=disorder")
    assert page.locator("article.card").evaluate_all("a => a.map(c => c.dataset.group)") == [
        "*",
        "disorder",
    ]
    disorder = matrix(page)
    assert disorder != week47
    assert sum(float(v) for v in disorder) == 1.0
    page.locator("#situation-map path.area-shape").nth(1).wait_for()

    # The area's name opens its profile, with the same period and a map of the area.
    page.locator("table.area-table").get_by_role("link", name="Lugnvik").click()
    page.wait_for_url(f"**/lagesbild/omrade/{world.lugnvik.pk}/?period=2026-W47&category=disorder")
    page.get_by_role("heading", name="Lugnvik", exact=True).wait_for()
    page.locator("#area-map path.area-shape").wait_for()
    assert page.locator("#heat td[title='ons 22–23: 1']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []


def test_anna_downloads_the_pdf_and_it_holds_the_pages_numbers(page, live_server, tmp_path):
    import subprocess

    from trygg.situation.periods import parse_period
    from trygg.situation.picture import build_picture

    world = build_world()
    seed(world)
    log_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/lagesbild/2380/?period=2026-W47")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    download = download_info.value
    assert download.suggested_filename == "lagesbild-2380-2026-W47.pdf"
    path = tmp_path / "picture.pdf"
    download.save_as(path)

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    assert pages.split()[1] == "6"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    picture = build_picture(world.ostersund, parse_period("2026-W47"))
    assert "Östersund" in text and "2026-W47" in text
    damage = next(g for g in picture.groups if g.code == "damage").comparison
    assert damage.current == 6
    # The headline line of the damage group carries the page's numbers.
    line = next(row for row in text.splitlines() if row.strip().startswith("Skadegörelse"))
    assert line.split()[1].rstrip("▲▼→") == str(damage.current)


# Every category group with something in it, so the area table is as wide as it gets.
WIDE = (
    "graffiti", "littering", "fight", "gathering", "drug_dealing", "assault",
    "burglary_home", "reckless_driving", "rough_sleeping", "lighting", "rumours", "event",
)  # fmt: skip
SHOTS = Path(os.environ.get("TRYGG_SHOTS", tempfile.gettempdir())) / "trygg-shots"


def seed_wide(world):
    """Reports in every group over the last weeks, and Friday and Saturday nights."""
    items = [centrum(code, at(2026, 47 - k % 5, 1 + k % 7, k % 24)) for k, code in
             enumerate(WIDE * 4)]  # fmt: skip
    items += [lugnvik("noise", at(2026, 47, day, hour)) for day in (5, 6) for hour in (22, 23)]
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, items=items,
        now=at(2026, 48, 3, 12), max_age_days=800,
    )  # fmt: skip


def fits(page, width: int, name: str) -> None:
    """No sideways page scroll, and a full-page screenshot to look at."""
    page.wait_for_load_state("load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


# Every word of a heading that the browser broke over two lines (a break after '/' is fine).
BROKEN_WORDS = """els => els.flatMap(el => {
  const node = el.firstChild && el.firstChild.nodeType === 3 ? el.firstChild : null;
  if (!node) return [];
  const broken = [];
  for (const m of node.data.matchAll(/[^\\s/]+/g)) {
    const range = document.createRange();
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) broken.push(m[0]);
  }
  return broken;
})"""


def night_cells_visible(page, width: int) -> None:
    """Friday's and Saturday's 22 and 23 o'clock cells lie inside the viewport's width."""
    for day in ("fre", "lör"):
        for hour in ("22–23", "23–24"):
            box = page.locator(f"#heat td[title^='{day} {hour}:']").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
                day, hour, box,
            )  # fmt: skip


@pytest.mark.parametrize("width", [360, 1280])
def test_the_lagesbild_and_area_profile_read_at_phone_and_desktop_width(page, live_server, width):
    world = build_world()
    seed_wide(world)
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/lagesbild/2380/?period=2026-W47")
    page.locator("#situation-map path.area-shape").nth(1).wait_for()
    fits(page, width, "lagesbild")
    assert page.locator("article.card h3").evaluate_all(BROKEN_WORDS) == []
    night_cells_visible(page, width)
    # Every mark links to the method page, which reads at this width too.
    page.locator("article.card .mark a").first.click()
    page.wait_for_url("**/lagesbild/metod/#forandring")
    fits(page, width, "metod")
    page.go_back()
    page.locator("#situation-map path.area-shape").nth(1).wait_for()
    # The change column comes right after the area's name, inside the screen.
    change = page.locator("table.area-table tbody tr").first.locator("td.marks")
    box = change.bounding_box()
    assert box["x"] + box["width"] <= width
    # Charts are sized by the viewport: the 52-week chart is as wide as its section.
    chart = page.locator("img.chart").bounding_box()
    assert chart["width"] >= min(width - 40, 600)

    page.goto(f"{live_server.url}/lagesbild/omrade/{world.lugnvik.pk}/?period=2026-W47")
    page.locator("#area-map path.area-shape").wait_for()
    fits(page, width, "omrade")
    night_cells_visible(page, width)
    # The strips run newest first, like the weekly table beneath them.
    first = page.locator("#trend-strips tr").first.locator("td").first.get_attribute("title")
    assert first.startswith("2026-W47")
