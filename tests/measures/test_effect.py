"""A measure's effect on hand-checked counts: zones, windows, WDD, WDQ and the 'too few' rule."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tests.world import IN_THE_HOLE, INSIDE_CENTRUM, INSIDE_LUGNVIK, TryggTestCase, report_data
from trygg.analysis.effect import PrePost, wdd, wdq
from trygg.measures.actions import create_measure
from trygg.measures.effect import CannotEvaluate, Parameters, evaluate
from trygg.measures.models import Measure
from trygg.reports.actions import submit_reports
from trygg.reports.models import Category

ZONE = ZoneInfo("Europe/Stockholm")
START = date(2026, 9, 7)  # a Monday; four-week windows
TODAY = date(2026, 11, 30)
FOUR_WEEKS = Parameters(weeks=4)
# Where: Centrum is treated; the park in its hole lies within 500 m of it (the
# buffer); Lugnvik's middle is 1.5 km from Centrum (the comparison).
PLACES = {"treated": INSIDE_CENTRUM, "buffer": IN_THE_HOLE, "comparison": INSIDE_LUGNVIK}
# A day inside each window (before, after, and both a year earlier).
DAYS = {
    "before": date(2026, 8, 20),
    "after": date(2026, 9, 20),
    "before_last_year": date(2025, 8, 21),
    "after_last_year": date(2025, 9, 21),
}
# Graffiti: fewer in Centrum after the start, more in the park next to it.
GRAFFITI = {
    "treated": {"before": 30, "after": 10, "before_last_year": 25, "after_last_year": 24},
    "buffer": {"before": 12, "after": 15, "before_last_year": 0, "after_last_year": 0},
    "comparison": {"before": 20, "after": 20, "before_last_year": 18, "after_last_year": 19},
}
# Noise: a handful only.
NOISE = {
    "treated": {"before": 3, "after": 1, "before_last_year": 0, "after_last_year": 0},
    "buffer": {"before": 0, "after": 1, "before_last_year": 0, "after_last_year": 0},
    "comparison": {"before": 2, "after": 2, "before_last_year": 0, "after_last_year": 0},
}


def reports(category: str, counts: dict[str, dict[str, int]]) -> list[dict]:
    items = []
    for zone, windows in counts.items():
        lat, lon = PLACES[zone]
        for window, n in windows.items():
            when = datetime.combine(DAYS[window], datetime.min.time(), ZONE).replace(hour=12)
            items += [report_data(category=category, occurred_at=when, lat=lat, lon=lon)] * n
    return items


def build_effect_data(world) -> dict[str, Measure]:
    """The reports above, plus a graffiti and a noise measure in Centrum starting on START."""
    items = reports("graffiti", GRAFFITI) + reports("noise", NOISE)
    items += [report_data(category="all_calm", occurred_at=datetime(2026, 9, 8, 21, tzinfo=ZONE))]
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, items=items,
        now=datetime(2026, 11, 30, 12, tzinfo=ZONE), max_age_days=800,
    )  # fmt: skip
    measures = {}
    for code in ("graffiti", "noise"):
        measures[code] = create_measure(
            by=world.anna, municipality=world.ostersund, title=f"Åtgärd mot {code}",
            kind=Measure.Kind.SITUATIONAL, responsible=world.orgs["bostad"],
            categories=Category.objects.filter(code=code), area=world.centrum, starts_on=START,
        )  # fmt: skip
    return measures


class EffectReadModelTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.measures = build_effect_data(cls.w)

    def test_it_counts_each_zone_in_each_window(self):
        effect = evaluate(self.measures["graffiti"], FOUR_WEEKS, today=TODAY)
        self.assertEqual(effect.counts, GRAFFITI)
        self.assertEqual(effect.windows["before"], (date(2026, 8, 10), START))
        self.assertEqual(effect.windows["after"], (START, date(2026, 10, 5)))
        self.assertEqual(effect.windows["before_last_year"], (date(2025, 8, 11), date(2025, 9, 8)))
        self.assertEqual(effect.rate("treated", "before"), 7.5)  # 30 in four weeks

    def test_the_statistics_are_the_hand_checked_ones(self):
        effect = evaluate(self.measures["graffiti"], FOUR_WEEKS, today=TODAY)
        # DiD: (10 − 30) − (20 − 20) = −20, se √80, z −2.236, p 0.0253: a reduction.
        self.assertEqual(effect.did.estimate, -20.0)
        self.assertAlmostEqual(effect.did.se, math.sqrt(80))
        self.assertAlmostEqual(effect.did.p, 0.02535, places=4)
        self.assertEqual(effect.did.conclusion, "reduction")
        # With the buffer: −20 + (15 − 12) = −17, se √147: not significant any more.
        self.assertEqual(effect.net.estimate, -17.0)
        self.assertAlmostEqual(effect.net.se, math.sqrt(147))
        self.assertEqual(effect.net.conclusion, "no_significant_change")

    def test_the_buffer_catches_the_displacement(self):
        quotient = evaluate(self.measures["graffiti"], FOUR_WEEKS, today=TODAY).quotient
        # SM = 10/30 − 1 = −2/3, BM = 15/12 − 1 = 1/4, WDQ = −0.375.
        self.assertAlmostEqual(quotient.success_measure, -2 / 3)
        self.assertAlmostEqual(quotient.buffer_measure, 0.25)
        self.assertAlmostEqual(quotient.wdq, -0.375)
        self.assertEqual(quotient.interpretation, "displacement")
        self.assertEqual(quotient.total_net_effect, 17.0)  # (30 − 10) + (12 − 15)

    def test_it_equals_the_analysis_module_called_on_the_same_counts(self):
        effect = evaluate(self.measures["graffiti"], FOUR_WEEKS, today=TODAY)
        t, b, c = (PrePost(GRAFFITI[z]["before"], GRAFFITI[z]["after"]) for z in PLACES)
        t_ly, c_ly = PrePost(25, 24), PrePost(18, 19)
        self.assertEqual(effect.did, wdd(t, c))
        self.assertEqual(effect.net, wdd(t, c, b, c))
        self.assertEqual(effect.quotient, wdq(t, b, c))
        self.assertEqual(effect.last_year, wdd(t_ly, c_ly))
        # A year earlier Centrum did not fall: (24 − 25) − (19 − 18) = −2, se √86.
        self.assertEqual(effect.last_year.conclusion, "no_significant_change")

    def test_a_handful_of_reports_is_too_few_to_conclude(self):
        effect = evaluate(self.measures["noise"], FOUR_WEEKS, today=TODAY)
        self.assertEqual(effect.counts, NOISE)
        self.assertEqual(effect.did.conclusion, "too_few_events")
        self.assertEqual(effect.quotient.interpretation, "too_few_events")
        self.assertIsNone(effect.quotient.wdq)

    def test_a_wider_buffer_takes_points_from_the_comparison_area(self):
        # 2 km around Centrum reaches the middle of Lugnvik (1.5 km away).
        effect = evaluate(
            self.measures["graffiti"], Parameters(weeks=4, buffer_m=2000), today=TODAY
        )
        self.assertEqual(effect.counts["buffer"]["before"], 12 + 20)
        self.assertEqual(effect.counts["comparison"]["before"], 0)

    def test_a_chosen_comparison_area_replaces_the_rest_of_the_municipality(self):
        chosen = Parameters(weeks=4, comparison_area_id=self.w.lugnvik.pk)
        effect = evaluate(self.measures["graffiti"], chosen, today=TODAY)
        self.assertEqual(effect.counts["comparison"], GRAFFITI["comparison"])
        with self.assertRaises(CannotEvaluate):
            evaluate(self.measures["graffiti"], Parameters(comparison_area_id=0), today=TODAY)

    def test_the_after_window_stops_today(self):
        effect = evaluate(self.measures["graffiti"], FOUR_WEEKS, today=date(2026, 9, 21))
        self.assertEqual(effect.days, 14)
        self.assertEqual(effect.windows["before"], (date(2026, 8, 24), START))
        self.assertTrue(effect.notes)

    def test_it_refuses_a_measure_without_area_or_not_yet_started(self):
        measure = self.measures["graffiti"]
        with self.assertRaises(CannotEvaluate):
            evaluate(measure, FOUR_WEEKS, today=START)
        Measure.objects.filter(pk=measure.pk).update(area=None)
        measure.refresh_from_db()
        with self.assertRaises(CannotEvaluate):
            evaluate(measure, FOUR_WEEKS, today=TODAY)
