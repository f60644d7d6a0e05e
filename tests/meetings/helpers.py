"""A known fortnight for meetings: what the picture shows and which measures are due."""

from __future__ import annotations

from datetime import date

from tests.situation.test_picture import at, centrum, cluster, lugnvik
from trygg.measures.actions import change_status, create_measure
from trygg.reports.actions import submit_reports
from trygg.reports.models import Report

MEETING_DAY = date(2026, 11, 30)  # Monday of week 49; the last meeting was on 16 November
LAST_MEETING = date(2026, 11, 16)


def known_reports(w) -> list[Report]:
    """Graffiti rising in Centrum, a cluster of noise there (a hot spot), one noise in Lugnvik."""
    items = [centrum("graffiti", at(2026, 47, 6, 2)) for _ in range(6)]
    items += [centrum("graffiti", at(2026, 40 + k, 2, 14)) for k in range(4)]  # baseline
    items += [lugnvik("noise", at(2026, 48, 3, 22), description="Grannen i trappan skrek")]
    items += [lugnvik("theft_other", at(2025, 40, 1, 12))]  # the first report
    items += cluster(w.ostersund, "noise", at(2026, 48, 4, 23))
    result = submit_reports(
        organisation=w.orgs["polis"], by=w.petra, items=items,
        now=at(2026, 49, 1, 8), max_age_days=800,
    )  # fmt: skip
    return result.reports


def measure(w, title, *, owner="polis", status="decided", **fields):
    made = create_measure(
        by=w.anna, municipality=w.orgs[owner].municipality, title=title, kind="other",
        responsible=w.orgs[owner], status="decided", **fields,
    )  # fmt: skip
    if status != "decided":
        change_status(measure=made, by=w.anna, to=status, comment="Ingen effekt väntas")
    return made
