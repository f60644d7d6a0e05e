"""axe-core, from the npm registry (package.json), run inside a Playwright page.

`make test` installs it under node_modules/. The script is evaluated through the
DevTools protocol, which the page's Content-Security-Policy does not govern, so
the page is checked exactly as it is served.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what the accessibility law asks of public bodies.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    """One line per axe violation on the page as it stands: rule, impact and where."""
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `npm ci` (make test does it)")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:160]}"
        for v in result["violations"]
        for node in v["nodes"]
    ]
