"""The lägesbild's police slot: Östersund's real notices per type and week, beside the
partners' statistics and never in them, the same in page, data.json, API and PDF.

The expected series is counted here from the CSV's own strings, not by the importer.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.policeevents.common import OSTERSUND, notice
from tests.situation.test_documents import pdf_pages
from tests.world import TryggTestCase, sign_in
from trygg.partners.actions import create_api_token
from trygg.policeevents.actions import import_events
from trygg.policeevents.feed import parse_file, parse_json

PERIOD = "2025-10"
# October 2025 runs from week 40 to 44; the series shows at least 8 weeks, so from week 37.
FIRST_MONDAY = date(2025, 9, 8)
WEEKS = [f"2025-W{n}" for n in range(37, 45)]
NOT_COUNTED = {"Sammanfattning natt", "Uppdatering"}
# Two notices made for the test inside the weeks: a follow-up naming Östersund, and one
# naming only the county.
EXTRA = [
    notice(id=990001, type="Uppdatering", datetime="2025-10-06 08:00:00 +02:00",
           location={"name": "Östersund", "gps": "63.179,14.636"}),
    notice(id=990002, type="Misshandel", datetime="2025-10-07 08:00:00 +02:00",
           location={"name": "Jämtlands län", "gps": "63.17,14.64"}),
]  # fmt: skip


def expected_series() -> dict[str, list[int]]:
    """Counted notices per type and week, straight from the archive's strings."""
    cells: Counter[tuple[str, int]] = Counter()
    with OSTERSUND.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            local_day = datetime.strptime(row["datetime"], "%Y-%m-%d %H:%M:%S %z").date()
            week = (local_day - FIRST_MONDAY).days // 7
            if 0 <= week < len(WEEKS) and row["type"] not in NOT_COUNTED:
                cells[row["type"], week] += 1
    types = {t for t, _ in cells}
    return {t: [cells[t, k] for k in range(len(WEEKS))] for t in types}


class PoliceSlotTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = datetime(2026, 8, 22, tzinfo=UTC)
        import_events(events=parse_file(OSTERSUND), now=now)
        import_events(events=parse_json(json.dumps(EXTRA)), now=now)

    def page_slot(self):
        sign_in(self.client, self.w.sara)
        return self.client.get(f"/lagesbild/2380/?period={PERIOD}")

    def test_the_page_shows_the_police_series_per_type_and_week(self):
        response = self.page_slot()
        slot = response.context["police_events"]
        self.assertEqual(slot["weeks"], WEEKS)
        self.assertEqual({r["type"]: r["counts"] for r in slot["types"]}, expected_series())
        self.assertEqual(slot["total"], sum(map(sum, expected_series().values())))
        self.assertGreater(slot["total"], 0)
        self.assertEqual(slot["last_seen"], "2026-08-22T00:00:00+00:00")
        page = response.content.decode()
        self.assertIn('id="h-police"', page)
        self.assertIn("Polisens", page)
        self.assertIn("inte i samverkansparternas statistik", page)
        self.assertIn("https://polisen.se/aktuellt/handelser/", page)
        for row in slot["types"]:
            self.assertIn(row["type"], page)

    def test_summaries_and_updates_are_left_out_and_counted_apart(self):
        slot = self.page_slot().context["police_events"]
        self.assertNotIn("Uppdatering", [r["type"] for r in slot["types"]])
        self.assertEqual(slot["not_counted"], 1)

    def test_notices_naming_only_the_county_are_counted_apart(self):
        slot = self.page_slot().context["police_events"]
        self.assertEqual(slot["county"], {"code": "23", "name": "Jämtlands län", "events": 1})

    def test_each_type_carries_its_group(self):
        rows = {r["type"]: r for r in self.page_slot().context["police_events"]["types"]}
        self.assertEqual((rows["Stöld"]["group"], rows["Stöld"]["group_name"]),
                         ("theft", "Inbrott/stöld"))  # fmt: skip
        self.assertEqual(rows["Trafikolycka"]["group"], None)

    def test_the_partners_statistics_count_none_of_them(self):
        sign_in(self.client, self.w.sara)
        data = self.client.get(f"/lagesbild/2380/data.json?period={PERIOD}").json()
        self.assertEqual(data["total"]["current"], 0)
        self.assertEqual(sum(sum(s) for s in data["trend"]["groups"].values()), 0)
        self.assertEqual(data["hotspots"]["cells"], [])

    def test_the_json_and_the_api_carry_the_same_slot_as_the_page(self):
        page = self.page_slot().context["police_events"]
        data = self.client.get(f"/lagesbild/2380/data.json?period={PERIOD}").json()
        token = create_api_token(user=self.w.sara, name="t")[1]
        api = self.client.get(
            f"/api/v1/situation?municipality=2380&period={PERIOD}",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        self.assertEqual(data["police_events"], page)
        self.assertEqual(api["police_events"], page)
        self.assertEqual(api["police_events"]["level"], "municipality")

    def test_the_api_answer_follows_a_new_notice_though_the_picture_is_kept(self):
        token = create_api_token(user=self.w.anna, name="t")[1]

        def total():
            return self.client.get(
                f"/api/v1/situation?municipality=2380&period={PERIOD}",
                headers={"Authorization": f"Bearer {token}"},
            ).json()["police_events"]["total"]

        before = total()
        late = notice(id=990003, type="Stöld", datetime="2025-10-20 12:00:00 +02:00",
                      location={"name": "Östersund", "gps": "63.179,14.636"})  # fmt: skip
        import_events(events=parse_json(json.dumps([late])), now=datetime.now(UTC))
        self.assertEqual(total(), before + 1)

    def test_a_week_without_notices_shows_an_empty_slot(self):
        sign_in(self.client, self.w.sara)
        slot = self.client.get("/lagesbild/2380/?period=2026-W47").context["police_events"]
        self.assertEqual((slot["types"], slot["total"]), ([], 0))
        self.assertEqual(len(slot["weeks"]), 8)
        self.assertEqual(slot["weeks"][-1], "2026-W47")

    @pytest.mark.system  # pdftotext (poppler-utils)
    def test_the_pdf_shows_the_police_series(self):
        sign_in(self.client, self.w.anna)
        response = self.client.get(f"/lagesbild/2380/pdf?period={PERIOD}")
        text = " ".join(" ".join(pdf_pages(response.content)[1]).split())
        self.assertIn("Polisens händelsenotiser (kontext)", text)
        self.assertIn("Trafikolycka", text)
        self.assertIn("inte i samverkansparternas statistik", text)


def test_the_weeks_run_back_from_the_period_s_last_week():
    from trygg.policeevents.pages import weeks_of
    from trygg.situation.periods import parse_period

    mondays = weeks_of(parse_period("2025"))
    assert (len(mondays), mondays[-1], mondays[0]) == (53, date(2025, 12, 29), date(2024, 12, 30))
    assert weeks_of(parse_period("2025-W40"))[0] == date(2025, 9, 29) - timedelta(weeks=7)
