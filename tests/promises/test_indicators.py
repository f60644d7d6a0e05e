"""Computed indicators count what the public lägesbild counts for the same selection."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.promises.helpers import build_promise
from tests.world import IN_THE_HOLE, INSIDE_LUGNVIK, TryggTestCase, report_data
from trygg.promises import actions, indicators
from trygg.promises.models import Indicator
from trygg.reports.actions import submit_reports
from trygg.reports.models import Category
from trygg.situation.periods import custom_period, parse_period
from trygg.situation.picture import build_picture

ZONE = ZoneInfo("Europe/Stockholm")


def when(month: int, day: int, hour: int, year: int = 2023) -> datetime:
    return datetime(year, month, day, hour, 30, tzinfo=ZONE)


def item(category: str, at: datetime, where: tuple[float, float] | None = None, **extra):
    place = {} if where is None else {"lat": where[0], "lon": where[1]}
    return report_data(category=category, occurred_at=at, **({"sharing": "public"} | place | extra))


class ComputedIndicatorTests(TryggTestCase):
    """2023 in Östersund: graffiti and noise in Centrum, Lugnvik and the park (no area),
    by day and by night, across quarters and at both ends of the year (local midnight)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        items = [item("graffiti", when(1, 1, 0))]  # first minutes of the year, local time
        items += [item("graffiti", when(3, 31, 23)) for _ in range(2)]  # last of Q1
        items += [item("graffiti", when(4, 1, 0))]  # first of Q2
        items += [item("graffiti", when(5, 10, 14)), item("broken_glass", when(6, 2, 22))]
        items += [item("graffiti", when(7, 4, 1), INSIDE_LUGNVIK)]
        items += [item("graffiti", when(8, 9, 23), IN_THE_HOLE)]
        items += [item("noise", when(9, 9, 2)), item("noise", when(12, 31, 23))]
        items += [item("all_calm", when(5, 5, 12))]  # a check-in, never an incident
        items += [item("graffiti", when(10, 1, 23), sharing="partnership")]  # not public, at night
        items += [item("graffiti", when(6, 1, 12, 2022))]  # the baseline year
        submit_reports(
            organisation=cls.w.orgs["polis"], by=cls.w.petra, items=items,
            now=datetime(2024, 1, 10, 12, tzinfo=ZONE), max_age_days=800,
        )  # fmt: skip
        cls.graffiti = Category.objects.get(code="graffiti")
        cls.damage = Category.objects.get(code="damage")

    def indicator(self, **fields):
        p = build_promise(self.w)
        defaults = {
            "promise": p.promise, "by": self.w.anna, "name": "Räknad", "kind": "computed",
            "baseline_year": 2022, "target_value": 1, "direction": "lower",
        }  # fmt: skip
        return actions.add_indicator(**(defaults | fields))

    def picture(self, period, codes=()):
        return build_picture(self.w.ostersund, period, codes, public_only=True)

    def area_count(self, picture, area):
        return next((line.total.current for line in picture.areas if line.area_id == area.pk), 0)

    def test_a_yearly_count_in_an_area_equals_the_lagesbild(self):
        indicator = self.indicator(categories=[self.damage], areas=[self.w.centrum])
        counted = indicators.counts(indicator, date(2023, 1, 1), date(2024, 1, 1))
        picture = self.picture(parse_period("2023"), ("damage",))
        self.assertEqual(counted, {"2023": self.area_count(picture, self.w.centrum)})
        self.assertEqual(counted, {"2023": 6})

    def test_quarterly_counts_equal_the_lagesbild_for_each_quarter(self):
        indicator = self.indicator(categories=[self.graffiti], every="quarter")
        counted = indicators.counts(indicator, date(2023, 1, 1), date(2024, 1, 1))
        for q, (first, last) in enumerate(
            [((1, 1), (3, 31)), ((4, 1), (6, 30)), ((7, 1), (9, 30)), ((10, 1), (12, 31))], 1
        ):
            period = custom_period(date(2023, *first), date(2023, *last))
            with self.subTest(quarter=q):
                expected = self.picture(period, ("graffiti",)).total.current
                self.assertEqual(counted.get(f"2023-Q{q}", 0), expected)
        self.assertEqual(counted, {"2023-Q1": 3, "2023-Q2": 2, "2023-Q3": 2})

    def test_the_whole_municipality_counts_every_incident_and_area(self):
        indicator = self.indicator()
        counted = indicators.counts(indicator, date(2023, 1, 1), date(2024, 1, 1))
        self.assertEqual(counted["2023"], self.picture(parse_period("2023")).total.current)
        self.assertEqual(counted["2023"], 10)

    def test_a_band_of_all_hours_counts_what_the_rollup_counts(self):
        plain = self.indicator(categories=[self.damage], every="quarter")
        banded = self.indicator(categories=[self.damage], every="quarter", hour_from=0,
                                hour_to=24)  # fmt: skip
        span = (date(2022, 1, 1), date(2024, 1, 1))
        self.assertEqual(indicators.counts(banded, *span), indicators.counts(plain, *span))

    def test_a_night_band_counts_only_the_hours_past_midnight_it_names(self):
        night = self.indicator(hour_from=23, hour_to=2, areas=[self.w.centrum, self.w.lugnvik])
        counted = indicators.counts(night, date(2023, 1, 1), date(2024, 1, 1))
        # 00:30 on 1 Jan, two at 23:30 on 31 Mar, 00:30 on 1 Apr, 01:30 in Lugnvik;
        # not 23:30 in the park (no area), 02:30, 22:30 or the afternoons.
        self.assertEqual(counted, {"2023": 5 + 1})  # and noise at 23:30 on 31 Dec

    def test_the_baseline_is_counted_for_the_baseline_year_when_not_given(self):
        yearly = self.indicator(categories=[self.graffiti])
        quarterly = self.indicator(categories=[self.graffiti], every="quarter")
        self.assertEqual(indicators.standing(yearly, date(2024, 6, 1)).baseline, Decimal(1))
        self.assertEqual(indicators.standing(quarterly, date(2024, 6, 1)).baseline, Decimal("0.25"))

    def test_the_light_reads_the_latest_complete_period(self):
        indicator = self.indicator(categories=[self.graffiti], target_value=7,
                                   baseline_value=9)  # fmt: skip
        standing = indicators.standing(indicator, date(2024, 3, 1))
        self.assertEqual([(p.period, p.complete) for p in standing.series],
                         [("2023", True), ("2024", False)])  # fmt: skip
        self.assertEqual((standing.latest.value, standing.light), (Decimal(7), "green"))

    def test_lights_follow_the_direction(self):
        light = indicators.light_of
        d = Indicator.Direction
        self.assertEqual(light(Decimal(5), Decimal(10), Decimal(6), d.LOWER), "green")
        self.assertEqual(light(Decimal(8), Decimal(10), Decimal(6), d.LOWER), "yellow")
        self.assertEqual(light(Decimal(10), Decimal(10), Decimal(6), d.LOWER), "red")
        self.assertEqual(light(Decimal(65), Decimal(60), Decimal(70), d.HIGHER), "yellow")
        self.assertEqual(light(None, Decimal(60), Decimal(70), d.HIGHER), "none")
