"""The picture cache: a repeated read is not recomputed, and a new report shows at once."""

from django.test import override_settings

from tests.situation.test_picture import at, centrum
from tests.world import TryggTestCase, sign_in
from trygg.reports.actions import submit_reports
from trygg.situation import cache
from trygg.situation.periods import parse_period


def post(world, n):
    items = [centrum("graffiti", at(2026, 47, 6, 2)) for _ in range(n)]
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, items=items,
        now=at(2026, 48, 3, 12), max_age_days=800,
    )  # fmt: skip


class PictureCacheTests(TryggTestCase):
    def test_it_returns_the_same_picture_until_a_report_is_written(self):
        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        self.assertIs(cache.picture_for(self.w.ostersund, period), first)
        post(self.w, 3)
        fresh = cache.picture_for(self.w.ostersund, period)
        self.assertIsNot(fresh, first)
        self.assertEqual((first.total.current, fresh.total.current), (2, 5))

    def test_the_page_shows_a_report_written_right_after_a_read(self):
        post(self.w, 1)
        sign_in(self.client, self.w.anna)
        url = "/lagesbild/2380/data.json?period=2026-W47"
        before = self.client.get(url).json()
        post(self.w, 4)
        after = self.client.get(url).json()
        self.assertNotEqual(before, after)

    @override_settings(SITUATION_CACHE_SECONDS=0)
    def test_zero_turns_it_off(self):
        period = parse_period("2026-W47")
        self.assertIsNot(
            cache.picture_for(self.w.ostersund, period), cache.picture_for(self.w.ostersund, period)
        )


class PictureLanguageTests(TryggTestCase):
    def test_a_picture_built_in_swedish_is_not_served_in_english(self):
        from django.utils import translation

        post(self.w, 1)
        period = parse_period("2026-W47")
        with translation.override("sv"):
            swedish = {g.name for g in cache.picture_for(self.w.ostersund, period).groups}
        with translation.override("en"):
            english = {g.name for g in cache.picture_for(self.w.ostersund, period).groups}
        self.assertIn("Skadegörelse", swedish)
        self.assertIn("Criminal damage", english)
