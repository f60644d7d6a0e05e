"""Script and HTML typed into every free-text field stays text on every page that shows it.

Karl's organisation, an area, two categories, a report's note, address and
client id, an API token's name and Anna's assessment all carry payloads. Each
page is opened in chromium by someone who may see it; no payload may run
(`window.__xss` stays unset, no dialog opens), none may even be blocked by the
CSP (a blocked one would mean it reached the HTML unescaped), and the payload
text must be readable on the page as typed.
"""

import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser.test_report_flow import log_in
from tests.world import build_world, report_data
from trygg.partners.actions import create_api_token
from trygg.reports.actions import submit_reports
from trygg.reports.models import Category, Report
from trygg.situation.actions import publish_period, save_assessment
from trygg.situation.periods import parse_period

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = '"><svg onload=window.__xss=1>'
JS_URL = "javascript:window.__xss=1"
TEMPLATE = "{{ request.user }}{% now 'Y' %}"
DESCRIPTION = f"{SCRIPT} {IMG} {SVG} {JS_URL} {TEMPLATE}"
ADDRESS = f"{SVG} {JS_URL}"
AREA = f"{IMG}Centrum"
ORGANISATION = f"{SVG}Bostaden"
CATEGORY = f"{SCRIPT}Klotter"
GROUP = f"{IMG}Skadegörelse"
TOKEN = f"{SCRIPT}nyckel"
ASSESSMENT = f"{SCRIPT}\n{IMG}\n{TEMPLATE}"


def last_week() -> str:
    year, week, _day = (timezone.localdate() - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def seed():
    """The world with a payload in every free-text field; returns (world, report, period key)."""
    world = build_world()
    world.centrum.name = AREA
    world.centrum.save()
    world.orgs["bostad"].name = ORGANISATION
    world.orgs["bostad"].save()
    Category.objects.filter(code="graffiti").update(name_sv=CATEGORY, name_en=CATEGORY)
    Category.objects.filter(code="damage").update(name_sv=GROUP, name_en=GROUP)
    key = last_week()
    period = parse_period(key)
    when = timezone.make_aware(datetime.combine(period.start, time(12)))
    item = report_data(
        description=DESCRIPTION,
        address=ADDRESS,
        client_id=SVG,
        sharing=Report.Sharing.PUBLIC,  # so the published picture names its area
        occurred_at=when + timedelta(days=2),  # the Wednesday
    )
    batch = submit_reports(organisation=world.orgs["bostad"], by=world.karl, items=[item])
    create_api_token(user=world.karl, name=TOKEN)
    save_assessment(municipality=world.ostersund, period=period, by=world.anna, text=ASSESSMENT)
    return world, batch.reports[0], key


class Watch:
    """What a page did that it must not: dialogs, CSP violations, script errors."""

    def __init__(self, page):
        self.problems = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _dialog(self, dialog):
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"CSP: {message.text}")

    def visit(self, page, url, *literal, status=200):
        """Open `url`, let its scripts settle, and check it showed `literal` as text."""
        response = page.goto(url)
        assert response.status == status, url
        page.wait_for_load_state("networkidle")
        self.check(page, url, *literal)

    def check(self, page, where, *literal):
        assert page.evaluate("typeof window.__xss") == "undefined", where
        # No element the payloads would have made exists.
        assert page.locator("img[src='x'], svg[onload], [onerror]").count() == 0, where
        text = page.locator("body").inner_text()
        for expected in literal:
            assert expected in text, f"{expected!r} not shown as text on {where}"
        assert self.problems == [], where


def test_karl_sees_his_payload_report_as_text_in_list_map_detail_and_profile(page, live_server):
    _world, report, _key = seed()
    watch = Watch(page)
    base = live_server.url
    log_in(page, base, "karl")

    watch.visit(page, f"{base}/rapporter/", CATEGORY, AREA)
    # The map's popup is built from the GeoJSON in the browser: open it.
    page.locator("#report-map path.report-point").first.click()
    popup = page.locator("#report-map .leaflet-popup-content")
    popup.wait_for()
    watch.check(page, "list map popup", CATEGORY, AREA, DESCRIPTION)
    assert popup.locator("a").get_attribute("href") == f"/rapporter/{report.pk}/"

    watch.visit(page, f"{base}/rapporter/{report.pk}/", CATEGORY, AREA, ADDRESS, ORGANISATION)
    note = page.locator("p.text").inner_text()
    assert note == DESCRIPTION

    response = page.goto(f"{base}/rapporter/karta.geojson")
    assert response.headers["content-type"] == "application/geo+json"
    watch.check(page, "map data", DESCRIPTION.replace('"', '\\"'))

    watch.visit(page, f"{base}/profil/", TOKEN, ORGANISATION)


def test_anna_sees_payloads_as_text_on_the_picture_area_profile_pdf_and_charts(
    page, live_server, tmp_path
):
    world, _report, key = seed()
    watch = Watch(page)
    base = live_server.url
    log_in(page, base, "anna")

    watch.visit(page, f"{base}/lagesbild/2380/?period={key}", GROUP, AREA)
    # Anna coordinates: her assessment is in the form, as typed.
    assert page.locator("textarea[name='text']").input_value() == ASSESSMENT
    page.locator("#situation-map path.area-shape").first.wait_for()
    # Hot spot cells lie on top of the areas: the click goes to the area's own path.
    page.locator("#situation-map path.area-shape").first.dispatch_event("click")
    page.locator("#situation-map .leaflet-popup-content a").wait_for()
    names = page.locator("#situation-map path.area-shape").all()
    for shape in names[1:]:
        shape.dispatch_event("click")
    watch.check(page, "picture map popup", AREA)

    watch.visit(page, f"{base}/lagesbild/omrade/{world.centrum.pk}/?period={key}", AREA, GROUP)

    for chart in ("karta", "trend", "timeofweek"):
        response = page.goto(f"{base}/lagesbild/2380/diagram/{chart}.svg?period={key}")
        assert response.status == 200
        assert response.headers["content-type"] == "image/svg+xml"
        assert page.evaluate("typeof window.__xss") == "undefined", chart
    assert watch.problems == []
    watch.problems.clear()

    # A bad filter is echoed in the error; the audit log shows paths with their queries.
    watch.visit(page, f"{base}/lagesbild/2380/?period={key}&category={SVG}", status=400)
    watch.visit(page, f"{base}/logg/")

    page.goto(f"{base}/lagesbild/2380/?period={key}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    path = tmp_path / "picture.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    for literal in (SCRIPT, IMG, TEMPLATE, AREA, GROUP):
        assert "".join(literal.split()) in squeezed, f"{literal!r} not literal in the PDF"


def test_sara_and_the_public_see_the_assessment_and_area_names_as_text(page, live_server):
    world, _report, key = seed()
    publish_period(municipality=world.ostersund, period=parse_period(key), by=world.anna)
    watch = Watch(page)
    base = live_server.url

    watch.visit(page, f"{base}/oppen/2380/", key)
    watch.visit(page, f"{base}/oppen/2380/{key}/", AREA)

    log_in(page, base, "sara")
    watch.visit(page, f"{base}/lagesbild/2380/?period={key}", GROUP, AREA, SCRIPT, IMG, TEMPLATE)
    assert page.locator(".assessment-text").inner_text().splitlines() == ASSESSMENT.splitlines()


def test_an_administrator_sees_payloads_as_text_in_the_back_office(page, live_server):
    _world, report, _key = seed()
    User.objects.create_superuser("root", password="secret-pass-123")
    watch = Watch(page)
    base = live_server.url
    log_in(page, base, "root")

    pages = {
        "/admin/reports/report/": (CATEGORY, AREA, ORGANISATION),
        f"/admin/reports/report/{report.pk}/change/": (DESCRIPTION, ADDRESS),
        "/admin/reports/category/": (CATEGORY, GROUP),
        "/admin/geo/area/": (AREA,),
        "/admin/partners/organisation/": (ORGANISATION,),
        "/admin/partners/membership/": (ORGANISATION,),
        "/admin/partners/apitoken/": (TOKEN,),
    }
    for url, literal in pages.items():
        watch.visit(page, base + url, *literal)
    assert Report.objects.get().client_id == SVG
