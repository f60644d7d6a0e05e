"""Playwright driving Debian's chromium against pytest-django's live server.

Never `playwright install`: it downloads a browser, which cannot work here.
"""

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # The sync API keeps an event loop in this thread; Django would then refuse
    # ORM calls from the test body (SynchronousOnlyOperation), which are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="sv-SE")
        context.set_default_timeout(15_000)
        # No test may need the network: map tiles are refused at once instead of hanging.
        context.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
        page = context.new_page()
        yield page
        context.close()
        browser.close()
