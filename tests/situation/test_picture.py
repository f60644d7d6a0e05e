"""The picture's numbers on a small known set of reports, through the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.utils import timezone

from tests.world import INSIDE_LUGNVIK, TryggTestCase, report_data
from trygg.analysis.trend import compare_counts
from trygg.geo.projection import to_sweref, to_wgs84
from trygg.partners.actions import create_api_token
from trygg.reports import rollup
from trygg.reports.actions import submit_reports
from trygg.reports.models import DailyCount
from trygg.situation.study_area import study_area

ZONE = ZoneInfo("Europe/Stockholm")


def at(year: int, week: int, weekday: int, hour: int) -> datetime:
    """Local time on an ISO week day (1 = Monday)."""
    day = datetime.fromisocalendar(year, week, weekday)
    return day.replace(hour=hour, tzinfo=ZONE)


def centrum(category: str, when: datetime, **extra):
    return report_data(category=category, occurred_at=when, **extra)


def lugnvik(category: str, when: datetime, **extra):
    lat, lon = INSIDE_LUGNVIK
    return report_data(category=category, occurred_at=when, lat=lat, lon=lon, **extra)


def cluster(municipality, category: str, when: datetime, per_cell=4, skip_centre=False):
    """`per_cell` reports in each of a 3 × 3 block of grid cells in Centrum, 1.2 km east of
    the other Centrum reports: a hot spot that a permutation test supports."""
    grid = study_area(municipality).grid
    x, y = to_sweref(np.array([63.16]), np.array([14.635]))
    col, row = int((x[0] - grid.x0) // grid.cell), int((y[0] - grid.y0) // grid.cell)
    items = []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if skip_centre and dr == dc == 0:
                continue
            cx = grid.x0 + (col + dc + 0.5) * grid.cell
            cy = grid.y0 + (row + dr + 0.5) * grid.cell
            lat, lon = to_wgs84(np.array([cx]), np.array([cy]))
            point = {"lat": round(float(lat[0]), 6), "lon": round(float(lon[0]), 6)}
            items += [report_data(category=category, occurred_at=when, **point)] * per_cell
    return items


class KnownPictureTests(TryggTestCase):
    """Week 47 of 2026: six graffiti in Centrum on Saturday nights, one noise in Lugnvik."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        items = [centrum("graffiti", at(2026, 47, 6, 2)) for _ in range(6)]
        items += [lugnvik("noise", at(2026, 47, 3, 22))]
        items += [centrum("all_calm", at(2026, 47, 1, 9)) for _ in range(3)]  # never counted
        items += [centrum("graffiti", at(2026, 43 + k, 2, 14)) for k in range(4)]  # baseline
        items += [centrum("broken_glass", at(2025, 47, 4, 13)) for _ in range(2)]  # last year
        items += [lugnvik("theft_other", at(2025, 40, 1, 12))]  # the first report
        submit_reports(
            organisation=cls.w.orgs["polis"], by=cls.w.petra, items=items,
            now=at(2026, 48, 3, 12), max_age_days=800,
        )  # fmt: skip

    def get(self, query: str, user=None):
        token = create_api_token(user=user or self.w.anna, name="t")[1]
        response = self.client.get(
            f"/api/v1/situation?{query}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_the_headline_counts_compare_with_the_baseline_and_last_year(self):
        picture = self.get("period=2026-W47")
        self.assertEqual(picture["period"]["first_day"], "2026-11-16")
        self.assertEqual(
            picture["baseline_periods"], ["2026-W46", "2026-W45", "2026-W44", "2026-W43"]
        )
        total = picture["total"]
        self.assertEqual(
            (total["current"], total["baseline_mean"], total["last_year"]), (7, 1.0, 2)
        )
        damage = next(g for g in picture["groups"] if g["code"] == "damage")
        want = compare_counts(6, 4, current_periods=7, baseline_periods=28)
        self.assertEqual(
            (damage["current"], damage["baseline_mean"], damage["last_year"]), (6, 1.0, 2)
        )
        self.assertAlmostEqual(damage["p"], want.p_exact, places=12)
        self.assertEqual(damage["flag"], want.flag)

    def test_the_area_table_has_each_area_and_group(self):
        areas = {a["name"]: a for a in self.get("period=2026-W47")["areas"]}
        self.assertEqual(areas["Centrum"]["total"]["current"], 6)
        self.assertEqual(areas["Centrum"]["groups"]["damage"]["current"], 6)
        self.assertEqual(areas["Lugnvik"]["groups"]["disorder"]["current"], 1)
        self.assertEqual(areas["Lugnvik"]["groups"]["disorder"]["baseline_mean"], 0.0)

    def test_the_time_of_week_puts_saturday_night_at_two(self):
        matrix = self.get("period=2026-W47")["time_of_week"]["matrix"]
        self.assertEqual(matrix[5][2], 6.0)  # Saturday 02:00
        self.assertEqual(matrix[2][22], 1.0)  # Wednesday 22:00
        self.assertEqual(sum(map(sum, matrix)), 7.0)

    def test_the_trend_counts_each_week(self):
        trend = self.get("period=2026-W47")["trend"]
        self.assertEqual(trend["weeks"][-1], "2026-W47")
        self.assertEqual(len(trend["weeks"]), 52)
        damage = trend["groups"]["damage"]
        self.assertEqual(damage[-1], 6)
        self.assertEqual(damage[-5:-1], [1, 1, 1, 1])
        self.assertEqual(trend["weeks"][0], "2025-W48")

    def test_a_category_filter_narrows_every_number(self):
        picture = self.get("period=2026-W47&category=disorder")
        self.assertEqual(picture["total"]["current"], 1)
        self.assertEqual([g["code"] for g in picture["groups"]], ["disorder"])

    def test_a_baseline_before_the_first_report_is_not_compared(self):
        picture = self.get("period=2025-W41")
        self.assertEqual(picture["total"]["flag"], "no_baseline")

    def test_outsiders_and_other_municipalities_get_404(self):
        token = create_api_token(user=self.w.erik, name="t")[1]
        response = self.client.get(
            "/api/v1/situation?municipality=2380", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        self.assertEqual(response.status_code, 404)

    def test_every_member_sees_the_same_aggregate(self):
        self.assertEqual(
            self.get("period=2026-W47", self.w.nils)["total"], self.get("period=2026-W47")["total"]
        )

    def add(self, items):
        submit_reports(
            organisation=self.w.orgs["polis"], by=self.w.petra, items=items,
            now=at(2026, 48, 3, 12), max_age_days=800,
        )  # fmt: skip

    def test_a_cluster_is_a_hot_spot_but_a_lone_busy_cell_is_not(self):
        before = self.get("period=2026-W47")["hotspots"]
        # Six graffiti in one cell and nothing around them: the normal p of Gi* called this
        # a hot spot; under the permutation test the cell's neighbours are not unusual.
        self.assertEqual(before["cells"], [])
        self.add(cluster(self.w.ostersund, "noise", at(2026, 47, 4, 23)))
        after = self.get("period=2026-W47")["hotspots"]
        self.assertEqual(after["inference"], "permutation_exact")
        self.assertEqual(after["fdr_alpha"], 0.05)
        hot = [c for c in after["cells"] if c["level"] > 0]
        self.assertEqual(sorted(c["count"] for c in hot), [4] * 9)
        self.assertTrue(all(0 < c["p"] <= 0.05 for c in hot))

    def test_an_empty_cell_inside_a_busy_ring_is_not_drawn_hot(self):
        self.add(cluster(self.w.ostersund, "noise", at(2026, 47, 4, 23), skip_centre=True))
        cells = self.get("period=2026-W47")["hotspots"]["cells"]
        # The empty centre's neighbours make its window the most extreme of all (see
        # test_gistar); the map still shows the hot spot only where the reports are.
        self.assertGreaterEqual(len([c for c in cells if c["level"] > 0]), 4)
        self.assertEqual({c["count"] for c in cells}, {4})


class RollupTests(TryggTestCase):
    def test_the_rollup_always_equals_a_recount(self):
        now = timezone.now()
        for k in range(3):
            items = [
                report_data(occurred_at=now - timedelta(hours=5 * i + k), sharing=s)
                for i, s in enumerate(["partnership", "public", "organisation"] * 4)
            ]
            submit_reports(organisation=self.w.orgs["bostad"], by=self.w.karl, items=items)
        maintained = sorted(
            DailyCount.objects.values_list("day", "area_key", "category_id", "sharing", "n")
        )
        rollup.rebuild()
        rebuilt = sorted(
            DailyCount.objects.values_list("day", "area_key", "category_id", "sharing", "n")
        )
        self.assertEqual(maintained, rebuilt)
        self.assertEqual(sum(row[-1] for row in rebuilt), 36)


class RollupCommandTests(TryggTestCase):
    def test_the_command_rebuilds_a_damaged_rollup(self):
        from io import StringIO

        from django.core.management import call_command

        submit_reports(organisation=self.w.orgs["bostad"], by=self.w.karl, items=[report_data()])
        DailyCount.objects.update(n=99)
        call_command("rollup", "--rebuild", "--municipality", "2380", stdout=StringIO())
        self.assertEqual(list(DailyCount.objects.values_list("n", flat=True)), [1])

    def test_the_check_passes_on_a_maintained_rollup_and_names_a_damaged_one(self):
        from io import StringIO

        from django.core.management import CommandError, call_command

        submit_reports(organisation=self.w.orgs["bostad"], by=self.w.karl, items=[report_data()])
        out = StringIO()
        call_command("rollup", "--check", stdout=out)
        self.assertIn("agrees", out.getvalue())
        DailyCount.objects.update(n=99)
        errors = StringIO()
        with self.assertRaisesMessage(CommandError, "disagrees with the reports in 1 cells"):
            call_command("rollup", "--check", stdout=StringIO(), stderr=errors)
        self.assertIn("rollup 99, reports 1", errors.getvalue())
        self.assertEqual(list(DailyCount.objects.values_list("n", flat=True)), [99])
